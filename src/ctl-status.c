/* SPDX-License-Identifier: MIT */
/* glutebreakctl status: one set of fields (the --json object's), written three ways. */
#include <string.h>
#include <gio/gio.h>

#include "ctl-status.h"
#include "duration.h"
#include "errors.h"
#include "json.h"

#define MINUTE_US (60 * G_USEC_PER_SEC)

/* What the daemon said, read once from the proxy's cache. */
typedef struct {
	gboolean running;
	const char *state;
	const char *hold;
	const char *warning;
	gint64 bout_start;
	gint64 next_reminder;
	gint64 paused_until;
	const char *idle_source;
	gint64 sit_limit;
	gint64 sitting;        /* µs */
} Snapshot;

/* A field of status --json: a string (NULL: null) or a number. */
typedef struct {
	const char *name;
	char *string;
	gboolean is_number;
	gint64 number;
} Field;

static const char *const field_names[] = {
	"text", "alt", "class", "tooltip", "percentage", "state", "hold", "sitting_s",
	"next_reminder", "paused_until", "idle_source", "warning",
};
#define N_FIELDS G_N_ELEMENTS(field_names)

static gboolean
in_bout(const Snapshot *s)
{
	return s->running && s->bout_start != 0;
}

static Snapshot
snapshot(GbDBusService *proxy, gint64 now)
{
	Snapshot s = { 0 };
	g_autofree char *owner = NULL;

	if (proxy != NULL)
		owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(proxy));
	s.running = owner != NULL && gb_dbus_service_get_state(proxy) != NULL;
	if (!s.running) {
		s.state = "stopped";
		s.hold = "";
		s.warning = "";
		s.idle_source = "";
		return s;
	}
	s.state = gb_dbus_service_get_state(proxy);
	s.hold = gb_dbus_service_get_hold(proxy);
	s.warning = gb_dbus_service_get_warning(proxy);
	s.bout_start = gb_dbus_service_get_bout_start(proxy);
	s.next_reminder = gb_dbus_service_get_next_reminder(proxy);
	s.paused_until = gb_dbus_service_get_paused_until(proxy);
	s.idle_source = gb_dbus_service_get_idle_source(proxy);
	s.sit_limit = gb_dbus_service_get_sit_limit(proxy);
	if (s.hold == NULL)
		s.hold = "";
	if (s.warning == NULL)
		s.warning = ""; /* a daemon from before the property */
	if (s.idle_source == NULL)
		s.idle_source = "";
	if (s.bout_start != 0)
		s.sitting = MAX(now - s.bout_start, 0);
	return s;
}

/* "32m", "1h05m": what fits in a bar. */
static char *
short_minutes(gint64 us)
{
	gint64 minutes = us / MINUTE_US;

	if (minutes < 60)
		return g_strdup_printf("%" G_GINT64_FORMAT "m", minutes);
	return g_strdup_printf("%" G_GINT64_FORMAT "h%02" G_GINT64_FORMAT "m", minutes / 60,
	                       minutes % 60);
}

static GDateTime *
local_time(gint64 unix_us)
{
	return g_date_time_new_from_unix_local(unix_us / G_USEC_PER_SEC);
}

/* ISO 8601 with the UTC offset, to the second; NULL for none. */
static char *
iso_time(gint64 unix_us)
{
	g_autoptr(GDateTime) time = NULL;

	if (unix_us == 0)
		return NULL;
	time = local_time(unix_us);
	return time != NULL ? g_date_time_format(time, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
}

/* "10:45", or "Fri 10:45" on another day than @now. */
static char *
clock_time(gint64 unix_us, gint64 now)
{
	g_autoptr(GDateTime) time = local_time(unix_us);
	g_autoptr(GDateTime) today = local_time(now);

	if (time == NULL || today == NULL)
		return g_strdup("?");
	if (g_date_time_get_day_of_year(time) == g_date_time_get_day_of_year(today) &&
	    g_date_time_get_year(time) == g_date_time_get_year(today))
		return g_date_time_format(time, "%H:%M");
	return g_date_time_format(time, "%a %H:%M");
}

static char *
minutes_text(gint64 us)
{
	return gb_duration_format(gb_duration_round_minutes(MAX(us, 0)));
}

static char *
bar_text(const Snapshot *s, gint64 now)
{
	if (!s->running)
		return g_strdup("");
	if (in_bout(s))
		return short_minutes(s->sitting);
	if (s->paused_until != 0) {
		g_autofree char *left = short_minutes(s->paused_until - now + MINUTE_US - 1);

		return g_strdup_printf("paused %s", left);
	}
	return g_strdup("break");
}

static void line(GString *out, gboolean labels, const char *label, const char *format, ...)
	G_GNUC_PRINTF(4, 5);

/* "Label:        value" for status, "Label: value" for the tooltip. */
static void
line(GString *out, gboolean labels, const char *label, const char *format, ...)
{
	va_list args;

	if (out->len > 0)
		g_string_append_c(out, '\n');
	g_string_append_printf(out, labels ? "%-15s" : "%s ", label);
	va_start(args, format);
	g_string_append_vprintf(out, format, args);
	va_end(args);
}

/* The lines of the human text, aligned with @labels (else the tooltip's). */
static void
describe(const Snapshot *s, gint64 now, GString *out, gboolean labels)
{
#define LINE(label, ...) line(out, labels, label ":", __VA_ARGS__)
	if (!s->running) {
		LINE("State", "stopped");
		return;
	}
	LINE("State", "%s", s->state);
	if (in_bout(s)) {
		g_autofree char *sitting = minutes_text(s->sitting);
		g_autofree char *since = clock_time(s->bout_start, now);

		LINE("Sitting", "%s, since %s", sitting, since);
	}
	if (s->next_reminder != 0) {
		g_autofree char *at = clock_time(s->next_reminder, now);

		if (s->next_reminder > now) {
			g_autofree char *in = minutes_text(s->next_reminder - now);

			LINE("Next reminder", "%s, in %s", at, in);
		} else {
			LINE("Next reminder", "due since %s", at);
		}
	}
	if (s->paused_until != 0) {
		g_autofree char *until = clock_time(s->paused_until, now);

		LINE("Paused until", "%s", until);
	}
	if (*s->hold != '\0')
		LINE("Held", "%s", s->hold);
	if (g_str_equal(s->state, "held") && s->next_reminder == 0)
		LINE("Next reminder", "held back until the hold ends");
	if (g_strcmp0(s->idle_source, "none") == 0)
		LINE("Idle source", "none (timer-only: counts from start, resume and unlock)");
	else
		LINE("Idle source", "%s", s->idle_source);
	if (*s->warning != '\0')
		LINE("Warning", "%s", s->warning);
#undef LINE
}

static void
fill(Field *fields, const Snapshot *s, gint64 now)
{
	GString *tooltip = g_string_new(NULL);
	gint64 percentage = 0;

	describe(s, now, tooltip, FALSE);
	if (in_bout(s) && s->sit_limit > 0)
		percentage = MIN(s->sitting * 100 / s->sit_limit, 100);
	for (guint i = 0; i < N_FIELDS; i++)
		fields[i] = (Field) { .name = field_names[i] };
	fields[0].string = bar_text(s, now);
	fields[1].string = g_strdup(s->state);
	fields[2].string = g_strdup(s->state);
	fields[3].string = g_string_free(tooltip, FALSE);
	fields[4] = (Field) { "percentage", NULL, TRUE, percentage };
	fields[5].string = g_strdup(s->state);
	fields[6].string = g_strdup(s->hold);
	fields[7] = (Field) { "sitting_s", NULL, TRUE, s->sitting / G_USEC_PER_SEC };
	fields[8].string = iso_time(s->running ? s->next_reminder : 0);
	fields[9].string = iso_time(s->running ? s->paused_until : 0);
	fields[10].string = g_strdup(s->idle_source);
	fields[11].string = g_strdup(s->warning);
}

static void
clear(Field *fields)
{
	for (guint i = 0; i < N_FIELDS; i++)
		g_free(fields[i].string);
}

static void
append_json(GString *out, const Field *fields)
{
	g_string_append_c(out, '{');
	for (guint i = 0; i < N_FIELDS; i++) {
		if (i > 0)
			g_string_append_c(out, ',');
		gb_json_append_string(out, fields[i].name);
		g_string_append_c(out, ':');
		if (fields[i].is_number)
			g_string_append_printf(out, "%" G_GINT64_FORMAT, fields[i].number);
		else
			gb_json_append_string(out, fields[i].string);
	}
	g_string_append_c(out, '}');
}

static int
field_index(const char *name, gsize length)
{
	for (guint i = 0; i < N_FIELDS; i++) {
		if (strlen(field_names[i]) == length && strncmp(field_names[i], name, length) == 0)
			return (int) i;
	}
	return -1;
}

/* Walks @format; with @fields NULL only checks it. */
static gboolean
expand(const char *format, const Field *fields, GString *out, GError **error)
{
	for (const char *p = format; *p != '\0'; p++) {
		const char *end;
		int index;

		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			g_string_append_c(out, *p++);
			continue;
		}
		if (*p != '{') {
			g_string_append_c(out, *p);
			continue;
		}
		end = strchr(p, '}');
		index = end != NULL ? field_index(p + 1, (gsize) (end - p - 1)) : -1;
		if (index < 0) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_ARGS,
			            "--format: unknown field '%.*s' (known: text, alt, class, "
			            "tooltip, percentage, state, hold, sitting_s, next_reminder, "
			            "paused_until, idle_source, warning; {{ and }} for braces)",
			            end != NULL ? (int) (end - p + 1) : (int) strlen(p), p);
			return FALSE;
		}
		if (fields != NULL && fields[index].is_number)
			g_string_append_printf(out, "%" G_GINT64_FORMAT, fields[index].number);
		else if (fields != NULL && fields[index].string != NULL)
			g_string_append(out, fields[index].string);
		p = end;
	}
	return TRUE;
}

gboolean
gb_ctl_status_fetch(GbDBusService *proxy, int timeout_ms, GError **error)
{
	GDBusProxy *p = G_DBUS_PROXY(proxy);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) properties = NULL;
	GVariantIter iter;
	const char *name;
	GVariant *value;

	reply = g_dbus_proxy_call_sync(p, "org.freedesktop.DBus.Properties.GetAll",
	                               g_variant_new("(s)", g_dbus_proxy_get_interface_name(p)),
	                               G_DBUS_CALL_FLAGS_NO_AUTO_START, timeout_ms, NULL, error);
	if (reply == NULL)
		return FALSE;
	properties = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, properties);
	while (g_variant_iter_next(&iter, "{&sv}", &name, &value)) {
		g_dbus_proxy_set_cached_property(p, name, value);
		g_variant_unref(value);
	}
	return TRUE;
}

gboolean
gb_ctl_status_check_format(const char *format, GError **error)
{
	g_autoptr(GString) out = g_string_new(NULL);

	return expand(format, NULL, out, error);
}

char *
gb_ctl_status_render(GbDBusService *proxy, GbCtlStatusStyle style, const char *format,
                     gint64 now_us)
{
	Snapshot s = snapshot(proxy, now_us);
	GString *out = g_string_new(NULL);
	Field fields[N_FIELDS];

	if (style == GB_CTL_STATUS_TEXT) {
		describe(&s, now_us, out, TRUE);
		return g_string_free(out, FALSE);
	}
	fill(fields, &s, now_us);
	if (style == GB_CTL_STATUS_JSON)
		append_json(out, fields);
	else
		expand(format, fields, out, NULL);
	clear(fields);
	return g_string_free(out, FALSE);
}

gint64
gb_ctl_status_next_change(GbDBusService *proxy, gint64 now_us)
{
	Snapshot s = snapshot(proxy, now_us);

	if (in_bout(&s))
		return s.bout_start + (s.sitting / MINUTE_US + 1) * MINUTE_US;
	if (s.running && s.paused_until > now_us) {
		/* "paused 25m" counts down to the end of the pause */
		gint64 left = s.paused_until - now_us;

		return now_us + (left % MINUTE_US != 0 ? left % MINUTE_US : MINUTE_US);
	}
	return -1;
}

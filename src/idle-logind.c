/* SPDX-License-Identifier: MIT */
/* logind idle backend (reference/idle-apis.md §2.5, §5.2 item 5), the last resort before
 * timer-only: the IdleHint of our session, read at start and followed by PropertiesChanged.
 *
 * Coarse by nature. IdleHint turns true at the desktop's own idle delay (GNOME's idle-delay,
 * xss-lock's screensaver timeout, swayidle's idlehint), which has nothing to do with our
 * threshold: GB_IDLE_IDLE is reported when it turns true, dated back to IdleSinceHint, and
 * the core decides whether that is already a break (a delay longer than break-length: a break
 * dated back at once) or not yet (shorter: a break once break-length has passed). Desktops
 * that never set IdleHint (KDE, most wlroots compositors) just never report idleness.
 *
 * Single inputs are invisible here, so watch_activity() cannot wait for "the next input":
 * while IdleHint is false the desktop itself says the user is there, and ACTIVE is reported
 * at once (a bout after Done or a suspend starts right away, as in timer-only mode); while
 * it is true, the next IdleHint false is the input it waits for.
 *
 * The session is the one logind.c found for the session sensors: no second search. start()
 * may come before that search ends (it is asynchronous, like every call here): the monitor
 * then waits for it, and decides once it has the session's properties. */
#include "clock.h"
#include "errors.h"
#include "idle.h"
#include "logind.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_SESSION "org.freedesktop.login1.Session"
#define PROPERTIES "org.freedesktop.DBus.Properties"
#define CALL_TIMEOUT_MS 3000

typedef struct {
	GbIdleMonitor base;
	GbLogind *logind;
	guint resolved_id;        /* waiting for logind.c to find the session */
	GDBusConnection *bus;     /* logind.c's */
	const char *path;         /* the session's real object path, logind.c's */
	GCancellable *cancellable;
	guint properties_id;
	gboolean ready;           /* READY reported */
	gboolean idle;            /* IdleHint as last reported */
} LogindMonitor;

/* The last input, on CLOCK_BOOTTIME, from logind's IdleSinceHint pair (0: unset). Converted
 * with today's suspend offset: a suspend since then makes it later by the time asleep, which
 * the daemon counts as away time of its own. */
static gint64
idle_since_us(guint64 since_monotonic, guint64 since_wall)
{
	gint64 now = gb_clock_now_us();
	gint64 since = now;

	if (since_monotonic > 0)
		since = (gint64) since_monotonic + gb_clock_suspend_offset_us();
	else if (since_wall > 0)
		since = now - (gb_clock_wall_us() - (gint64) since_wall);
	return CLAMP(since, 0, now);
}

static void
set_idle_hint(LogindMonitor *self, gboolean idle, guint64 since_monotonic, guint64 since_wall)
{
	if (idle == self->idle)
		return;
	self->idle = idle;
	if (idle) {
		gint64 since = idle_since_us(since_monotonic, since_wall);

		g_debug("IdleHint: true, since '%" G_GINT64_FORMAT " ms' ago",
		        (gb_clock_now_us() - since) / 1000);
		gb_idle_queue(&self->base, GB_IDLE_IDLE, since);
	} else {
		g_debug("IdleHint: false");
		gb_idle_queue(&self->base, GB_IDLE_ACTIVE, gb_clock_now_us());
	}
}

/* From a{sv} of Session properties; FALSE if IdleHint is not in it. */
static gboolean
apply_properties(LogindMonitor *self, GVariant *properties, gboolean need_since)
{
	gboolean idle;
	guint64 since_monotonic = 0, since_wall = 0;
	gboolean have_since;

	if (!g_variant_lookup(properties, "IdleHint", "b", &idle))
		return FALSE;
	have_since = g_variant_lookup(properties, "IdleSinceHintMonotonic", "t", &since_monotonic);
	have_since = g_variant_lookup(properties, "IdleSinceHint", "t", &since_wall) || have_since;
	if (idle && !have_since && need_since)
		return FALSE;
	set_idle_hint(self, idle, since_monotonic, since_wall);
	return TRUE;
}

static void
on_get_all_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	LogindMonitor *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) properties = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;         /* self is gone */
	if (reply != NULL)
		g_variant_get(reply, "(@a{sv})", &properties);
	if (!self->ready) {
		g_autofree char *why = NULL;

		if (reply == NULL) {
			g_dbus_error_strip_remote_error(error);
			why = g_strdup_printf("cannot read the logind session: '%s': %s", self->path,
			                      error->message);
		} else if (!g_variant_lookup(properties, "IdleHint", "b", NULL)) {
			why = g_strdup_printf("the logind session has no IdleHint: '%s'", self->path);
		}
		if (why != NULL) {
			gb_idle_queue_broken(&self->base, why);
			gb_idle_emit(&self->base);
			return;
		}
		self->ready = TRUE;
		g_message("idle time from logind's IdleHint: coarse (the desktop's own idle delay), "
		          "and only if the desktop sets it: '%s'", self->path);
		gb_idle_queue(&self->base, GB_IDLE_READY, gb_clock_now_us());
	}
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(error);
		g_warning("cannot read the logind session's IdleHint: %s", error->message);
		return;
	}
	apply_properties(self, properties, FALSE);
	gb_idle_emit(&self->base);
}

static void
refresh(LogindMonitor *self)
{
	g_dbus_connection_call(self->bus, LOGIND_NAME, self->path, PROPERTIES, "GetAll",
	                       g_variant_new("(s)", LOGIND_SESSION), G_VARIANT_TYPE("(a{sv})"),
	                       G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, self->cancellable,
	                       on_get_all_reply, self);
}

static void
on_properties_changed(GDBusConnection *bus, const char *sender, const char *path,
                      const char *interface, const char *signal, GVariant *parameters,
                      gpointer user_data)
{
	LogindMonitor *self = user_data;
	g_autoptr(GVariant) changed = NULL;
	g_autofree const char **invalidated = NULL;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	(void) signal;
	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	g_variant_get(parameters, "(&s@a{sv}^a&s)", NULL, &changed, &invalidated);
	/* logind sends IdleHint with both IdleSinceHint values; anything less: ask */
	if (!self->ready)
		return;         /* the first GetAll, in flight, reads it */
	if (!apply_properties(self, changed, TRUE) &&
	    (g_variant_lookup(changed, "IdleHint", "b", NULL) ||
	     g_strv_contains((const char *const *) invalidated, "IdleHint")))
		refresh(self);
	gb_idle_emit(&self->base);
}

static void
on_resolved(GbLogind *logind, gpointer user_data)
{
	LogindMonitor *self = user_data;
	const char *problem = gb_logind_get_problem(logind);
	g_autofree char *why = NULL;

	self->resolved_id = 0;
	switch (gb_logind_get_state(logind)) {
	case GB_LOGIND_NO_BUS:
		why = g_strdup(problem);
		break;
	case GB_LOGIND_ABSENT:
		why = g_strdup_printf("no logind: %s", problem);
		break;
	case GB_LOGIND_NO_SESSION:
		why = g_strdup_printf("no logind session: %s", problem);
		break;
	case GB_LOGIND_FOUND:
		break;
	case GB_LOGIND_RESOLVING:
	default:
		g_assert_not_reached();
	}
	if (why != NULL) {
		gb_idle_queue_broken(&self->base, why);
		gb_idle_emit(&self->base);
		return;
	}
	self->bus = g_object_ref(gb_logind_get_bus(logind));
	self->path = gb_logind_get_session_path(logind);
	/* subscribed before reading, so no change falls in between */
	self->properties_id = g_dbus_connection_signal_subscribe(
		self->bus, LOGIND_NAME, PROPERTIES, "PropertiesChanged", self->path, LOGIND_SESSION,
		G_DBUS_SIGNAL_FLAGS_NONE, on_properties_changed, self, NULL);
	refresh(self);
}

/* GbIdleBackend ---------------------------------------------------------------------------- */

static void
stop(GbIdleMonitor *monitor)
{
	LogindMonitor *self = (LogindMonitor *) monitor;

	if (self->resolved_id != 0)
		gb_logind_cancel(self->logind, self->resolved_id);
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	if (self->properties_id != 0)
		g_dbus_connection_signal_unsubscribe(self->bus, self->properties_id);
	g_clear_object(&self->bus);
	gb_idle_monitor_stop(monitor);
}

static void
watch_activity(GbIdleMonitor *monitor)
{
	LogindMonitor *self = (LogindMonitor *) monitor;

	if (self->idle)
		return;         /* IdleHint false is the next input */
	gb_idle_queue(&self->base, GB_IDLE_ACTIVE, gb_clock_now_us());
}

/* IdleHint turns true at the desktop's idle delay, not at ours: nothing to change. */
static void
set_threshold(GbIdleMonitor *monitor, gint64 threshold_us)
{
	(void) monitor;
	(void) threshold_us;
}

static GbIdleMonitor *
start(const GbIdleSetup *setup, GError **error)
{
	LogindMonitor *self;

	g_return_val_if_fail(setup->threshold_us > 0, NULL);
	g_return_val_if_fail(setup->func != NULL, NULL);
	g_return_val_if_fail(setup->logind != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_new0(LogindMonitor, 1);
	gb_idle_monitor_init(&self->base, &gb_idle_logind, setup);
	self->logind = setup->logind;
	self->cancellable = g_cancellable_new();
	/* from the main loop, even if it is resolved already */
	self->resolved_id = gb_logind_when_resolved(self->logind, on_resolved, self);
	return &self->base;
}

const GbIdleBackend gb_idle_logind = {
	.name = "logind",
	.dates_input = TRUE,
	.start = start,
	.watch_activity = watch_activity,
	.set_threshold = set_threshold,
	.stop = stop,
};

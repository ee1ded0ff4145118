/* SPDX-License-Identifier: MIT */
/* The idle source: backend selection and the supervisor that keeps one running (idle.h).
 * Backends live in idle-*.c, one per desktop API.
 *
 * Never blocked by a peer (DESIGN.md rule 12). A compositor, an X server, mutter or logind
 * that stops answering must not hold the main loop, at start-up, on every probe after a loss,
 * or later. So the probe is an asynchronous chain, not a row of bounded blocking checks:
 * a backend's start() only does what cannot wait on a peer (read the environment, open a
 * socket, send the first requests) and returns; it decides later, from the main loop, with
 * GB_IDLE_READY or GB_IDLE_BROKEN. The supervisor gives each backend PROBE_TIMEOUT_MS to
 * decide, then stops it and tries the next one, so "auto" always ends somewhere, and the
 * daemon meanwhile reminds on timers (no source reports input until one is chosen). Bounded
 * blocking checks were the other way: with four backends each would get well under 250 ms,
 * less than a loaded machine sometimes needs to answer, and a live peer rejected for being
 * slow would leave the user without idle detection for the whole session; a chain that waits
 * without blocking needs no such guess. What remains synchronous is listed where it is: the
 * session bus (the daemon has it before any backend starts) and the system bus (logind.c),
 * xcb_connect() (idle-x11.c: in a thread of its own), connect() on the compositor's socket
 * (idle-wayland.c). */
#include "clock.h"
#include "duration.h"
#include "errors.h"
#include "idle.h"

/* how long a backend may take to decide whether it works: a live peer answers in ms, but a
 * compositor busy with a login (or a loaded CI machine) can take seconds, and one passed over
 * is not asked again until the chosen source breaks */
#define PROBE_TIMEOUT_MS 5000

/* Tried in this order by "auto" (reference/idle-apis.md §5.2): the compositor's own idle
 * monitor first (exact, and right under XWayland), then the Wayland protocols, X11 only
 * without WAYLAND_DISPLAY (its start() checks), and logind's coarse IdleHint last. */
static const GbIdleBackend *const backends[] = {
	&gb_idle_mutter,
#ifdef HAVE_WAYLAND
	&gb_idle_wayland,
#endif
#ifdef HAVE_X11
	&gb_idle_x11,
#endif
	&gb_idle_logind,
	NULL,
};

/* Every name the config file accepts (DESIGN.md §2), built into this binary or not. */
static const char *const known_names[] = {
	"auto", "mutter", "wayland", "x11", "logind", "none", NULL,
};

typedef struct {
	GbIdleEvent event;
	gint64 time_us;
	char *why;
} Report;

/* The report queue (idle.h, "For backends") ------------------------------------------------ */

static gboolean on_flush(gpointer user_data);

static void
clear_report(Report *report)
{
	g_free(report->why);
}

void
gb_idle_monitor_init(GbIdleMonitor *monitor, const GbIdleBackend *backend,
                     const GbIdleSetup *setup)
{
	monitor->backend = backend;
	monitor->func = setup->func;
	monitor->user_data = setup->user_data;
	monitor->reports = g_array_new(FALSE, FALSE, sizeof(Report));
	g_array_set_clear_func(monitor->reports, (GDestroyNotify) clear_report);
}

static void
queue(GbIdleMonitor *monitor, GbIdleEvent event, gint64 time_us, const char *why)
{
	Report report = { .event = event, .time_us = time_us, .why = g_strdup(why) };
	char name[64];

	g_array_append_val(monitor->reports, report);
	if (monitor->flush_id != 0)
		return;
	monitor->flush_id = g_idle_add(on_flush, monitor);
	g_snprintf(name, sizeof(name), "[glutebreak] %s idle reports", monitor->backend->name);
	g_source_set_name_by_id(monitor->flush_id, name);
}

void
gb_idle_queue(GbIdleMonitor *monitor, GbIdleEvent event, gint64 time_us)
{
	g_return_if_fail(event != GB_IDLE_BROKEN);
	queue(monitor, event, time_us, NULL);
}

void
gb_idle_queue_broken(GbIdleMonitor *monitor, const char *why)
{
	queue(monitor, GB_IDLE_BROKEN, gb_clock_now_us(), why);
}

void
gb_idle_emit(GbIdleMonitor *monitor)
{
	g_clear_handle_id(&monitor->flush_id, g_source_remove);        /* delivering now */
	while (monitor->reports->len > 0) {
		Report report = g_array_index(monitor->reports, Report, 0);
		g_autofree char *why = report.why;

		/* taken over: removed without the clear function */
		g_array_index(monitor->reports, Report, 0).why = NULL;
		g_array_remove_index(monitor->reports, 0);
		monitor->func(report.event, report.time_us, why, monitor->user_data);
	}
	/* what func queued was delivered above: no wake-up for an empty queue */
	g_clear_handle_id(&monitor->flush_id, g_source_remove);
}

static gboolean
on_flush(gpointer user_data)
{
	GbIdleMonitor *monitor = user_data;

	monitor->flush_id = 0;
	gb_idle_emit(monitor);
	return G_SOURCE_REMOVE;
}

void
gb_idle_monitor_stop(GbIdleMonitor *monitor)
{
	g_clear_handle_id(&monitor->flush_id, g_source_remove);
	g_array_unref(monitor->reports);
	g_free(monitor);
}

/* The supervisor --------------------------------------------------------------------------- */

struct _GbIdleSource {
	char *name;               /* as configured */
	gint64 threshold_us;
	GbLogind *logind;
	GbIdleSourceFunc func;
	gpointer user_data;
	GbIdleMonitor *monitor;   /* deciding, or in use; NULL: none */
	gboolean ready;           /* monitor said READY */
	gboolean absent;          /* ... then ABSENT, and not yet BACK */
	gboolean broken;          /* ... or BROKEN: stopped by the pending probe */
	gsize next;               /* backends[next] is the next one to try */
	GString *reasons;         /* "name: why" of each one this probe rejected */
	const char *lost;         /* a backend's static name: it went away, and this probe replaces it */
	guint probe_id;           /* deferred: stop the monitor, then probe from next */
	guint timeout_id;         /* the monitor must decide before it fires */
};

static void on_monitor_event(GbIdleEvent event, gint64 time_us, const char *why,
                             gpointer user_data);
static void probe_next(GbIdleSource *self);

static void
report(GbIdleSource *self, GbIdleSourceEvent event, gint64 time_us)
{
	self->func(event, time_us, self->user_data);
}

static void
stop_monitor(GbIdleSource *self)
{
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	if (self->monitor != NULL)
		self->monitor->backend->stop(self->monitor);
	self->monitor = NULL;
	self->ready = FALSE;
	self->absent = FALSE;
	self->broken = FALSE;
}

/* A backend's start() that failed through g_return_val_if_fail() set no error. */
static const char *
error_text(const GError *error)
{
	return error != NULL ? error->message : "failed";
}

static void
reject(GbIdleSource *self, const char *name, const char *why)
{
	g_string_append_printf(self->reasons, "%s%s: %s", self->reasons->len > 0 ? "; " : "",
	                       name, why);
}

static void
decided_none(GbIdleSource *self)
{
	g_autofree char *problem = NULL;

	if (g_str_equal(self->name, "none")) {
		g_message("idle backend: none (configured): reminding on timers only");
	} else {
		if (self->reasons->len == 0)
			reject(self, self->name, "not built into this glutebreak");
		problem = g_strdup_printf("no idle source (%s)", self->reasons->str);
		if (self->lost != NULL)
			g_warning("idle source '%s' went away; reminding on timers only (%s)",
			          self->lost, problem);
		else
			g_warning("%s; reminding on timers only (no idle detection)", problem);
	}
	self->lost = NULL;
	report(self, GB_IDLE_SOURCE_NO_INPUT, gb_clock_now_us());
}

static void
chosen(GbIdleSource *self)
{
	const char *name = self->monitor->backend->name;

	if (self->lost != NULL)
		g_warning("idle source '%s' went away; now using '%s'", self->lost, name);
	else
		g_message("idle backend: %s%s%s%s", name, self->reasons->len > 0 ? " (rejected " : "",
		          self->reasons->str, self->reasons->len > 0 ? ")" : "");
	self->lost = NULL;
	report(self, GB_IDLE_SOURCE_INPUT, gb_clock_now_us());
}

static gboolean
on_probe_timeout(gpointer user_data)
{
	GbIdleSource *self = user_data;
	g_autofree char *limit = gb_duration_format(PROBE_TIMEOUT_MS * (gint64) 1000);
	g_autofree char *why = g_strdup_printf("no answer within %s", limit);

	self->timeout_id = 0;
	reject(self, self->monitor->backend->name, why);
	stop_monitor(self);     /* from the main loop, not from inside its callback */
	probe_next(self);
	return G_SOURCE_REMOVE;
}

/* Starts the next backend that can start; with none left, timers only. */
static void
probe_next(GbIdleSource *self)
{
	gboolean any = g_str_equal(self->name, "auto");
	GbIdleSetup setup = {
		.threshold_us = self->threshold_us,
		.logind = self->logind,
		.func = on_monitor_event,
		.user_data = self,
	};

	g_assert(self->monitor == NULL);
	while (backends[self->next] != NULL) {
		const GbIdleBackend *backend = backends[self->next++];
		g_autoptr(GError) error = NULL;

		if (!any && !g_str_equal(self->name, backend->name))
			continue;
		self->monitor = backend->start(&setup, &error);
		if (self->monitor == NULL) {
			reject(self, backend->name, error_text(error));
			continue;
		}
		self->timeout_id = g_timeout_add(PROBE_TIMEOUT_MS, on_probe_timeout, self);
		g_source_set_name_by_id(self->timeout_id, "[glutebreak] idle probe timeout");
		return;
	}
	decided_none(self);
}

static gboolean
on_probe(gpointer user_data)
{
	GbIdleSource *self = user_data;

	self->probe_id = 0;
	stop_monitor(self);
	probe_next(self);
	return G_SOURCE_REMOVE;
}

/* From the main loop: stops the monitor and probes from backends[next] on. Deferred, because
 * it may be asked from inside the monitor's own callback. */
static void
schedule_probe(GbIdleSource *self)
{
	if (self->probe_id != 0)
		return;
	self->probe_id = g_idle_add(on_probe, self);
	g_source_set_name_by_id(self->probe_id, "[glutebreak] idle probe");
}

static void
on_monitor_event(GbIdleEvent event, gint64 time_us, const char *why, gpointer user_data)
{
	GbIdleSource *self = user_data;
	const char *name = self->monitor->backend->name;

	if (self->broken)
		return;         /* stopped by the pending probe */
	switch (event) {
	case GB_IDLE_READY:
		g_clear_handle_id(&self->timeout_id, g_source_remove);
		self->ready = TRUE;
		chosen(self);
		break;
	case GB_IDLE_BROKEN:
		self->broken = TRUE;
		if (self->ready) {
			/* the one warning comes with the result of the new probe */
			g_debug("idle source '%s' broke: %s", name, why);
			self->lost = name;
			self->next = 0;
			g_string_truncate(self->reasons, 0);
		} else {
			reject(self, name, why);
		}
		schedule_probe(self);
		break;
	case GB_IDLE_ABSENT:
		self->absent = TRUE;
		g_warning("idle source '%s' went away; reminding on timers only until it is back",
		          name);
		report(self, GB_IDLE_SOURCE_NO_INPUT, time_us);
		break;
	case GB_IDLE_BACK:
		self->absent = FALSE;
		g_message("idle source '%s' is back", name);
		report(self, GB_IDLE_SOURCE_INPUT, time_us);
		break;
	case GB_IDLE_IDLE:
	case GB_IDLE_ACTIVE:
		if (self->ready && !self->absent)
			report(self, event == GB_IDLE_IDLE ? GB_IDLE_SOURCE_IDLE
			                                   : GB_IDLE_SOURCE_ACTIVE, time_us);
		break;
	default:
		g_assert_not_reached();
	}
}

GbIdleSource *
gb_idle_source_new(const char *name, gint64 threshold_us, GbLogind *logind,
                   GbIdleSourceFunc func, gpointer user_data)
{
	GbIdleSource *self;

	g_return_val_if_fail(gb_idle_backend_known(name), NULL);
	g_return_val_if_fail(threshold_us > 0, NULL);
	g_return_val_if_fail(logind != NULL, NULL);
	g_return_val_if_fail(func != NULL, NULL);

	self = g_new0(GbIdleSource, 1);
	self->name = g_strdup(name);
	self->threshold_us = threshold_us;
	self->logind = logind;
	self->func = func;
	self->user_data = user_data;
	self->reasons = g_string_new(NULL);
	/* reported from the main loop, never from in here */
	schedule_probe(self);
	return self;
}

void
gb_idle_source_free(GbIdleSource *source)
{
	if (source == NULL)
		return;
	g_clear_handle_id(&source->probe_id, g_source_remove);
	stop_monitor(source);
	g_string_free(source->reasons, TRUE);
	g_free(source->name);
	g_free(source);
}

void
gb_idle_source_watch_activity(GbIdleSource *source)
{
	GbIdleMonitor *monitor = source->monitor;

	if (monitor != NULL && source->ready && !source->absent && !source->broken)
		monitor->backend->watch_activity(monitor);
}

void
gb_idle_source_reconfigure(GbIdleSource *source, const char *name, gint64 threshold_us)
{
	g_return_if_fail(gb_idle_backend_known(name));
	g_return_if_fail(threshold_us > 0);

	if (!g_str_equal(name, source->name)) {
		g_free(source->name);
		source->name = g_strdup(name);
		source->threshold_us = threshold_us;
		source->lost = NULL;
		source->next = 0;
		g_string_truncate(source->reasons, 0);
		stop_monitor(source);
		schedule_probe(source);
		return;
	}
	if (threshold_us == source->threshold_us)
		return;
	source->threshold_us = threshold_us;
	/* a healthy source keeps running; one deciding gets it too, and a broken one is
	 * started with it */
	if (source->monitor != NULL && !source->broken)
		source->monitor->backend->set_threshold(source->monitor, threshold_us);
}

const char *
gb_idle_source_get_name(const GbIdleSource *source)
{
	if (source->monitor == NULL || !source->ready || source->absent || source->broken)
		return NULL;
	return source->monitor->backend->name;
}

gboolean
gb_idle_source_dates_input(const GbIdleSource *source)
{
	return gb_idle_source_get_name(source) != NULL && source->monitor->backend->dates_input;
}

/* --list-backends -------------------------------------------------------------------------- */

typedef struct {
	gboolean decided;
	gboolean ready;
	char *why;
	guint timeout_id;
} Probe;

static void
on_describe_event(GbIdleEvent event, gint64 time_us, const char *why, gpointer user_data)
{
	Probe *probe = user_data;

	(void) time_us;
	if (probe->decided || (event != GB_IDLE_READY && event != GB_IDLE_BROKEN))
		return;
	probe->decided = TRUE;
	probe->ready = event == GB_IDLE_READY;
	probe->why = g_strdup(why);
}

static gboolean
on_describe_timeout(gpointer user_data)
{
	Probe *probe = user_data;
	g_autofree char *limit = gb_duration_format(PROBE_TIMEOUT_MS * (gint64) 1000);

	probe->timeout_id = 0;
	probe->decided = TRUE;
	probe->why = g_strdup_printf("no answer within %s", limit);
	return G_SOURCE_REMOVE;
}

char *
gb_idle_describe(gint64 threshold_us)
{
	g_autoptr(GbLogind) logind = gb_logind_new();
	GString *out = g_string_new(NULL);
	gboolean chosen_one = FALSE;

	for (gsize i = 0; backends[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *why = NULL;
		Probe probe = { 0 };
		GbIdleSetup setup = {
			.threshold_us = threshold_us,
			.logind = logind,
			.func = on_describe_event,
			.user_data = &probe,
		};
		GbIdleMonitor *monitor = backends[i]->start(&setup, &error);

		if (monitor != NULL) {
			probe.timeout_id = g_timeout_add(PROBE_TIMEOUT_MS, on_describe_timeout,
			                                 &probe);
			while (!probe.decided)
				g_main_context_iteration(NULL, TRUE);
			g_clear_handle_id(&probe.timeout_id, g_source_remove);
			/* not from inside its callback: that returned */
			backends[i]->stop(monitor);
			why = g_steal_pointer(&probe.why);
		}
		g_string_append_printf(out, "%-8s %s%s\n", backends[i]->name,
		                       probe.ready ? "available"
		                                   : why != NULL ? why : error_text(error),
		                       probe.ready && !chosen_one ? " (chosen)" : "");
		chosen_one = chosen_one || probe.ready;
	}
	g_string_append_printf(out, "%-8s %s\n", "none",
	                       chosen_one ? "available (timer-only mode)"
	                                  : "available (chosen: timer-only mode)");
	return g_string_free(out, FALSE);
}

gboolean
gb_idle_backend_known(const char *name)
{
	return g_strv_contains(known_names, name);
}

const char *
gb_idle_backend_names(void)
{
	return "auto, mutter, wayland, x11, logind or none";
}

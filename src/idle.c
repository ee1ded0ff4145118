/* SPDX-License-Identifier: MIT */
/* Idle backend selection. Backends live in idle-*.c, one per desktop API. */
#include "errors.h"
#include "idle.h"

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
} Report;

/* The report queue (idle.h, "For backends") ------------------------------------------------ */

static gboolean on_flush(gpointer user_data);

void
gb_idle_monitor_init(GbIdleMonitor *monitor, const GbIdleBackend *backend, GbIdleFunc func,
                     gpointer user_data)
{
	monitor->backend = backend;
	monitor->func = func;
	monitor->user_data = user_data;
	monitor->reports = g_array_new(FALSE, FALSE, sizeof(Report));
}

void
gb_idle_queue(GbIdleMonitor *monitor, GbIdleEvent event, gint64 time_us)
{
	Report report = { .event = event, .time_us = time_us };
	char name[64];

	g_return_if_fail(!monitor->stopped);
	g_array_append_val(monitor->reports, report);
	if (monitor->flush_id != 0)
		return;
	monitor->flush_id = g_idle_add(on_flush, monitor);
	g_snprintf(name, sizeof(name), "[glutebreak] %s idle reports", monitor->backend->name);
	g_source_set_name_by_id(monitor->flush_id, name);
}

static void
free_monitor(GbIdleMonitor *monitor)
{
	g_array_unref(monitor->reports);
	g_free(monitor);
}

gboolean
gb_idle_emit(GbIdleMonitor *monitor)
{
	if (monitor->emitting)
		return !monitor->stopped;       /* func iterated the main loop: the outer call goes on */
	g_clear_handle_id(&monitor->flush_id, g_source_remove);        /* delivering now */
	monitor->emitting = TRUE;
	while (monitor->reports->len > 0 && !monitor->stopped) {
		Report report = g_array_index(monitor->reports, Report, 0);

		g_array_remove_index(monitor->reports, 0);
		monitor->func(report.event, report.time_us, monitor->user_data);
	}
	/* what func queued was delivered above: no wake-up for an empty queue */
	g_clear_handle_id(&monitor->flush_id, g_source_remove);
	monitor->emitting = FALSE;
	if (monitor->stopped) {
		free_monitor(monitor);
		return FALSE;
	}
	return TRUE;
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
	monitor->stopped = TRUE;
	g_clear_handle_id(&monitor->flush_id, g_source_remove);
	if (!monitor->emitting)
		free_monitor(monitor);
}

/* The none backend ------------------------------------------------------------------------- */

static GbIdleMonitor *
none_start(gint64 threshold_us, GbIdleFunc func, gpointer user_data, GError **error)
{
	GbIdleMonitor *self = g_new0(GbIdleMonitor, 1);

	(void) threshold_us;
	(void) error;
	gb_idle_monitor_init(self, &gb_idle_none, func, user_data);
	return self;
}

static void
none_watch_activity(GbIdleMonitor *monitor)
{
	(void) monitor;
}

/* Timer-only mode (DESIGN.md rule 9): never reports anything. */
const GbIdleBackend gb_idle_none = {
	.name = "none",
	.start = none_start,
	.watch_activity = none_watch_activity,
	.stop = gb_idle_monitor_stop,
};

/* Selection -------------------------------------------------------------------------------- */

/* A backend's start() that failed through g_return_val_if_fail() set no error. */
static const char *
error_text(const GError *error)
{
	return error != NULL ? error->message : "failed";
}

/* Starts the first backend that works, of those @name selects. @reasons gets
 * "name: why not" for each one that does not; @describe, if not NULL, gets one
 * line per backend tried, and then every backend is tried and stopped. */
static GbIdleMonitor *
probe(const char *name, gint64 threshold_us, GbIdleFunc func, gpointer user_data,
      GString *reasons, GString *describe)
{
	gboolean any = g_str_equal(name, "auto");
	GbIdleMonitor *chosen = NULL;

	for (gsize i = 0; backends[i] != NULL; i++) {
		g_autoptr(GError) local_error = NULL;
		GbIdleMonitor *monitor;

		if (!any && !g_str_equal(name, backends[i]->name))
			continue;
		monitor = backends[i]->start(threshold_us, func, user_data, &local_error);
		if (describe != NULL) {
			g_string_append_printf(describe, "%-8s %s%s\n", backends[i]->name,
			                       monitor != NULL ? "available" : error_text(local_error),
			                       monitor != NULL && chosen == NULL ? " (chosen)" : "");
			if (chosen == NULL && monitor != NULL)
				chosen = monitor;
			else if (monitor != NULL)
				backends[i]->stop(monitor);
			continue;
		}
		if (monitor != NULL)
			return monitor;
		g_string_append_printf(reasons, "%s%s: %s", reasons->len > 0 ? "; " : "",
		                       backends[i]->name, error_text(local_error));
	}
	return chosen;
}

GbIdleMonitor *
gb_idle_start(const char *name, gint64 threshold_us, GbIdleFunc func, gpointer user_data,
              GError **error)
{
	g_autoptr(GString) reasons = g_string_new(NULL);
	GbIdleMonitor *monitor;

	g_return_val_if_fail(gb_idle_backend_known(name), NULL);
	if (g_str_equal(name, "none"))
		return none_start(threshold_us, func, user_data, error);
	monitor = probe(name, threshold_us, func, user_data, reasons, NULL);
	if (monitor != NULL) {
		g_message("idle backend: %s%s%s%s", monitor->backend->name,
		          reasons->len > 0 ? " (rejected " : "", reasons->str,
		          reasons->len > 0 ? ")" : "");
		return monitor;
	}
	if (reasons->len == 0)
		g_string_printf(reasons, "%s: not built into this glutebreak", name);
	g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE, "no idle source (%s)",
	            reasons->str);
	return NULL;
}

static void
ignore_event(GbIdleEvent event, gint64 time_us, gpointer user_data)
{
	(void) event;
	(void) time_us;
	(void) user_data;
}

char *
gb_idle_describe(gint64 threshold_us)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GbIdleMonitor) chosen = probe("auto", threshold_us, ignore_event, NULL, NULL,
	                                        out);

	g_string_append_printf(out, "%-8s %s\n", "none",
	                       chosen != NULL ? "available (timer-only mode)"
	                                      : "available (chosen: timer-only mode)");
	return g_string_free(out, FALSE);
}

void
gb_idle_watch_activity(GbIdleMonitor *monitor)
{
	g_return_if_fail(monitor != NULL);
	/* stopped from inside func, which goes on */
	if (!monitor->stopped)
		monitor->backend->watch_activity(monitor);
}

void
gb_idle_stop(GbIdleMonitor *monitor)
{
	if (monitor != NULL && !monitor->stopped)
		monitor->backend->stop(monitor);
}

const char *
gb_idle_get_name(const GbIdleMonitor *monitor)
{
	return monitor->backend->name;
}

gboolean
gb_idle_dates_input(const GbIdleMonitor *monitor)
{
	return monitor->backend->dates_input;
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

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

static GbIdleMonitor *
none_start(gint64 threshold_us, GbIdleFunc func, gpointer user_data, GError **error)
{
	GbIdleMonitor *self = g_new0(GbIdleMonitor, 1);

	(void) threshold_us;
	(void) error;
	self->backend = &gb_idle_none;
	self->func = func;
	self->user_data = user_data;
	return self;
}

static void
none_watch_activity(GbIdleMonitor *monitor)
{
	(void) monitor;
}

static void
none_stop(GbIdleMonitor *monitor)
{
	g_free(monitor);
}

/* Timer-only mode (DESIGN.md rule 9): never reports anything. */
const GbIdleBackend gb_idle_none = {
	.name = "none",
	.start = none_start,
	.watch_activity = none_watch_activity,
	.stop = none_stop,
};

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
			                       monitor != NULL ? "available" : local_error->message,
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
		                       backends[i]->name, local_error->message);
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
	monitor->backend->watch_activity(monitor);
}

void
gb_idle_stop(GbIdleMonitor *monitor)
{
	if (monitor != NULL)
		monitor->backend->stop(monitor);
}

const char *
gb_idle_get_name(const GbIdleMonitor *monitor)
{
	return monitor->backend->name;
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

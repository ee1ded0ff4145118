/* SPDX-License-Identifier: MIT */
/* STUB: being written. */
#include "errors.h"
#include "idle.h"

static GbIdleMonitor *
start(gint64 threshold_us, GbIdleFunc func, gpointer user_data, GError **error)
{
	(void) threshold_us;
	(void) func;
	(void) user_data;
	g_set_error_literal(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE, "not implemented yet");
	return NULL;
}

static void
watch_activity(GbIdleMonitor *monitor)
{
	(void) monitor;
}

static void
stop(GbIdleMonitor *monitor)
{
	g_free(monitor);
}

const GbIdleBackend gb_idle_wayland = {
	.name = "wayland",
	.start = start,
	.watch_activity = watch_activity,
	.stop = stop,
};

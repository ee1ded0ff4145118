/* SPDX-License-Identifier: MIT */
/* Stand-ins for the backends of branch h13-dnd2 (src/hold-dnd-kde.c, src/hold-dnd-gsettings.c),
 * so that this branch builds on its own. Drop this file when merging. */
#include "hold-dnd-private.h"

static gpointer
start_nothing(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
              GbDndReportFunc report, gpointer report_data)
{
	(void) bus, (void) owner, (void) options, (void) report, (void) report_data;
	g_info("(this build has no backend for this server)");
	return NULL;
}

static void
stop_nothing(gpointer backend)
{
	(void) backend;
}

const GbDndBackend gb_dnd_plasma = { "Plasma", start_nothing, stop_nothing, NULL, NULL };
const GbDndBackend gb_dnd_swaync = {
	"SwayNotificationCenter", start_nothing, stop_nothing, NULL, NULL
};
const GbDndBackend gb_dnd_gnome = { "gnome-shell", start_nothing, stop_nothing, NULL, NULL };
const GbDndBackend gb_dnd_cinnamon = { "cinnamon", start_nothing, stop_nothing, NULL, NULL };
const GbDndBackend gb_dnd_mate = {
	"Notification Daemon", start_nothing, stop_nothing, NULL, NULL
};

/* SPDX-License-Identifier: MIT */
/* The floor for bench/bench.py (DESIGN.md §5): the least a GLib+GIO+libnotify program
 * costs. It initialises libnotify, connects to the session bus and sits in its main
 * loop, nothing else; SIGTERM ends it. bench.py builds it with
 *   cc -O2 floor.c $(pkg-config --cflags --libs gio-2.0 libnotify)
 * and prints "ready" on stdout once it is connected. */
#include <stdio.h>
#include <gio/gio.h>
#include <libnotify/notify.h>

int
main(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GMainLoop) loop = NULL;

	if (!notify_init("floor")) {
		g_printerr("floor: cannot initialise libnotify\n");
		return 1;
	}
	bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	if (bus == NULL) {
		g_printerr("floor: cannot connect to the session bus: %s\n", error->message);
		return 1;
	}
	loop = g_main_loop_new(NULL, FALSE);
	printf("ready\n");
	fflush(stdout);
	g_main_loop_run(loop);
	notify_uninit();
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* A hold sensor on its own, for the integration tests: prints "hold REASONS" (gb_hold_describe,
 * "-" for none) at start and on every change, one line each, flushed; a line "check" on stdin
 * makes the sensor's read-when-due (if it has one) and prints "check on" or "check off".
 * Log messages go to stderr.
 * Usage: hold-watch SENSOR [ARG...] (see the table). The session bus is DBUS_SESSION_BUS_ADDRESS. */
#include <stdio.h>
#include <glib-unix.h>

#include "gnome-breaks.h"
#include "hold.h"
#include "hold-dnd.h"
#ifdef HAVE_X11
#include "hold-fullscreen-x11.h"
#endif
#ifdef HAVE_WAYLAND
#include "hold-fullscreen-wlr.h"
#endif
#include "hold-schedule.h"
#include "hold-camera.h"
#include "hold-inhibit.h"
#include "hold-dnd-private.h"

typedef struct {
	GbHold *hold;
	GMainLoop *loop;
	gpointer sensor;
	void (*check)(gpointer sensor, GbHoldCheckFunc done, gpointer user_data);
} Watch;

typedef struct {
	const char *name;
	const char *usage;
	/* NULL and @error set: the sensor cannot run here */
	gpointer (*start)(GDBusConnection *bus, GbHold *hold, char **args, GError **error);
	void (*stop)(gpointer sensor);
	void (*check)(gpointer sensor, GbHoldCheckFunc done, gpointer user_data);
} Sensor;

/* dnd-server NAME: one do-not-disturb backend of src/hold-dnd-*.c, chosen by its server name,
 * started directly (without src/hold-dnd.c identifying the server) on the current owner of
 * org.freedesktop.Notifications, or none (the GSettings backends need none). A backend with
 * nothing to watch reports nothing: the watch goes on, and stderr says so. */
static const GbDndBackend *const dnd_backends[] = {
	&gb_dnd_gnome, &gb_dnd_cinnamon, &gb_dnd_mate, &gb_dnd_plasma, &gb_dnd_swaync,
};

typedef struct {
	const GbDndBackend *backend;
	gpointer state;
	GbHold *hold;
} DndServer;

static void
on_dnd_report(gboolean on, gpointer user_data)
{
	DndServer *dnd = user_data;

	gb_hold_set(dnd->hold, GB_HOLD_DND, on, dnd->backend->server);
}

static char *
notifications_owner(GDBusConnection *bus)
{
	g_autoptr(GVariant) reply = NULL;
	char *owner = NULL;

	if (bus == NULL)
		return NULL;
	reply = g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                                    "org.freedesktop.DBus", "GetNameOwner",
	                                    g_variant_new("(s)", "org.freedesktop.Notifications"),
	                                    G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, 1000,
	                                    NULL, NULL);
	if (reply != NULL)
		g_variant_get(reply, "(s)", &owner);
	return owner;
}

static gpointer
dnd_server_start(GDBusConnection *bus, GbHold *hold, char **args, GError **error)
{
	static const char *const mako_modes[] = { "do-not-disturb", NULL };
	const GbDndOptions options = { mako_modes };
	g_autofree char *owner = NULL;
	DndServer *dnd;

	for (gsize i = 0; args[0] != NULL && i < G_N_ELEMENTS(dnd_backends); i++) {
		if (!g_str_equal(dnd_backends[i]->server, args[0]))
			continue;
		owner = notifications_owner(bus);
		dnd = g_new0(DndServer, 1);
		dnd->backend = dnd_backends[i];
		dnd->hold = hold;
		dnd->state = dnd->backend->start(bus, owner, &options, on_dnd_report, dnd);
		if (dnd->state == NULL)
			fprintf(stderr, "hold-watch: %s: nothing to watch\n", args[0]);
		return dnd;
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no such server: '%s'",
	            args[0] != NULL ? args[0] : "");
	return NULL;
}

static void
dnd_server_stop(gpointer sensor)
{
	DndServer *dnd = sensor;

	if (dnd->state != NULL)
		dnd->backend->stop(dnd->state);
	g_free(dnd);
}

static gpointer
dnd_start(GDBusConnection *bus, GbHold *hold, char **args, GError **error)
{
	(void) error;
	return gb_hold_dnd_new(bus, hold, *args != NULL ? (const char *const *) args : NULL);
}

static void
dnd_stop(gpointer sensor)
{
	gb_hold_dnd_free(sensor);
}

static void
dnd_check(gpointer sensor, GbHoldCheckFunc done, gpointer user_data)
{
	gb_hold_dnd_check(sensor, done, user_data);
}

#ifdef HAVE_X11
static gpointer
start_fullscreen_x11(GDBusConnection *bus, GbHold *hold, char **args, GError **error)
{
	(void) bus;
	(void) args;
	return gb_hold_x11_fullscreen_new(hold, error);
}

static void
stop_fullscreen_x11(gpointer sensor)
{
	gb_hold_x11_fullscreen_free(sensor);
}

static void
check_fullscreen_x11(gpointer sensor, GbHoldCheckFunc done, gpointer user_data)
{
	gb_hold_x11_fullscreen_check(sensor, done, user_data);
}
#endif

#ifdef HAVE_WAYLAND
static gpointer
start_fullscreen_wlr(GDBusConnection *bus, GbHold *hold, char **args, GError **error)
{
	(void) bus;
	(void) args;
	return gb_hold_wlr_fullscreen_new(hold, error);
}

static void
stop_fullscreen_wlr(gpointer sensor)
{
	gb_hold_wlr_fullscreen_free(sensor);
}
#endif

static gpointer
start_schedule(GDBusConnection *bus, GbHold *hold, char **args, GError **error)
{
	g_autoptr(GbSchedule) schedule = NULL;

	(void) bus;
	schedule = gb_schedule_parse(args[0] != NULL ? args[0] : "", error);
	return schedule != NULL ? gb_hold_schedule_new(hold, schedule) : NULL;
}

static void
stop_schedule(gpointer sensor)
{
	gb_hold_schedule_free(sensor);
}

static gboolean
need_bus(GDBusConnection *bus, GError **error)
{
	if (bus == NULL)
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
		                    "DBUS_SESSION_BUS_ADDRESS is not set");
	return bus != NULL;
}

static gpointer
start_inhibit(GDBusConnection *bus, GbHold *hold, char **args, GError **error)
{
	(void) args;
	return need_bus(bus, error) ? gb_hold_inhibit_new(bus, hold) : NULL;
}

static void
stop_inhibit(gpointer sensor)
{
	gb_hold_inhibit_free(sensor);
}

static gpointer
start_camera(GDBusConnection *bus, GbHold *hold, char **args, GError **error)
{
	gint64 settle_ms = GB_HOLD_CAMERA_SETTLE_US / 1000;

	(void) bus;
	if (args[0] == NULL || (args[1] != NULL &&
	                        !g_ascii_string_to_signed(args[1], 10, 0, G_MAXINT, &settle_ms,
	                                                  error))) {
		if (error != NULL && *error == NULL)
			g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			                    "usage: camera DIR [SETTLE_MS]");
		return NULL;
	}
	return gb_hold_camera_new_full(hold, args[0], settle_ms * 1000);
}

static void
stop_camera(gpointer sensor)
{
	gb_hold_camera_free(sensor);
}

/* Not a hold: prints "warning TEXT" when GNOME's movement breaks warning appears, "warning -"
 * when it goes. */
typedef struct {
	GbGnomeBreaks *breaks;
} BreaksWatch;

static void
on_breaks_changed(gpointer user_data)
{
	const char *warning = gb_gnome_breaks_get_warning(((BreaksWatch *) user_data)->breaks);

	printf("warning %s\n", warning != NULL ? warning : "-");
	fflush(stdout);
}

static gpointer
start_breaks(GDBusConnection *bus, GbHold *hold, char **args, GError **error)
{
	BreaksWatch *watch;

	(void) hold;
	(void) args;
	if (!need_bus(bus, error))
		return NULL;
	watch = g_new0(BreaksWatch, 1);
	watch->breaks = gb_gnome_breaks_new(bus, on_breaks_changed, watch);
	return watch;
}

static void
stop_breaks(gpointer sensor)
{
	BreaksWatch *watch = sensor;

	gb_gnome_breaks_free(watch->breaks);
	g_free(watch);
}

/* Each sensor adds its row here. */
static const Sensor sensors[] = {
	{ "dnd", "[MAKO-MODE...] (default do-not-disturb)", dnd_start, dnd_stop, dnd_check },
#ifdef HAVE_X11
	{ "fullscreen-x11", "(DISPLAY)", start_fullscreen_x11, stop_fullscreen_x11,
	  check_fullscreen_x11 },
#endif
#ifdef HAVE_WAYLAND
	{ "fullscreen-wlr", "(on $WAYLAND_DISPLAY)", start_fullscreen_wlr, stop_fullscreen_wlr,
	  NULL },
#endif
	{ "schedule", "'ACTIVE' (as [schedule] active)", start_schedule, stop_schedule, NULL },
	{ "inhibit", "(org.gnome.SessionManager InhibitedActions)", start_inhibit, stop_inhibit,
	  NULL },
	{ "camera", "DIR [SETTLE_MS] (DIR/video* in use)", start_camera, stop_camera, NULL },
	{ "gnome-breaks", "(prints \"warning ...\" lines, not holds)", start_breaks, stop_breaks,
	  NULL },
	{ "dnd-server", "NAME (gnome-shell, cinnamon, 'Notification Daemon', Plasma, "
	  "SwayNotificationCenter)", dnd_server_start, dnd_server_stop, NULL },
	{ NULL },
};

static void
print_hold(Watch *watch)
{
	g_autofree char *text = gb_hold_describe(watch->hold);

	printf("hold %s\n", *text != '\0' ? text : "-");
	fflush(stdout);
}

static void
on_changed(gpointer user_data)
{
	print_hold(user_data);
}

static void
on_checked(gboolean on, gpointer user_data)
{
	(void) user_data;
	printf("check %s\n", on ? "on" : "off");
	fflush(stdout);
}

static gboolean
on_stdin(int fd, GIOCondition condition, gpointer user_data)
{
	Watch *watch = user_data;
	char line[64];
	gssize n = read(fd, line, sizeof(line) - 1);

	(void) condition;
	if (n <= 0) {
		g_main_loop_quit(watch->loop);
		return G_SOURCE_REMOVE;
	}
	line[n] = '\0';
	if (g_str_has_prefix(line, "check")) {
		if (watch->check != NULL)
			watch->check(watch->sensor, on_checked, watch);
		else
			on_checked(FALSE, watch);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
on_term(gpointer user_data)
{
	g_main_loop_quit(((Watch *) user_data)->loop);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	const Sensor *sensor = NULL;
	Watch watch = { 0 };

	/* stdout is for our lines only: GLib would write g_info and g_debug there */
	g_log_writer_default_set_use_stderr(TRUE);
	for (gsize i = 0; argc > 1 && sensors[i].name != NULL; i++)
		if (g_str_equal(sensors[i].name, argv[1]))
			sensor = &sensors[i];
	if (sensor == NULL) {
		fprintf(stderr, "usage: hold-watch SENSOR [ARG...]\n");
		for (gsize i = 0; sensors[i].name != NULL; i++)
			fprintf(stderr, "  %s %s\n", sensors[i].name, sensors[i].usage);
		return 2;
	}
	if (g_getenv("DBUS_SESSION_BUS_ADDRESS") != NULL) {
		bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
		if (bus == NULL) {
			fprintf(stderr, "hold-watch: %s\n", error->message);
			return 1;
		}
	}
	watch.loop = g_main_loop_new(NULL, FALSE);
	watch.hold = gb_hold_new(on_changed, &watch);
	watch.check = sensor->check;
	watch.sensor = sensor->start(bus, watch.hold, argv + 2, &error);
	if (watch.sensor == NULL) {
		fprintf(stderr, "hold-watch: %s\n", error->message);
		gb_hold_free(watch.hold);
		g_main_loop_unref(watch.loop);
		return 1;
	}
	print_hold(&watch);
	g_unix_fd_add(0, G_IO_IN | G_IO_HUP, on_stdin, &watch);
	g_unix_signal_add(SIGTERM, on_term, &watch);
	g_main_loop_run(watch.loop);
	sensor->stop(watch.sensor);
	gb_hold_free(watch.hold);
	g_main_loop_unref(watch.loop);
	return 0;
}

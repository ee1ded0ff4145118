/* SPDX-License-Identifier: MIT */
/* A hold sensor on its own, for the integration tests: prints "hold REASONS" (gb_hold_describe,
 * "-" for none) at start and on every change, one line each, flushed; a line "check" on stdin
 * makes the sensor's read-when-due (if it has one) and prints "check on" or "check off".
 * Usage: hold-watch SENSOR [ARG...] (see the table). The session bus is DBUS_SESSION_BUS_ADDRESS. */
#include <stdio.h>
#include <glib-unix.h>

#include "hold.h"
#include "hold-dnd.h"
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

/* Each sensor adds its row here. */
static const Sensor sensors[] = {
	{ "dnd", "[MAKO-MODE...] (default do-not-disturb)", dnd_start, dnd_stop, dnd_check },
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

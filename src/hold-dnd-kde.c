/* SPDX-License-Identifier: MIT */
/* Do-not-disturb of KDE Plasma and SwayNotificationCenter, read over D-Bus from the server that
 * owns org.freedesktop.Notifications (reference/dnd-and-meetings.md §1). Every call is
 * asynchronous, not D-Bus-activating and bounded by CALL_TIMEOUT_MS; signals are heard from the
 * owner only. A server that does not answer counts as "not holding" until it says otherwise.
 *
 * For the docs: on KDE Plasma (5.16 or later) glutebreak holds a reminder while Plasma's
 * notifications are inhibited: the do-not-disturb switch, an app that asked for it (the
 * screen-sharing portal does, 5.22 or later), mirrored screens (presentations) and, from Plasma
 * 6.4, a focused fullscreen window, as the user set them in Plasma's notification settings.
 * Every change is heard at once (PropertiesChanged). It is missed without plasmashell's
 * notification applet, which computes the state. On SwayNotificationCenter glutebreak holds
 * while its do-not-disturb is on and, from 0.8, while a program inhibits its notifications
 * (swaync-client --inhibitor-add); both are heard at once (its Subscribe and SubscribeV2
 * signals).
 *
 * Which server is running is told by GetServerInformation's name, read from each server's source:
 * - Plasma: plasma-workspace libnotificationmanager/server_p.cpp ServerPrivate::
 *   GetServerInformation returns "Plasma" (tag v5.27.5 :296; HEAD 0eb6cbac16 :304). Its
 *   Inhibited property (libnotificationmanager/dbus/org.freedesktop.Notifications.xml) changes
 *   with a PropertiesChanged that carries the value, sent by hand from the connection that owns
 *   the name (ServerPrivate::onInhibitedChanged, server_p.cpp:466-482).
 * - SwayNotificationCenter: src/notiDaemon/notiDaemon.vala get_server_information() answers
 *   "SwayNotificationCenter" (tags v0.7.3 :273, v0.8.0 :303; HEAD b8017a4d1a :405). The same
 *   process owns org.erikreider.swaync.cc on the same connection (g_bus_own_name's shared
 *   connection in src/main.vala:44 and src/swayncDaemon/swayncDaemon.vala:21 of v0.7.3,
 *   Bus.own_name_on_connection in HEAD src/main.vala:108-135), object /org/erikreider/swaync/cc:
 *   GetDnd() (all), IsInhibited() (from 0.8.0), the signal Subscribe(u count, b dnd, b cc_open)
 *   (the only one in 0.7.x, declared deprecated and no longer emitted from 0.8.0) and
 *   SubscribeV2(u count, b dnd, b cc_open, b inhibited) (from 0.8.0), both emitted on every
 *   change of do-not-disturb, of the inhibitors and of the notification count. */
#include "hold-dnd-private.h"

#include "dbus-property.h"

/* a server answers in ms, or hangs: then it counts as not holding (GbHoldCheckFunc) */
#define CALL_TIMEOUT_MS 1000

#define NOTIFY_PATH "/org/freedesktop/Notifications"
#define NOTIFY_IFACE "org.freedesktop.Notifications"
#define SWAYNC_PATH "/org/erikreider/swaync/cc"
#define SWAYNC_IFACE "org.erikreider.swaync.cc"

/* FALSE if there is no server to ask for @what (said with g_info()) */
static gboolean
can_ask(const char *what, GDBusConnection *bus, const char *owner)
{
	if (bus != NULL && owner != NULL)
		return TRUE;
	g_info("do-not-disturb: no session bus or no owner to ask for %s", what);
	return FALSE;
}

/* --- KDE Plasma: org.freedesktop.Notifications' Inhibited property --- */

typedef struct {
	GbDBusProperty *inhibited;
	GbDndReportFunc report;
	gpointer report_data;
} Plasma;

/* Plasma sends the value with its PropertiesChanged; dbus-property.c reads it again if a
 * server only invalidates it. */
static void
on_plasma_inhibited(GVariant *value, const GError *error, gpointer user_data)
{
	Plasma *self = user_data;
	gboolean inhibited = value != NULL && g_variant_get_boolean(value);

	/* no answer (a Plasma before 5.16 has no such property): not holding */
	if (value == NULL)
		g_info("do-not-disturb: Plasma's Inhibited: %s", error->message);
	g_debug("do-not-disturb: Plasma is %sinhibited", inhibited ? "" : "not ");
	self->report(inhibited, self->report_data);
}

static gpointer
plasma_start(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
             GbDndReportFunc report, gpointer report_data)
{
	Plasma *self;

	(void) options;
	if (!can_ask("Plasma's Inhibited", bus, owner))
		return NULL;
	self = g_new0(Plasma, 1);
	self->report = report;
	self->report_data = report_data;
	self->inhibited = gb_dbus_property_new(bus, owner, NOTIFY_PATH, NOTIFY_IFACE, "Inhibited",
	                                       G_VARIANT_TYPE_BOOLEAN, on_plasma_inhibited, self);
	return self;
}

static void
plasma_stop(gpointer backend)
{
	Plasma *self = backend;

	if (self == NULL)
		return;
	gb_dbus_property_free(self->inhibited);
	g_free(self);
}

const GbDndBackend gb_dnd_plasma = {
	.server = "Plasma",
	.start = plasma_start,
	.stop = plasma_stop,
};

/* --- SwayNotificationCenter: org.erikreider.swaync.cc --- */

/* What swaync keeps of its server: the owner, the calls in flight and the report. */
typedef struct {
	GDBusConnection *bus;
	char *owner;
	GCancellable *cancellable;   /* the calls in flight; cancelled by stop() */
	guint signal_ids[2];
	GbDndReportFunc report;
	gpointer report_data;
} Server;

static gboolean
server_init(Server *server, const char *what, GDBusConnection *bus, const char *owner,
            GbDndReportFunc report, gpointer report_data)
{
	if (!can_ask(what, bus, owner))
		return FALSE;
	server->bus = g_object_ref(bus);
	server->owner = g_strdup(owner);
	server->cancellable = g_cancellable_new();
	server->report = report;
	server->report_data = report_data;
	return TRUE;
}

static void
server_clear(Server *server)
{
	for (gsize i = 0; i < G_N_ELEMENTS(server->signal_ids); i++)
		if (server->signal_ids[i] != 0)
			g_dbus_connection_signal_unsubscribe(server->bus, server->signal_ids[i]);
	g_cancellable_cancel(server->cancellable);
	g_clear_object(&server->cancellable);
	g_clear_object(&server->bus);
	g_clear_pointer(&server->owner, g_free);
}

static guint
server_subscribe(Server *server, const char *interface, const char *member, const char *path,
                 const char *arg0, GDBusSignalCallback callback, gpointer user_data)
{
	return g_dbus_connection_signal_subscribe(server->bus, server->owner, interface, member,
	                                          path, arg0, G_DBUS_SIGNAL_FLAGS_NONE, callback,
	                                          user_data, NULL);
}

static void
server_call(Server *server, const char *path, const char *interface, const char *method,
            GVariant *parameters, const char *reply_type, GAsyncReadyCallback callback,
            gpointer user_data)
{
	g_dbus_connection_call(server->bus, server->owner, path, interface, method, parameters,
	                       G_VARIANT_TYPE(reply_type), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	                       CALL_TIMEOUT_MS, server->cancellable, callback, user_data);
}

/* The reply of a call, NULL when there is none (logged); *@cancelled when its backend has
 * stopped: then user_data is gone and must not be touched. */
static GVariant *
server_finish(GObject *source, GAsyncResult *result, const char *what, gboolean *cancelled)
{
	g_autoptr(GError) error = NULL;
	GVariant *reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);

	*cancelled = g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	if (reply == NULL && !*cancelled) {
		g_dbus_error_strip_remote_error(error);
		g_info("do-not-disturb: %s: %s", what, error->message);
	}
	return reply;
}

typedef struct {
	Server server;
	gboolean dnd;
	gboolean inhibited;          /* FALSE where unknown (before 0.8.0) */
	int pending;                 /* replies to come before the first report */
} Swaync;

static void
swaync_report(Swaync *self)
{
	g_debug("do-not-disturb: SwayNotificationCenter: dnd %s, inhibited %s",
	        self->dnd ? "on" : "off", self->inhibited ? "yes" : "no");
	self->server.report(self->dnd || self->inhibited, self->server.report_data);
}

/* The first report waits for both answers; a missing one leaves its value as it was (FALSE,
 * or what a signal said meanwhile). */
static void
swaync_answered(Swaync *self)
{
	if (self->pending > 0)
		self->pending--;
	if (self->pending == 0)
		swaync_report(self);
}

static void
on_swaync_dnd(GObject *source, GAsyncResult *result, gpointer user_data)
{
	gboolean cancelled;
	g_autoptr(GVariant) reply = server_finish(source, result, "SwayNotificationCenter's GetDnd",
	                                          &cancelled);
	Swaync *self = user_data;

	if (cancelled)
		return;
	if (reply != NULL)
		g_variant_get(reply, "(b)", &self->dnd);
	swaync_answered(self);
}

/* swaync 0.7.x has no IsInhibited (said at info level): inhibited stays FALSE */
static void
on_swaync_inhibited(GObject *source, GAsyncResult *result, gpointer user_data)
{
	gboolean cancelled;
	g_autoptr(GVariant) reply = server_finish(source, result,
	                                          "SwayNotificationCenter's IsInhibited", &cancelled);
	Swaync *self = user_data;

	if (cancelled)
		return;
	if (reply != NULL)
		g_variant_get(reply, "(b)", &self->inhibited);
	swaync_answered(self);
}

/* Subscribe(u count, b dnd, b cc_open) and SubscribeV2(u count, b dnd, b cc_open, b inhibited) */
static void
on_swaync_subscribe(GDBusConnection *bus, const char *sender, const char *path,
                    const char *interface, const char *signal, GVariant *parameters,
                    gpointer user_data)
{
	Swaync *self = user_data;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	if (g_str_equal(signal, "SubscribeV2") &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ubbb)")))
		g_variant_get(parameters, "(ubbb)", NULL, &self->dnd, NULL, &self->inhibited);
	else if (g_str_equal(signal, "Subscribe") &&
	         g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ubb)")))
		g_variant_get(parameters, "(ubb)", NULL, &self->dnd, NULL);
	else
		return;
	swaync_report(self);
}

static gpointer
swaync_start(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
             GbDndReportFunc report, gpointer report_data)
{
	Swaync *self = g_new0(Swaync, 1);

	(void) options;
	if (!server_init(&self->server, "SwayNotificationCenter", bus, owner, report,
	                 report_data)) {
		g_free(self);
		return NULL;
	}
	self->server.signal_ids[0] = server_subscribe(&self->server, SWAYNC_IFACE, "Subscribe",
	                                              SWAYNC_PATH, NULL, on_swaync_subscribe, self);
	self->server.signal_ids[1] = server_subscribe(&self->server, SWAYNC_IFACE, "SubscribeV2",
	                                              SWAYNC_PATH, NULL, on_swaync_subscribe, self);
	/* after subscribing, as for Plasma; the replies come in order with the signals */
	self->pending = 2;
	server_call(&self->server, SWAYNC_PATH, SWAYNC_IFACE, "GetDnd", NULL, "(b)",
	            on_swaync_dnd, self);
	server_call(&self->server, SWAYNC_PATH, SWAYNC_IFACE, "IsInhibited", NULL, "(b)",
	            on_swaync_inhibited, self);
	return self;
}

static void
swaync_stop(gpointer backend)
{
	Swaync *self = backend;

	if (self == NULL)
		return;
	server_clear(&self->server);
	g_free(self);
}

const GbDndBackend gb_dnd_swaync = {
	.server = "SwayNotificationCenter",
	.start = swaync_start,
	.stop = swaync_stop,
};

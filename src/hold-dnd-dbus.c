/* SPDX-License-Identifier: MIT */
/* Do-not-disturb of the servers read over D-Bus (reference/dnd-and-meetings.md §1): dunst's
 * paused, mako's modes, xfce4-notifyd's /do-not-disturb in xfconfd. Each backend subscribes
 * to the change signal from its peer's unique name before its first read (dunst's and mako's
 * properties through dbus-property.c), so a change during the read comes after the read's
 * reply. Every call is asynchronous, never starts a peer, and gives up after a second; a peer
 * that does not answer counts as "off". */
#include "hold-dnd-private.h"

#include "dbus-property.h"

#define CALL_TIMEOUT_MS 1000

/* What mako and Xfce keep of their peer. */
typedef struct {
	GDBusConnection *bus;
	char *owner;               /* the peer's unique name, or NULL */
	GCancellable *cancellable; /* the calls to @owner */
	guint signal_id;
	GbDndReportFunc report;
	gpointer report_data;
} Peer;

static void
peer_init(Peer *peer, GDBusConnection *bus, GbDndReportFunc report, gpointer report_data)
{
	peer->bus = g_object_ref(bus);
	peer->report = report;
	peer->report_data = report_data;
}

/* Calls go to @owner from now on. */
static void
peer_attach(Peer *peer, const char *owner)
{
	peer->owner = g_strdup(owner);
	peer->cancellable = g_cancellable_new();
}

/* Subscribes to @member (NULL: any) of @interface from @owner, whose first argument is @arg0
 * (nullable). */
static void
peer_follow(Peer *peer, const char *owner, const char *interface, const char *member,
            const char *path, const char *arg0, GDBusSignalCallback callback, gpointer user_data)
{
	peer_attach(peer, owner);
	peer->signal_id = g_dbus_connection_signal_subscribe(peer->bus, owner, interface, member,
	                                                     path, arg0, G_DBUS_SIGNAL_FLAGS_NONE,
	                                                     callback, user_data, NULL);
}

/* After this, no call's reply and no signal reaches the backend. */
static void
peer_forget(Peer *peer)
{
	if (peer->signal_id != 0)
		g_dbus_connection_signal_unsubscribe(peer->bus, peer->signal_id);
	peer->signal_id = 0;
	g_cancellable_cancel(peer->cancellable);
	g_clear_object(&peer->cancellable);
	g_clear_pointer(&peer->owner, g_free);
}

static void
peer_clear(Peer *peer)
{
	peer_forget(peer);
	g_clear_object(&peer->bus);
}

static void
peer_call(Peer *peer, const char *path, const char *interface, const char *method,
          GVariant *parameters, const GVariantType *reply_type, GAsyncReadyCallback callback,
          gpointer user_data)
{
	g_dbus_connection_call(peer->bus, peer->owner, path, interface, method, parameters,
	                       reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
	                       peer->cancellable, callback, user_data);
}

/* The reply of a call, or NULL with @error set; NULL and no error: cancelled (the backend may
 * be gone: touch nothing). */
static GVariant *
reply_finish(GObject *source, GAsyncResult *result, GError **error)
{
	g_autoptr(GError) local = NULL;
	GVariant *reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &local);

	if (reply != NULL || g_error_matches(local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return reply;
	g_dbus_error_strip_remote_error(local);
	g_propagate_error(error, g_steal_pointer(&local));
	return NULL;
}

/* --- dunst: org.dunstproject.cmd0 "paused" (b). `dunstctl set-paused` (a Set) signals it
 * since 1.6.0, SIGUSR1/2 only since 1.13.1. The same interface also signals its queue
 * lengths: only "paused" counts. A `dunstctl reload` unpauses dunst (true → false): the
 * daemon's after-hold delay keeps that from delivering at once. */

#define DUNST_PATH "/org/freedesktop/Notifications"
#define DUNST_IFACE "org.dunstproject.cmd0"

typedef struct {
	GbDBusProperty *paused;
	GbDndReportFunc report;
	gpointer report_data;
} Dunst;

static void
on_dunst_paused(GVariant *value, const GError *error, gpointer user_data)
{
	Dunst *dunst = user_data;

	if (value == NULL)
		g_info("dunst's paused cannot be read: %s", error->message);
	dunst->report(value != NULL && g_variant_get_boolean(value), dunst->report_data);
}

static gpointer
dunst_start(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
            GbDndReportFunc report, gpointer report_data)
{
	Dunst *dunst = g_new0(Dunst, 1);

	(void) options;
	dunst->report = report;
	dunst->report_data = report_data;
	dunst->paused = gb_dbus_property_new(bus, owner, DUNST_PATH, DUNST_IFACE, "paused",
	                                     G_VARIANT_TYPE_BOOLEAN, on_dunst_paused, dunst);
	return dunst;
}

static void
dunst_stop(gpointer backend)
{
	Dunst *dunst = backend;

	gb_dbus_property_free(dunst->paused);
	g_free(dunst);
}

const GbDndBackend gb_dnd_dunst = {
	.server = "dunst", /* dunst src/dbus.c, dbus_cb_GetServerInformation */
	.start = dunst_start,
	.stop = dunst_stop,
};

/* --- mako: the active modes, any of options->mako_modes meaning do-not-disturb. mako 1.10
 * has the property Modes (as), whose PropertiesChanged carries no value; before, ListModes
 * (1.7) is all there is, so it is asked when a reminder falls due. */

#define MAKO_PATH "/fr/emersion/Mako"
#define MAKO_IFACE "fr.emersion.Mako"

typedef enum {
	MAKO_PROBING, /* Modes asked for the first time */
	MAKO_MODES,   /* the property exists */
	MAKO_LIST,    /* ListModes only */
} MakoApi;

typedef struct {
	Peer peer;                /* for ListModes */
	GbDBusProperty *modes;
	char **dnd_modes;
	MakoApi api;
} Mako;

/* A ListModes: for a check (done), or the first read on a mako without Modes. */
typedef struct {
	Mako *mako;
	GbHoldCheckFunc done; /* nullable */
	gpointer user_data;
} MakoList;

static gboolean
mako_holds(Mako *mako, GVariant *modes)
{
	const char *mode;
	GVariantIter iter;

	g_variant_iter_init(&iter, modes);
	while (g_variant_iter_next(&iter, "&s", &mode))
		if (g_strv_contains((const char *const *) mako->dnd_modes, mode))
			return TRUE;
	return FALSE;
}

static void
on_mako_list(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autofree MakoList *list = user_data;
	Mako *mako = list->mako;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = reply_finish(source, result, &error);
	g_autoptr(GVariant) modes = NULL;
	gboolean on = FALSE;

	if (reply == NULL && error == NULL)
		return;
	if (reply == NULL) {
		g_info("mako's modes cannot be read: %s", error->message);
	} else {
		modes = g_variant_get_child_value(reply, 0);
		on = mako_holds(mako, modes);
	}
	mako->peer.report(on, mako->peer.report_data);
	if (list->done != NULL)
		list->done(on, list->user_data);
}

static void
mako_list(Mako *mako, GbHoldCheckFunc done, gpointer user_data)
{
	MakoList *list = g_new0(MakoList, 1);

	list->mako = mako;
	list->done = done;
	list->user_data = user_data;
	peer_call(&mako->peer, MAKO_PATH, MAKO_IFACE, "ListModes", NULL, G_VARIANT_TYPE("(as)"),
	          on_mako_list, list);
}

/* Modes from its Get or from PropertiesChanged (mako sends no value: it is read again) */
static void
on_mako_modes(GVariant *modes, const GError *error, gpointer user_data)
{
	Mako *mako = user_data;

	if (modes != NULL) {
		if (mako->api != MAKO_MODES)
			g_info("mako has Modes (1.10 or later): followed as they change");
		mako->api = MAKO_MODES;
		mako->peer.report(mako_holds(mako, modes), mako->peer.report_data);
	} else if (mako->api == MAKO_PROBING) {
		g_info("mako has no Modes (before 1.10: %s); they are read when a reminder falls due",
		       error->message);
		mako->api = MAKO_LIST;
		mako_list(mako, NULL, NULL);
	} else {
		g_info("mako's Modes cannot be read: %s", error->message);
		mako->peer.report(FALSE, mako->peer.report_data);
	}
}

static gpointer
mako_start(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
           GbDndReportFunc report, gpointer report_data)
{
	Mako *mako = g_new0(Mako, 1);

	peer_init(&mako->peer, bus, report, report_data);
	mako->dnd_modes = g_strdupv((char **) options->mako_modes);
	peer_attach(&mako->peer, owner);
	mako->modes = gb_dbus_property_new(bus, owner, MAKO_PATH, MAKO_IFACE, "Modes",
	                                   G_VARIANT_TYPE_STRING_ARRAY, on_mako_modes, mako);
	return mako;
}

static void
mako_stop(gpointer backend)
{
	Mako *mako = backend;

	gb_dbus_property_free(mako->modes);
	peer_clear(&mako->peer);
	g_strfreev(mako->dnd_modes);
	g_free(mako);
}

/* Also while Modes is being probed: a read costs nothing then. */
static gboolean
mako_needs_check(gpointer backend)
{
	return ((Mako *) backend)->api != MAKO_MODES;
}

static void
mako_check(gpointer backend, GbHoldCheckFunc done, gpointer user_data)
{
	mako_list(backend, done, user_data);
}

const GbDndBackend gb_dnd_mako = {
	.server = "mako", /* mako dbus/xdg.c, handle_get_server_information */
	.start = mako_start,
	.stop = mako_stop,
	.needs_check = mako_needs_check,
	.check = mako_check,
};

/* --- xfce4-notifyd: the xfconf property /do-not-disturb of the channel xfce4-notifyd, kept by
 * xfconfd (org.xfce.Xfconf), whose owner is watched by itself. A property never set, or
 * removed, is off. */

#define XFCONF_NAME "org.xfce.Xfconf"
#define XFCONF_PATH "/org/xfce/Xfconf"
#define XFCONF_IFACE "org.xfce.Xfconf"
#define XFCE_CHANNEL "xfce4-notifyd"
#define XFCE_PROPERTY "/do-not-disturb"

typedef struct {
	Peer peer;    /* xfconfd */
	guint watch_id;
} Xfce;

static void
xfce_report(Xfce *xfce, GVariant *value)
{
	xfce->peer.report(value != NULL && g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN) &&
	                  g_variant_get_boolean(value), xfce->peer.report_data);
}

static void
on_xfce_property(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Xfce *xfce = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = reply_finish(source, result, &error);
	g_autoptr(GVariant) value = NULL;

	if (reply == NULL && error == NULL)
		return;
	if (reply != NULL)
		g_variant_get(reply, "(v)", &value);
	else    /* org.xfce.Xfconf.Error.PropertyNotFound: never set */
		g_debug("xfconf %s %s: %s", XFCE_CHANNEL, XFCE_PROPERTY, error->message);
	xfce_report(xfce, value);
}

/* PropertyChanged(s channel, s property, v value), PropertyRemoved(s channel, s property) */
static void
on_xfce_changed(GDBusConnection *bus, const char *sender, const char *path,
                const char *interface, const char *signal, GVariant *parameters,
                gpointer user_data)
{
	Xfce *xfce = user_data;
	const char *channel, *property;
	g_autoptr(GVariant) value = NULL;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	if (g_str_equal(signal, "PropertyChanged") &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ssv)")))
		g_variant_get(parameters, "(&s&sv)", &channel, &property, &value);
	else if (g_str_equal(signal, "PropertyRemoved") &&
	         g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ss)")))
		g_variant_get(parameters, "(&s&s)", &channel, &property);
	else
		return;
	if (g_str_equal(channel, XFCE_CHANNEL) && g_str_equal(property, XFCE_PROPERTY))
		xfce_report(xfce, value);
}

static void
on_xfconf_appeared(GDBusConnection *bus, const char *name, const char *owner,
                   gpointer user_data)
{
	Xfce *xfce = user_data;

	(void) bus;
	g_debug("'%s' appeared: %s", name, owner);
	peer_forget(&xfce->peer);
	peer_follow(&xfce->peer, owner, XFCONF_IFACE, NULL, XFCONF_PATH, XFCE_CHANNEL,
	            on_xfce_changed, xfce);
	peer_call(&xfce->peer, XFCONF_PATH, XFCONF_IFACE, "GetProperty",
	          g_variant_new("(ss)", XFCE_CHANNEL, XFCE_PROPERTY), G_VARIANT_TYPE("(v)"),
	          on_xfce_property, xfce);
}

static void
on_xfconf_vanished(GDBusConnection *bus, const char *name, gpointer user_data)
{
	Xfce *xfce = user_data;

	peer_forget(&xfce->peer);
	if (bus == NULL)
		return;         /* the bus is gone: the daemon ends anyway */
	g_info("'%s' is not running: xfce4-notifyd's do-not-disturb cannot be read", name);
	xfce->peer.report(FALSE, xfce->peer.report_data);
}

static gpointer
xfce_start(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
           GbDndReportFunc report, gpointer report_data)
{
	Xfce *xfce = g_new0(Xfce, 1);

	(void) owner;
	(void) options;
	peer_init(&xfce->peer, bus, report, report_data);
	/* never started: xfce4-notifyd itself starts it on Xfce; the callbacks come from the
	 * main loop */
	xfce->watch_id = g_bus_watch_name_on_connection(bus, XFCONF_NAME,
	                                                G_BUS_NAME_WATCHER_FLAGS_NONE,
	                                                on_xfconf_appeared, on_xfconf_vanished,
	                                                xfce, NULL);
	return xfce;
}

static void
xfce_stop(gpointer backend)
{
	Xfce *xfce = backend;

	g_clear_handle_id(&xfce->watch_id, g_bus_unwatch_name);
	peer_clear(&xfce->peer);
	g_free(xfce);
}

const GbDndBackend gb_dnd_xfce = {
	/* xfce4-notifyd xfce4-notifyd/xfce-notify-daemon.c, notify_get_server_information */
	.server = "Xfce Notify Daemon",
	.start = xfce_start,
	.stop = xfce_stop,
};

/* SPDX-License-Identifier: MIT */
/* The screensavers' ActiveChanged(b) on the session bus (reference/idle-apis.md §2.2, §5.2).
 * Each name is watched; while it has an owner, ActiveChanged is heard from that owner only and
 * GetActive is asked once. "Any active" is reported only when it changes, and always from the
 * main loop: the name watches, signal handlers and call replies all run there. */
#include "screensaver.h"

/* GetActive: a screensaver answers in ms, or is not there */
#define CALL_TIMEOUT_MS 3000

/* Not D-Bus-activated: GNOME's org.gnome.ScreenSaver is an activatable helper that re-emits
 * what the shell says under org.gnome.Shell.ScreenShield, so listen to the shell directly
 * (reference/idle-apis.md §2.2) rather than start a GNOME helper on every desktop. */
static const struct {
	const char *name;
	const char *interface;
	const char *paths[2]; /* where to ask GetActive, in order */
} screensaver_info[] = {
	{ "org.gnome.ScreenSaver", "org.gnome.ScreenSaver", { "/org/gnome/ScreenSaver", NULL } },
	{ "org.gnome.Shell.ScreenShield", "org.gnome.ScreenSaver",
	  { "/org/gnome/ScreenSaver", NULL } },
	{ "org.freedesktop.ScreenSaver", "org.freedesktop.ScreenSaver",
	  { "/ScreenSaver", "/org/freedesktop/ScreenSaver" } },
	{ "org.cinnamon.ScreenSaver", "org.cinnamon.ScreenSaver",
	  { "/org/cinnamon/ScreenSaver", NULL } },
	{ "org.mate.ScreenSaver", "org.mate.ScreenSaver", { "/org/mate/ScreenSaver", NULL } },
	{ "org.xfce.ScreenSaver", "org.xfce.ScreenSaver", { "/org/xfce/ScreenSaver", NULL } },
};
#define N_SCREENSAVERS G_N_ELEMENTS(screensaver_info)

typedef struct {
	GbScreensavers *parent;
	gsize index;             /* into screensaver_info */
	guint watch_id;
	guint signal_id;
	char *owner;             /* unique name, or NULL */
	GCancellable *cancellable; /* GetActive of the current owner */
	int asking;              /* GetActive is asked at paths[asking] */
	gboolean active;
} Screensaver;

struct _GbScreensavers {
	GbScreensaversFunc func;
	gpointer user_data;
	GDBusConnection *bus;
	gboolean active;         /* as last reported */
	Screensaver savers[N_SCREENSAVERS];
};

static void
update_active(GbScreensavers *self)
{
	gboolean active = FALSE;

	for (gsize i = 0; i < N_SCREENSAVERS; i++)
		active = active || self->savers[i].active;
	if (active == self->active)
		return;
	self->active = active;
	self->func(active, self->user_data);
}

static void get_active(Screensaver *saver);

static void
on_get_active_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Screensaver *saver = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	const char *name, *const *paths;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;         /* saver is gone, or has another owner */
	name = screensaver_info[saver->index].name;
	paths = screensaver_info[saver->index].paths;
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(error);
		g_debug("%s.GetActive at '%s': %s", name, paths[saver->asking], error->message);
		if (++saver->asking < (int) G_N_ELEMENTS(screensaver_info[0].paths) &&
		    paths[saver->asking] != NULL)
			get_active(saver);
		return;
	}
	g_variant_get(reply, "(b)", &saver->active);
	g_debug("%s is %sactive", name, saver->active ? "" : "not ");
	update_active(saver->parent);
}

static void
get_active(Screensaver *saver)
{
	const char *path = screensaver_info[saver->index].paths[saver->asking];

	g_dbus_connection_call(saver->parent->bus, saver->owner, path,
	                       screensaver_info[saver->index].interface, "GetActive", NULL,
	                       G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	                       CALL_TIMEOUT_MS, saver->cancellable, on_get_active_reply, saver);
}

static void
on_active_changed(GDBusConnection *bus, const char *sender, const char *path,
                  const char *interface, const char *signal, GVariant *parameters,
                  gpointer user_data)
{
	Screensaver *saver = user_data;

	(void) bus;
	(void) signal;
	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(b)")))
		return;
	g_variant_get(parameters, "(b)", &saver->active);
	g_debug("%s.ActiveChanged(%s) from '%s' at '%s'", interface,
	        saver->active ? "true" : "false", sender, path);
	update_active(saver->parent);
}

static void
forget_owner(Screensaver *saver)
{
	if (saver->signal_id != 0)
		g_dbus_connection_signal_unsubscribe(saver->parent->bus, saver->signal_id);
	saver->signal_id = 0;
	g_cancellable_cancel(saver->cancellable);
	g_clear_object(&saver->cancellable);
	g_clear_pointer(&saver->owner, g_free);
}

/* Subscribed by the owner's unique name: GNOME emits ActiveChanged from the shell and again
 * from the helper that owns the name (reference/test-peers.md §4), and only the owner's
 * counts. A new owner comes with vanished + appeared, and so with a new subscription. */
static void
on_screensaver_appeared(GDBusConnection *bus, const char *name, const char *owner,
                        gpointer user_data)
{
	Screensaver *saver = user_data;

	g_debug("screensaver appeared: '%s' (%s)", name, owner);
	forget_owner(saver);
	saver->owner = g_strdup(owner);
	saver->cancellable = g_cancellable_new();
	saver->asking = 0;
	saver->signal_id = g_dbus_connection_signal_subscribe(
		bus, owner, screensaver_info[saver->index].interface, "ActiveChanged", NULL, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, on_active_changed, saver, NULL);
	/* after subscribing: a change before the reply comes after it */
	get_active(saver);
}

static void
on_screensaver_vanished(GDBusConnection *bus, const char *name, gpointer user_data)
{
	Screensaver *saver = user_data;

	if (bus == NULL)
		return;         /* the session bus is gone: the daemon ends anyway */
	if (saver->signal_id != 0)
		g_debug("screensaver vanished: '%s'", name);
	forget_owner(saver);
	saver->active = FALSE;
	update_active(saver->parent);
}

GbScreensavers *
gb_screensavers_new(GDBusConnection *session_bus, GbScreensaversFunc func, gpointer user_data)
{
	GbScreensavers *self;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(session_bus), NULL);
	g_return_val_if_fail(func != NULL, NULL);

	self = g_new0(GbScreensavers, 1);
	self->func = func;
	self->user_data = user_data;
	self->bus = g_object_ref(session_bus);
	for (gsize i = 0; i < N_SCREENSAVERS; i++) {
		Screensaver *saver = &self->savers[i];

		saver->parent = self;
		saver->index = i;
		/* the callbacks come from the main loop, never from in here */
		saver->watch_id = g_bus_watch_name_on_connection(
			session_bus, screensaver_info[i].name, G_BUS_NAME_WATCHER_FLAGS_NONE,
			on_screensaver_appeared, on_screensaver_vanished, saver, NULL);
	}
	return self;
}

void
gb_screensavers_free(GbScreensavers *screensavers)
{
	if (screensavers == NULL)
		return;
	for (gsize i = 0; i < N_SCREENSAVERS; i++) {
		Screensaver *saver = &screensavers->savers[i];

		g_clear_handle_id(&saver->watch_id, g_bus_unwatch_name);
		forget_owner(saver);
	}
	g_clear_object(&screensavers->bus);
	g_free(screensavers);
}

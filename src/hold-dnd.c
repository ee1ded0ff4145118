/* SPDX-License-Identifier: MIT */
/* The notification server's do-not-disturb (reference/dnd-and-meetings.md §1).
 *
 * For the docs: glutebreak asks the notification server who it is and holds reminders while
 * that server's do-not-disturb is on, following every change as the server reports it.
 * dunst: `dunstctl set-paused` (dunst 1.6 and later; a pause by SIGUSR1 is only seen from
 * 1.13.1, and `dunstctl reload` ends a pause). mako: any active mode listed in
 * `mako-modes` (default `do-not-disturb`); mako 1.10 and later say when modes change, older
 * mako (Debian 12 has 1.7) is asked when a reminder falls due. Xfce: xfce4-notifyd's "Do not
 * disturb", read from xfconfd. KDE Plasma: the notifications' Inhibited (the Do not disturb
 * switch, and apps that inhibit notifications, e.g. while sharing the screen).
 * SwayNotificationCenter, GNOME, Cinnamon and MATE: their Do Not Disturb switch. Any other
 * server (notify-osd, fnott, deadd, ...) or none holds nothing.
 *
 * The owner of org.freedesktop.Notifications is watched (never started); on each new owner,
 * GetServerInformation names the server and the backend with that name (hold-dnd-private.h)
 * is started on the owner. Everything runs from the main loop. */
#include "hold-dnd.h"
#include "hold-dnd-private.h"

#define NOTIFY_NAME "org.freedesktop.Notifications"
#define CALL_TIMEOUT_MS 1000

static const GbDndBackend *const backends[] = {
	&gb_dnd_dunst, &gb_dnd_mako, &gb_dnd_xfce, &gb_dnd_plasma, &gb_dnd_swaync,
	&gb_dnd_gnome, &gb_dnd_cinnamon, &gb_dnd_mate,
};

/* A gb_hold_dnd_check() not answered yet: waiting for the backend's read, or (idle_id) for
 * the main loop to answer @on. */
typedef struct {
	GbHoldDnd *dnd;
	GbHoldCheckFunc done;
	gpointer user_data;
	guint idle_id;
	gboolean on;
} Check;

struct _GbHoldDnd {
	GDBusConnection *bus;
	GbHold *hold;
	char **mako_modes;
	GbDndOptions options;
	guint watch_id;
	char *owner;               /* unique name of the server, or NULL */
	GCancellable *identifying; /* GetServerInformation of @owner */
	gboolean unidentified;     /* @owner did not answer it: asked again on a check */
	char *server;              /* its name, once known */
	const GbDndBackend *backend;
	gpointer backend_data;     /* NULL: nothing to watch */
	gboolean on;               /* as last reported */
	GPtrArray *checks;         /* of Check, not answered yet */
};

static void
report(GbHoldDnd *self, gboolean on)
{
	self->on = on;
	gb_hold_set(self->hold, GB_HOLD_DND, on, self->server);
}

static void
on_report(gboolean on, gpointer user_data)
{
	GbHoldDnd *self = user_data;

	g_debug("do-not-disturb of '%s': %s", self->server, on ? "on" : "off");
	report(self, on);
}

static void
answer(Check *check, gboolean on)
{
	GbHoldCheckFunc done = check->done;
	gpointer user_data = check->user_data;

	g_ptr_array_remove_fast(check->dnd->checks, check);
	g_free(check);
	done(on, user_data);
}

static gboolean
on_answer_idle(gpointer user_data)
{
	Check *check = user_data;

	check->idle_id = 0;
	answer(check, check->on);
	return G_SOURCE_REMOVE;
}

static void
answer_later(Check *check, gboolean on)
{
	check->on = on;
	check->idle_id = g_idle_add(on_answer_idle, check);
}

static void
on_backend_checked(gboolean on, gpointer user_data)
{
	answer(user_data, on);
}

/* Checks waiting for the backend are answered "off": the server is gone or replaced. */
static void
stop_backend(GbHoldDnd *self)
{
	if (self->backend_data != NULL)
		self->backend->stop(self->backend_data);
	self->backend_data = NULL;
	self->backend = NULL;
	g_clear_pointer(&self->server, g_free);
	for (guint i = 0; i < self->checks->len; i++) {
		Check *check = g_ptr_array_index(self->checks, i);

		if (check->idle_id == 0)
			answer_later(check, FALSE);
	}
}

static void
forget_owner(GbHoldDnd *self)
{
	g_cancellable_cancel(self->identifying);
	g_clear_object(&self->identifying);
	stop_backend(self);
	g_clear_pointer(&self->owner, g_free);
	self->unidentified = FALSE;
}

static const GbDndBackend *
find_backend(const char *server)
{
	for (gsize i = 0; i < G_N_ELEMENTS(backends); i++)
		if (g_str_equal(backends[i]->server, server))
			return backends[i];
	return NULL;
}

static void
on_server_information(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GbHoldDnd *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	const char *name, *vendor, *version;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;         /* freed, or the owner changed: a stale reply */
	g_clear_object(&self->identifying);
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(error);
		g_info("the notification server (%s) does not say which it is: %s", self->owner,
		       error->message);
		self->unidentified = TRUE;
		return;
	}
	g_variant_get(reply, "(&s&s&s&s)", &name, &vendor, &version, NULL);
	self->backend = find_backend(name);
	if (self->backend == NULL) {
		g_info("notification server: '%s' %s (%s), whose do-not-disturb is not known",
		       name, version, vendor);
		return;
	}
	self->server = g_strdup(name);
	self->backend_data = self->backend->start(self->bus, self->owner, &self->options,
	                                          on_report, self);
	if (self->backend_data == NULL) {
		g_info("notification server: '%s' %s, whose do-not-disturb cannot be read here",
		       name, version);
		self->backend = NULL;
		return;
	}
	g_info("notification server: '%s' %s, whose do-not-disturb is followed", name, version);
}

static void
identify(GbHoldDnd *self)
{
	self->unidentified = FALSE;
	self->identifying = g_cancellable_new();
	g_dbus_connection_call(self->bus, self->owner, "/org/freedesktop/Notifications",
	                       NOTIFY_NAME, "GetServerInformation", NULL,
	                       G_VARIANT_TYPE("(ssss)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	                       CALL_TIMEOUT_MS, self->identifying, on_server_information, self);
}

/* A new owner comes with vanished + appeared, so each owner is identified afresh. */
static void
on_server_appeared(GDBusConnection *bus, const char *name, const char *owner,
                   gpointer user_data)
{
	GbHoldDnd *self = user_data;

	(void) bus;
	g_debug("'%s' appeared: %s", name, owner);
	forget_owner(self);
	report(self, FALSE);
	self->owner = g_strdup(owner);
	identify(self);
}

static void
on_server_vanished(GDBusConnection *bus, const char *name, gpointer user_data)
{
	GbHoldDnd *self = user_data;

	if (self->owner != NULL)
		g_info("the notification server is gone");
	else
		g_debug("no notification server owns '%s'", name);
	forget_owner(self);
	if (bus != NULL)        /* else the bus is gone: the daemon ends anyway */
		report(self, FALSE);
}

GbHoldDnd *
gb_hold_dnd_new(GDBusConnection *bus, GbHold *hold, const char *const *mako_modes)
{
	static const char *const default_modes[] = { "do-not-disturb", NULL };
	GbHoldDnd *self;

	g_return_val_if_fail(bus == NULL || G_IS_DBUS_CONNECTION(bus), NULL);
	g_return_val_if_fail(hold != NULL, NULL);

	self = g_new0(GbHoldDnd, 1);
	self->hold = hold;
	self->mako_modes = g_strdupv((char **) (mako_modes != NULL ? mako_modes : default_modes));
	self->options.mako_modes = (const char *const *) self->mako_modes;
	self->checks = g_ptr_array_new();
	if (bus == NULL)
		return self;
	self->bus = g_object_ref(bus);
	/* the callbacks come from the main loop, never from in here */
	self->watch_id = g_bus_watch_name_on_connection(bus, NOTIFY_NAME,
	                                                G_BUS_NAME_WATCHER_FLAGS_NONE,
	                                                on_server_appeared, on_server_vanished,
	                                                self, NULL);
	return self;
}

void
gb_hold_dnd_free(GbHoldDnd *dnd)
{
	if (dnd == NULL)
		return;
	g_clear_handle_id(&dnd->watch_id, g_bus_unwatch_name);
	g_cancellable_cancel(dnd->identifying);
	g_clear_object(&dnd->identifying);
	if (dnd->backend_data != NULL)
		dnd->backend->stop(dnd->backend_data);
	/* never answered now */
	for (guint i = 0; i < dnd->checks->len; i++) {
		Check *check = g_ptr_array_index(dnd->checks, i);

		g_clear_handle_id(&check->idle_id, g_source_remove);
		g_free(check);
	}
	g_ptr_array_unref(dnd->checks);
	g_free(dnd->server);
	g_free(dnd->owner);
	g_strfreev(dnd->mako_modes);
	g_clear_object(&dnd->bus);
	g_free(dnd);
}

gboolean
gb_hold_dnd_needs_check(GbHoldDnd *dnd)
{
	g_return_val_if_fail(dnd != NULL, FALSE);

	return dnd->backend_data != NULL && dnd->backend->needs_check != NULL &&
	       dnd->backend->needs_check(dnd->backend_data);
}

void
gb_hold_dnd_check(GbHoldDnd *dnd, GbHoldCheckFunc done, gpointer user_data)
{
	Check *check;

	g_return_if_fail(dnd != NULL);
	g_return_if_fail(done != NULL);

	check = g_new0(Check, 1);
	check->dnd = dnd;
	check->done = done;
	check->user_data = user_data;
	g_ptr_array_add(dnd->checks, check);
	/* a server that hung when it came: ask it again, now that a reminder is due */
	if (dnd->unidentified)
		identify(dnd);
	if (gb_hold_dnd_needs_check(dnd))
		dnd->backend->check(dnd->backend_data, on_backend_checked, check);
	else
		answer_later(check, dnd->on);
}

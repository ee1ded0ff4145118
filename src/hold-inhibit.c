/* SPDX-License-Identifier: MIT */
/* [hold] idle-inhibitors: GNOME's session manager knows when an app keeps the session from
 * going idle (reference/dnd-and-meetings.md §5). The property InhibitedActions (u) of
 * org.gnome.SessionManager has bit 8 (idle) set while any idle inhibitor exists; gnome-session
 * sends PropertiesChanged with the value. The name is watched (never started); while it has an
 * owner, the property is followed (dbus-property.c: from that owner only).
 * The detail is the app id of the first inhibitor whose flags include idle (GetInhibitors,
 * then GetFlags and GetAppId per inhibitor), asked again when inhibitors come and go.
 *
 * For the docs: catches what GNOME counts as an idle inhibitor: apps calling
 * org.freedesktop.ScreenSaver.Inhibit (browsers playing video or in a call, video players),
 * Wayland idle-inhibit surfaces (mutter forwards them), the portal's Inhibit, and
 * gnome-session-inhibit (presentations, e.g. LibreOffice Impress, usually inhibit too). It
 * also holds for a video that is merely playing. Only GNOME (gnome-session) offers this;
 * elsewhere the reason stays off and the log says so once (KDE: do-not-disturb already
 * covers screen sharing; wlroots compositors have no way to see inhibitors from outside). */
#include "hold-inhibit.h"

#include "dbus-property.h"

#define SM_NAME "org.gnome.SessionManager"
#define SM_PATH "/org/gnome/SessionManager"
#define SM_IFACE "org.gnome.SessionManager"
#define SM_INHIBITOR_IFACE "org.gnome.SessionManager.Inhibitor"
#define INHIBIT_IDLE 8u         /* GSM_INHIBITOR_FLAG_IDLE */
/* never wait longer on a peer (DESIGN.md rule 12) */
#define CALL_TIMEOUT_MS 1000

struct _GbHoldInhibit {
	GbHold *hold;
	GDBusConnection *bus;
	guint watch_id;
	char *owner;               /* unique name of the session manager, or NULL */
	GbDBusProperty *actions;   /* InhibitedActions of the owner */
	guint added_id;            /* InhibitorAdded from the owner */
	guint removed_id;          /* InhibitorRemoved from the owner */
	GCancellable *lookup;      /* the app id lookup under way, or NULL */
	gboolean seen;             /* the name had an owner once, or its absence was logged */
	gboolean on;               /* InhibitedActions has the idle bit */
	char *app_id;              /* of the first idle inhibitor, or NULL */
};

/* One app id lookup; it owns itself and, once cancelled, never touches the sensor. */
typedef struct {
	GbHoldInhibit *self;
	GCancellable *cancellable;
	char **paths;              /* the inhibitors */
	gsize next;                /* asking paths[next] */
} Lookup;

static void
lookup_free(Lookup *lookup)
{
	g_object_unref(lookup->cancellable);
	g_strfreev(lookup->paths);
	g_free(lookup);
}

static void
report(GbHoldInhibit *self)
{
	gb_hold_set(self->hold, GB_HOLD_INHIBITOR, self->on, self->app_id);
}

static void
cancel_lookup(GbHoldInhibit *self)
{
	g_cancellable_cancel(self->lookup);
	g_clear_object(&self->lookup);
}

/* The lookup has its answer: @app_id (nullable) of the first idle inhibitor. */
static void
lookup_done(Lookup *lookup, const char *app_id)
{
	GbHoldInhibit *self = lookup->self;

	g_clear_object(&self->lookup);
	g_free(self->app_id);
	self->app_id = g_strdup(app_id);
	g_debug("idle inhibitor: '%s'", app_id != NULL ? app_id : "(unknown)");
	report(self);
	lookup_free(lookup);
}

/* Ends a lookup step's call: FALSE if the lookup was cancelled meanwhile (it is freed then).
 * Else *@reply is the reply, or NULL when the call failed (logged). */
static gboolean
lookup_finish(Lookup *lookup, GAsyncResult *result, const char *method, GVariant **reply)
{
	g_autoptr(GError) error = NULL;

	*reply = g_dbus_connection_call_finish(lookup->self->bus, result, &error);
	if (g_cancellable_is_cancelled(lookup->cancellable)) {
		g_clear_pointer(reply, g_variant_unref);
		lookup_free(lookup);
		return FALSE;
	}
	if (*reply == NULL) {
		g_dbus_error_strip_remote_error(error);
		g_debug("%s.%s: %s", SM_NAME, method, error->message);
	}
	return TRUE;
}

static void ask_next_inhibitor(Lookup *lookup);

static void
on_app_id_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Lookup *lookup = user_data;
	g_autoptr(GVariant) reply = NULL;
	const char *app_id;

	(void) source;
	if (!lookup_finish(lookup, result, "GetAppId", &reply))
		return;
	if (reply == NULL) {
		lookup->next++;
		ask_next_inhibitor(lookup);
		return;
	}
	g_variant_get(reply, "(&s)", &app_id);
	lookup_done(lookup, app_id);
}

static void
on_flags_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Lookup *lookup = user_data;
	g_autoptr(GVariant) reply = NULL;
	guint32 flags;

	(void) source;
	if (!lookup_finish(lookup, result, "GetFlags", &reply))
		return;
	if (reply != NULL) {
		g_variant_get(reply, "(u)", &flags);
		if (flags & INHIBIT_IDLE) {
			g_dbus_connection_call(lookup->self->bus, lookup->self->owner,
			                       lookup->paths[lookup->next], SM_INHIBITOR_IFACE,
			                       "GetAppId", NULL, G_VARIANT_TYPE("(s)"),
			                       G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
			                       lookup->cancellable, on_app_id_reply, lookup);
			return;
		}
	}
	lookup->next++;
	ask_next_inhibitor(lookup);
}

/* One call at a time, in the session manager's order: the first idle inhibitor names the
 * hold. An inhibitor that went away meanwhile fails its call and is passed over. */
static void
ask_next_inhibitor(Lookup *lookup)
{
	if (lookup->paths == NULL || lookup->paths[lookup->next] == NULL) {
		lookup_done(lookup, NULL);
		return;
	}
	g_dbus_connection_call(lookup->self->bus, lookup->self->owner, lookup->paths[lookup->next],
	                       SM_INHIBITOR_IFACE, "GetFlags", NULL, G_VARIANT_TYPE("(u)"),
	                       G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
	                       lookup->cancellable, on_flags_reply, lookup);
}

static void
on_inhibitors_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	Lookup *lookup = user_data;
	g_autoptr(GVariant) reply = NULL;

	(void) source;
	if (!lookup_finish(lookup, result, "GetInhibitors", &reply))
		return;
	if (reply == NULL) {
		lookup_done(lookup, NULL);
		return;
	}
	g_variant_get(reply, "(^ao)", &lookup->paths);
	ask_next_inhibitor(lookup);
}

/* (Re)starts the app id lookup; the hold keeps its present detail until the answer comes. */
static void
start_lookup(GbHoldInhibit *self)
{
	Lookup *lookup = g_new0(Lookup, 1);

	cancel_lookup(self);
	lookup->self = self;
	lookup->cancellable = g_cancellable_new();
	self->lookup = g_object_ref(lookup->cancellable);
	g_dbus_connection_call(self->bus, self->owner, SM_PATH, SM_IFACE, "GetInhibitors", NULL,
	                       G_VARIANT_TYPE("(ao)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	                       CALL_TIMEOUT_MS, lookup->cancellable, on_inhibitors_reply, lookup);
}

static void
set_inhibited(GbHoldInhibit *self, guint32 actions)
{
	gboolean on = (actions & INHIBIT_IDLE) != 0;

	if (on == self->on)
		return;
	self->on = on;
	cancel_lookup(self);
	g_clear_pointer(&self->app_id, g_free);
	report(self);
	if (on)
		start_lookup(self);
}

static void
on_inhibited_actions(GVariant *value, const GError *error, gpointer user_data)
{
	GbHoldInhibit *self = user_data;

	if (value == NULL) {
		/* a session manager without the property (not gnome-session), or one that
		 * does not answer: nothing to go by until it says something */
		g_info("%s: cannot read InhibitedActions: %s", SM_NAME, error->message);
		return;
	}
	g_debug("%s InhibitedActions: %u", SM_NAME, g_variant_get_uint32(value));
	set_inhibited(self, g_variant_get_uint32(value));
}

/* InhibitorAdded/InhibitorRemoved: the first idle inhibitor may be another one now. While
 * nothing inhibits idle the lookup waits for InhibitedActions. */
static void
on_inhibitors_changed(GDBusConnection *bus, const char *sender, const char *path,
                      const char *interface, const char *signal, GVariant *parameters,
                      gpointer user_data)
{
	GbHoldInhibit *self = user_data;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	(void) parameters;
	g_debug("%s.%s", SM_NAME, signal);
	if (self->on)
		start_lookup(self);
}

static void
forget_owner(GbHoldInhibit *self)
{
	if (self->added_id != 0)
		g_dbus_connection_signal_unsubscribe(self->bus, self->added_id);
	if (self->removed_id != 0)
		g_dbus_connection_signal_unsubscribe(self->bus, self->removed_id);
	self->added_id = self->removed_id = 0;
	cancel_lookup(self);
	g_clear_pointer(&self->actions, gb_dbus_property_free);
	g_clear_pointer(&self->owner, g_free);
}

static void
on_name_appeared(GDBusConnection *bus, const char *name, const char *owner, gpointer user_data)
{
	GbHoldInhibit *self = user_data;

	g_info("watching idle inhibitors through %s (%s)", name, owner);
	forget_owner(self);
	self->seen = TRUE;
	self->owner = g_strdup(owner);
	self->added_id = g_dbus_connection_signal_subscribe(
		bus, owner, SM_IFACE, "InhibitorAdded", SM_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
		on_inhibitors_changed, self, NULL);
	self->removed_id = g_dbus_connection_signal_subscribe(
		bus, owner, SM_IFACE, "InhibitorRemoved", SM_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
		on_inhibitors_changed, self, NULL);
	self->actions = gb_dbus_property_new(bus, owner, SM_PATH, SM_IFACE, "InhibitedActions",
	                                     G_VARIANT_TYPE_UINT32, on_inhibited_actions, self);
}

static void
on_name_vanished(GDBusConnection *bus, const char *name, gpointer user_data)
{
	GbHoldInhibit *self = user_data;

	if (bus == NULL)
		return;         /* the session bus is gone: the daemon ends anyway */
	if (!self->seen)
		g_info("no %s (not a GNOME session): idle inhibitors are not seen", name);
	else if (self->owner != NULL)
		g_info("%s is gone", name);
	self->seen = TRUE;
	forget_owner(self);
	set_inhibited(self, 0);
}

GbHoldInhibit *
gb_hold_inhibit_new(GDBusConnection *bus, GbHold *hold)
{
	GbHoldInhibit *self;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(bus), NULL);
	g_return_val_if_fail(hold != NULL, NULL);

	self = g_new0(GbHoldInhibit, 1);
	self->hold = hold;
	self->bus = g_object_ref(bus);
	/* the callbacks come from the main loop, never from in here */
	self->watch_id = g_bus_watch_name_on_connection(bus, SM_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
	                                                on_name_appeared, on_name_vanished, self,
	                                                NULL);
	return self;
}

void
gb_hold_inhibit_free(GbHoldInhibit *inhibit)
{
	if (inhibit == NULL)
		return;
	g_clear_handle_id(&inhibit->watch_id, g_bus_unwatch_name);
	forget_owner(inhibit);
	g_free(inhibit->app_id);
	g_object_unref(inhibit->bus);
	g_free(inhibit);
}

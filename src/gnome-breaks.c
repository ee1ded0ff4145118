/* SPDX-License-Identifier: MIT */
/* GNOME's own movement breaks, so that glutebreak can say that the user gets two kinds of
 * break reminders (reference/dnd-and-meetings.md §4). They are on when both:
 * - GSettings org.gnome.desktop.break-reminders (gsettings-desktop-schemas 47+, looked up: it
 *   may be missing) has "movement" in selected-breaks; and
 * - the shell runs them: org.gnome.Shell exports /org/gnome/Shell/ScreenTime (GNOME 48+) with
 *   State (u) != 0. The schema alone is not enough: GNOME 47 has it but no breaks.
 * The key is heard through GSettings' changed signal (connected before the first read); the
 * shell's name is watched (never started), and while it has an owner its PropertiesChanged is
 * heard from that owner only and State is read once.
 *
 * For the docs: on GNOME 48 and later, glutebreak's status and log say when GNOME's movement
 * reminders (Settings > Wellbeing > Break Reminders) are on as well, and how to turn one of
 * the two off. Elsewhere nothing is said. */
#include "gnome-breaks.h"

#define SCHEMA_ID "org.gnome.desktop.break-reminders"
#define SELECTED_KEY "selected-breaks"
#define SHELL_NAME "org.gnome.Shell"
#define SCREEN_TIME_PATH "/org/gnome/Shell/ScreenTime"
#define SCREEN_TIME_IFACE "org.gnome.Shell.ScreenTime"
#define PROPERTIES_IFACE "org.freedesktop.DBus.Properties"
/* never wait longer on a peer (DESIGN.md rule 12) */
#define CALL_TIMEOUT_MS 1000

static const char warning_text[] =
	"GNOME's own movement breaks are on too: turn off Movement Reminders in "
	"Settings > Wellbeing, or stop glutebreak (systemctl --user disable --now glutebreak)";

struct _GbGnomeBreaks {
	GbGnomeBreaksFunc changed;
	gpointer user_data;
	GDBusConnection *bus;
	GSettings *settings;       /* NULL: no schema, never a warning */
	gboolean selected;         /* selected-breaks has "movement" */
	guint watch_id;
	char *owner;               /* unique name of the shell, or NULL */
	guint properties_id;       /* PropertiesChanged from the owner */
	GCancellable *cancellable; /* Get of the current owner */
	guint32 state;             /* ScreenTime State; 0 while there is no shell */
	gboolean warning;          /* as last told */
};

static void
update(GbGnomeBreaks *self)
{
	gboolean warning = self->selected && self->state != 0;

	if (warning == self->warning)
		return;
	self->warning = warning;
	/* the warning itself is the daemon's to log (once) */
	g_info("GNOME's movement breaks are %s", warning ? "on" : "off");
	self->changed(self->user_data);
}

static void
read_selected(GbGnomeBreaks *self)
{
	g_auto(GStrv) breaks = g_settings_get_strv(self->settings, SELECTED_KEY);

	self->selected = g_strv_contains((const char *const *) breaks, "movement");
	g_debug("GNOME break reminders: movement %s", self->selected ? "selected" : "not selected");
}

static void
on_selected_changed(GSettings *settings, const char *key, gpointer user_data)
{
	GbGnomeBreaks *self = user_data;

	(void) settings;
	(void) key;
	read_selected(self);
	update(self);
}

static void
set_state(GbGnomeBreaks *self, guint32 state)
{
	g_debug("%s State: %u", SCREEN_TIME_IFACE, state);
	self->state = state;
	update(self);
}

static void
on_get_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GbGnomeBreaks *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) value = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;         /* self is gone, or the owner changed */
	if (reply == NULL) {
		/* GNOME before 48 has no ScreenTime; or the shell does not answer */
		g_dbus_error_strip_remote_error(error);
		g_info("%s: no break reminders: %s", SHELL_NAME, error->message);
		return;
	}
	g_variant_get(reply, "(v)", &value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32))
		set_state(self, g_variant_get_uint32(value));
}

static void
get_state(GbGnomeBreaks *self)
{
	g_dbus_connection_call(self->bus, self->owner, SCREEN_TIME_PATH, PROPERTIES_IFACE, "Get",
	                       g_variant_new("(ss)", SCREEN_TIME_IFACE, "State"),
	                       G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	                       CALL_TIMEOUT_MS, self->cancellable, on_get_reply, self);
}

static void
on_properties_changed(GDBusConnection *bus, const char *sender, const char *path,
                      const char *interface, const char *signal, GVariant *parameters,
                      gpointer user_data)
{
	GbGnomeBreaks *self = user_data;
	g_autoptr(GVariant) changed = NULL;
	g_autofree const char **invalidated = NULL;
	guint32 state;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	(void) signal;
	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	g_variant_get(parameters, "(&s@a{sv}^a&s)", NULL, &changed, &invalidated);
	if (g_variant_lookup(changed, "State", "u", &state))
		set_state(self, state);
	else if (g_strv_contains(invalidated, "State"))
		get_state(self);
}

static void
forget_owner(GbGnomeBreaks *self)
{
	if (self->properties_id != 0)
		g_dbus_connection_signal_unsubscribe(self->bus, self->properties_id);
	self->properties_id = 0;
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_pointer(&self->owner, g_free);
}

static void
on_shell_appeared(GDBusConnection *bus, const char *name, const char *owner,
                  gpointer user_data)
{
	GbGnomeBreaks *self = user_data;

	g_debug("%s appeared (%s)", name, owner);
	forget_owner(self);
	self->owner = g_strdup(owner);
	self->cancellable = g_cancellable_new();
	self->properties_id = g_dbus_connection_signal_subscribe(
		bus, owner, PROPERTIES_IFACE, "PropertiesChanged", SCREEN_TIME_PATH,
		SCREEN_TIME_IFACE, G_DBUS_SIGNAL_FLAGS_NONE, on_properties_changed, self, NULL);
	/* after subscribing: a change before the reply comes after it */
	get_state(self);
}

static void
on_shell_vanished(GDBusConnection *bus, const char *name, gpointer user_data)
{
	GbGnomeBreaks *self = user_data;

	if (bus == NULL)
		return;         /* the session bus is gone: the daemon ends anyway */
	if (self->owner != NULL)
		g_debug("%s vanished", name);
	forget_owner(self);
	set_state(self, 0);
}

/* The schema if it is installed with the key this needs, else NULL (said with g_info()). */
static GSettingsSchema *
lookup_schema(void)
{
	GSettingsSchemaSource *source = g_settings_schema_source_get_default();
	g_autoptr(GSettingsSchema) schema = NULL;
	g_autoptr(GSettingsSchemaKey) key = NULL;

	if (source != NULL)
		schema = g_settings_schema_source_lookup(source, SCHEMA_ID, TRUE);
	if (schema == NULL || !g_settings_schema_has_key(schema, SELECTED_KEY)) {
		g_info("no GSettings schema %s with %s: GNOME's break reminders are not looked at",
		       SCHEMA_ID, SELECTED_KEY);
		return NULL;
	}
	key = g_settings_schema_get_key(schema, SELECTED_KEY);
	if (!g_variant_type_equal(g_settings_schema_key_get_value_type(key),
	                          G_VARIANT_TYPE_STRING_ARRAY)) {
		g_info("%s %s is not a string list: GNOME's break reminders are not looked at",
		       SCHEMA_ID, SELECTED_KEY);
		return NULL;
	}
	return g_steal_pointer(&schema);
}

GbGnomeBreaks *
gb_gnome_breaks_new(GDBusConnection *bus, GbGnomeBreaksFunc changed, gpointer user_data)
{
	GbGnomeBreaks *self;
	g_autoptr(GSettingsSchema) schema = NULL;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(bus), NULL);
	g_return_val_if_fail(changed != NULL, NULL);

	self = g_new0(GbGnomeBreaks, 1);
	self->changed = changed;
	self->user_data = user_data;
	self->bus = g_object_ref(bus);
	schema = lookup_schema();
	if (schema == NULL)
		return self;    /* nothing to warn about: no need to watch the shell either */
	self->settings = g_settings_new_full(schema, NULL, NULL);
	/* connected before the first read, or GSettings may never emit it */
	g_signal_connect(self->settings, "changed::" SELECTED_KEY, G_CALLBACK(on_selected_changed),
	                 self);
	read_selected(self);
	/* no warning can come from here: the shell's State is read from the main loop */
	self->watch_id = g_bus_watch_name_on_connection(bus, SHELL_NAME,
	                                                G_BUS_NAME_WATCHER_FLAGS_NONE,
	                                                on_shell_appeared, on_shell_vanished, self,
	                                                NULL);
	return self;
}

void
gb_gnome_breaks_free(GbGnomeBreaks *breaks)
{
	if (breaks == NULL)
		return;
	g_clear_handle_id(&breaks->watch_id, g_bus_unwatch_name);
	forget_owner(breaks);
	if (breaks->settings != NULL)
		g_signal_handlers_disconnect_by_data(breaks->settings, breaks);
	g_clear_object(&breaks->settings);
	g_object_unref(breaks->bus);
	g_free(breaks);
}

const char *
gb_gnome_breaks_get_warning(GbGnomeBreaks *breaks)
{
	g_return_val_if_fail(breaks != NULL, NULL);

	return breaks->warning ? warning_text : NULL;
}

/* SPDX-License-Identifier: MIT */
/* GNOME's own movement breaks, so that glutebreak can say that the user gets two kinds of
 * break reminders (reference/dnd-and-meetings.md §4). They are on when both:
 * - GSettings org.gnome.desktop.break-reminders (gsettings-desktop-schemas 47+, looked up: it
 *   may be missing) has "movement" in selected-breaks; and
 * - the shell runs them: org.gnome.Shell exports /org/gnome/Shell/ScreenTime (GNOME 48+) with
 *   State (u) != 0. The schema alone is not enough: GNOME 47 has it but no breaks.
 * The key is heard through GSettings' changed signal (connected before the first read); the
 * shell's name is watched (never started), and while it has an owner its State is followed
 * (dbus-property.c: from that owner only).
 *
 * For the docs: on GNOME 48 and later, glutebreak's status and log say when GNOME's movement
 * reminders (Settings > Wellbeing > Break Reminders) are on as well, and how to turn one of
 * the two off. Elsewhere nothing is said. */
#include "gnome-breaks.h"

#include "dbus-property.h"

#define SCHEMA_ID "org.gnome.desktop.break-reminders"
#define SELECTED_KEY "selected-breaks"
#define SHELL_NAME "org.gnome.Shell"
#define SCREEN_TIME_PATH "/org/gnome/Shell/ScreenTime"
#define SCREEN_TIME_IFACE "org.gnome.Shell.ScreenTime"

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
	GbDBusProperty *property;  /* ScreenTime State of the shell's owner, or NULL */
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
on_state(GVariant *value, const GError *error, gpointer user_data)
{
	GbGnomeBreaks *self = user_data;

	if (value == NULL) {
		/* GNOME before 48 has no ScreenTime; or the shell does not answer */
		g_info("%s: no break reminders: %s", SHELL_NAME, error->message);
		return;
	}
	set_state(self, g_variant_get_uint32(value));
}

static void
on_shell_appeared(GDBusConnection *bus, const char *name, const char *owner,
                  gpointer user_data)
{
	GbGnomeBreaks *self = user_data;

	g_debug("%s appeared (%s)", name, owner);
	g_clear_pointer(&self->property, gb_dbus_property_free);
	self->property = gb_dbus_property_new(bus, owner, SCREEN_TIME_PATH, SCREEN_TIME_IFACE,
	                                      "State", G_VARIANT_TYPE_UINT32, on_state, self);
}

static void
on_shell_vanished(GDBusConnection *bus, const char *name, gpointer user_data)
{
	GbGnomeBreaks *self = user_data;

	if (bus == NULL)
		return;         /* the session bus is gone: the daemon ends anyway */
	if (self->property != NULL)
		g_debug("%s vanished", name);
	g_clear_pointer(&self->property, gb_dbus_property_free);
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
	gb_dbus_property_free(breaks->property);
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

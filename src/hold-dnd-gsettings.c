/* SPDX-License-Identifier: MIT */
/* Do-not-disturb of the servers that keep it in a GSettings key (reference/dnd-and-meetings.md
 * §1): GNOME Shell, Cinnamon and MATE's notification daemon. One implementation, driven by a
 * table (schema id, key, inverted); the server's D-Bus connection plays no part.
 *
 * For the docs: on GNOME, Cinnamon and MATE glutebreak holds a reminder while the desktop's own
 * do-not-disturb switch is on: GNOME's "Do Not Disturb" (show-banners off), Cinnamon's
 * notification applet ("display notifications" off) and MATE's notification applet ("do not
 * disturb"). The key is read at start and every change is heard at once (GSettings' changed
 * signal). It is missed when the schema is not installed (then nothing holds, and the log says
 * so at info level), when GSettings runs without dconf (memory backend: only the defaults are
 * seen), and for what these desktops do without that switch: GNOME queues banners over a
 * fullscreen window or while the session is "busy", Cinnamon hides them over fullscreen windows
 * (fullscreen-notifications); those are the fullscreen hold's business.
 *
 * Which server is running is told by GetServerInformation's name, read from each server's source:
 * - gnome-shell: js/ui/notificationDaemon.js GetServerInformation() returns Config.PACKAGE_NAME,
 *   which js/misc/meson.build sets to meson.project_name(), 'gnome-shell' (tag 43.0, :315; HEAD
 *   8f78208660, :291).
 * - Cinnamon: js/ui/notificationDaemon.js GetServerInformation returns Config.PACKAGE_NAME, set
 *   to meson.project_name().to_lower() of project 'Cinnamon', so 'cinnamon' (tag 5.6.0,
 *   js/ui/notificationDaemon.js:543, meson.build:143; HEAD d29b000637 :568, meson.build:216).
 *   Its key: cinnamon-desktop schemas/org.cinnamon.desktop.notifications.gschema.xml.in (5.6.0,
 *   display-notifications, default true), read by cinnamon's js/ui/messageTray.js:780.
 * - MATE: mate-notification-daemon src/daemon/daemon.c notify_daemon_get_server_information()
 *   answers "Notification Daemon" (tag v1.26.0 :1686; HEAD d3a424b438 :1968), the name GNOME's
 *   old notification-daemon used too: there the MATE schema is usually absent, and if it is
 *   installed its key is what MATE's daemon would obey. Its key: data/
 *   org.mate.NotificationDaemon.gschema.xml.in, do-not-disturb, default false. */
#include "hold-dnd-private.h"

typedef struct {
	const char *schema_id;
	const char *key;        /* a boolean */
	gboolean inverted;      /* the key says "show notifications": do-not-disturb is FALSE */
} Key;

enum { KEY_GNOME, KEY_CINNAMON, KEY_MATE };

static const Key keys[] = {
	[KEY_GNOME] = { "org.gnome.desktop.notifications", "show-banners", TRUE },
	[KEY_CINNAMON] = { "org.cinnamon.desktop.notifications", "display-notifications", TRUE },
	[KEY_MATE] = { "org.mate.NotificationDaemon", "do-not-disturb", FALSE },
};

typedef struct {
	const Key *key;
	GSettings *settings;
	gulong changed_id;
	guint first_id;         /* the idle that reports the first read */
	GbDndReportFunc report;
	gpointer report_data;
} Watch;

static void
report_value(Watch *self)
{
	gboolean on = g_settings_get_boolean(self->settings, self->key->key) != self->key->inverted;

	g_debug("do-not-disturb: %s %s: %s", self->key->schema_id, self->key->key,
	        on ? "on" : "off");
	self->report(on, self->report_data);
}

static void
on_changed(GSettings *settings, const char *key, gpointer user_data)
{
	Watch *self = user_data;

	(void) settings;
	(void) key;
	g_clear_handle_id(&self->first_id, g_source_remove); /* this report is as fresh */
	report_value(self);
}

static gboolean
on_first(gpointer user_data)
{
	Watch *self = user_data;

	self->first_id = 0;
	report_value(self);
	return G_SOURCE_REMOVE;
}

static gpointer
start_key(const Key *key, GbDndReportFunc report, gpointer report_data)
{
	GSettingsSchemaSource *source = g_settings_schema_source_get_default();
	g_autoptr(GSettingsSchema) schema = NULL;
	g_autoptr(GSettingsSchemaKey) schema_key = NULL;
	g_autofree char *signal = NULL;
	Watch *self;

	if (source != NULL)
		schema = g_settings_schema_source_lookup(source, key->schema_id, TRUE);
	if (schema == NULL || !g_settings_schema_has_key(schema, key->key)) {
		g_info("do-not-disturb: no GSettings schema '%s' with the key '%s' is installed",
		       key->schema_id, key->key);
		return NULL;
	}
	schema_key = g_settings_schema_get_key(schema, key->key);
	if (!g_variant_type_equal(g_settings_schema_key_get_value_type(schema_key),
	                          G_VARIANT_TYPE_BOOLEAN)) {
		g_info("do-not-disturb: the key '%s' of the GSettings schema '%s' is no boolean",
		       key->key, key->schema_id);
		return NULL;
	}
	self = g_new0(Watch, 1);
	self->key = key;
	self->report = report;
	self->report_data = report_data;
	self->settings = g_settings_new_full(schema, NULL, NULL);
	/* connected before the first read: GSettings emits changed only for keys read since
	 * (the GIO docs of GSettings::changed) */
	signal = g_strconcat("changed::", key->key, NULL);
	self->changed_id = g_signal_connect(self->settings, signal, G_CALLBACK(on_changed), self);
	(void) g_settings_get_boolean(self->settings, key->key);
	/* reported from the main loop, never from inside start() */
	self->first_id = g_idle_add(on_first, self);
	g_source_set_name_by_id(self->first_id, "[glutebreak] do-not-disturb first read");
	return self;
}

static void
stop(gpointer backend)
{
	Watch *self = backend;

	if (self == NULL)
		return;
	g_clear_handle_id(&self->first_id, g_source_remove);
	g_clear_signal_handler(&self->changed_id, self->settings);
	g_clear_object(&self->settings);
	g_free(self);
}

static gpointer
start_gnome(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
            GbDndReportFunc report, gpointer report_data)
{
	(void) bus;
	(void) owner;
	(void) options;
	return start_key(&keys[KEY_GNOME], report, report_data);
}

static gpointer
start_cinnamon(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
               GbDndReportFunc report, gpointer report_data)
{
	(void) bus;
	(void) owner;
	(void) options;
	return start_key(&keys[KEY_CINNAMON], report, report_data);
}

static gpointer
start_mate(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
           GbDndReportFunc report, gpointer report_data)
{
	(void) bus;
	(void) owner;
	(void) options;
	return start_key(&keys[KEY_MATE], report, report_data);
}

const GbDndBackend gb_dnd_gnome = {
	.server = "gnome-shell",
	.start = start_gnome,
	.stop = stop,
};

const GbDndBackend gb_dnd_cinnamon = {
	.server = "cinnamon",
	.start = start_cinnamon,
	.stop = stop,
};

const GbDndBackend gb_dnd_mate = {
	.server = "Notification Daemon",
	.start = start_mate,
	.stop = stop,
};

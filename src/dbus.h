/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The daemon's D-Bus export (data/org.glutebreak.Glutebreak1.xml): owns the name, exports
 * the generated skeleton and forwards each method to a handler; no logic of its own. */

#define GB_DBUS_NAME "org.glutebreak.Glutebreak1"
#define GB_DBUS_PATH "/org/glutebreak/Glutebreak1"

/* What the properties say. Times are Unix µs, 0 = none. */
typedef struct {
	const char *state;
	const char *hold;        /* "" = none */
	const char *warning;     /* "" = none */
	gint64 bout_start;
	gint64 next_reminder;
	gint64 paused_until;
	guint unanswered;
	const char *idle_source;
	gint64 sit_limit_us;
	gint64 break_length_us;
} GbDBusStatus;

/* Each returns FALSE with @error set to refuse; the error goes back to the caller as its
 * org.glutebreak.Glutebreak1.Error name with the same message. */
typedef struct {
	gboolean (*pause)(gpointer user_data, gint64 duration_us, GError **error);
	gboolean (*resume)(gpointer user_data, GError **error);
	gboolean (*snooze)(gpointer user_data, gint64 duration_us, GError **error);
	gboolean (*skip)(gpointer user_data, GError **error);
	gboolean (*take_break)(gpointer user_data, GError **error);
	gboolean (*reload)(gpointer user_data, GError **error);
	gboolean (*show_exercise)(gpointer user_data, const char *id, GError **error);
	gboolean (*too_hard)(gpointer user_data, const char *id, GError **error);
	/* the name is ours: from now on the daemon may read and write its files */
	void (*name_acquired)(gpointer user_data);
	/* another process owns the name, or the bus went away: the daemon should exit */
	void (*name_lost)(gpointer user_data);
} GbDBusHandlers;

typedef struct _GbDBus GbDBus;

/* Exports the object on @bus and asks for the name, without waiting: the answer comes as
 * name_acquired or name_lost, from the main loop. NULL with @error when the object cannot
 * be exported. @handlers must outlive the export. */
GbDBus *gb_dbus_new(GDBusConnection *bus, const GbDBusHandlers *handlers, gpointer user_data,
                    GError **error);
void gb_dbus_free(GbDBus *dbus); /* NULL is fine */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbDBus, gb_dbus_free)

/* Sets the properties; only the ones that changed go out, in one PropertiesChanged. */
void gb_dbus_set_status(GbDBus *dbus, const GbDBusStatus *status);

G_END_DECLS

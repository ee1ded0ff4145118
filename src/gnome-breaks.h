/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* GNOME's own movement breaks (GNOME 48+): when they are on as well, the user gets two kinds
 * of break reminders; glutebreak says so (reference/dnd-and-meetings.md §4). Not a hold. */
typedef struct _GbGnomeBreaks GbGnomeBreaks;

/* Called from the main loop when the warning appears or goes (never from inside a
 * gb_gnome_breaks_*() call). */
typedef void (*GbGnomeBreaksFunc)(gpointer user_data);

/* Never fails: without the org.gnome.desktop.break-reminders schema (GNOME before 47, other
 * desktops) there is never a warning. Holds a reference on @bus. */
GbGnomeBreaks *gb_gnome_breaks_new(GDBusConnection *bus, GbGnomeBreaksFunc changed,
                                   gpointer user_data);
void gb_gnome_breaks_free(GbGnomeBreaks *breaks);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbGnomeBreaks, gb_gnome_breaks_free)

/* A sentence for the status and the log while GNOME's movement breaks are selected and the
 * shell runs them, else NULL. Owned by @breaks. */
const char *gb_gnome_breaks_get_warning(GbGnomeBreaks *breaks);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The screensavers' ActiveChanged(b) on the session bus (reference/idle-apis.md §2.2):
 * GNOME (org.gnome.ScreenSaver, org.gnome.Shell.ScreenShield), org.freedesktop.ScreenSaver
 * (KDE), Cinnamon, MATE and Xfce, each watched by name and heard from its owner only. */

/* @active: whether any screensaver is active now; called only when that changes (it starts
 * out FALSE). Always called from the main loop, never from inside a gb_screensavers_*() call. */
typedef void (*GbScreensaversFunc)(gboolean active, gpointer user_data);

typedef struct _GbScreensavers GbScreensavers;

/* Never fails: a screensaver that is not running is watched for. Holds a reference on
 * @session_bus. */
GbScreensavers *gb_screensavers_new(GDBusConnection *session_bus, GbScreensaversFunc func,
                                    gpointer user_data);
void gb_screensavers_free(GbScreensavers *screensavers);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbScreensavers, gb_screensavers_free)

G_END_DECLS

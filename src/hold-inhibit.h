/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

#include "hold.h"

G_BEGIN_DECLS

/* [hold] idle-inhibitors: GB_HOLD_INHIBITOR while an app keeps a GNOME session from going idle
 * (org.gnome.SessionManager InhibitedActions & 8: video, calls, slide shows), with the app id
 * of the first idle inhibitor as the detail once it is known. */
typedef struct _GbHoldInhibit GbHoldInhibit;

/* Never fails: without org.gnome.SessionManager (not GNOME) the reason stays off, and the
 * name is watched in case it comes. Reports from the main loop only, never from in here.
 * Holds a reference on @bus; @hold must outlive the sensor. */
GbHoldInhibit *gb_hold_inhibit_new(GDBusConnection *bus, GbHold *hold);
void gb_hold_inhibit_free(GbHoldInhibit *inhibit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHoldInhibit, gb_hold_inhibit_free)

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "hold.h"

G_BEGIN_DECLS

/* The fullscreen hold on X11 (src/hold-fullscreen-x11.c): GB_HOLD_FULLSCREEN while the active
 * window (EWMH _NET_ACTIVE_WINDOW) is fullscreen, with its WM_CLASS class as the detail. */
typedef struct _GbHoldX11Fullscreen GbHoldX11Fullscreen;

/* Starts connecting to $DISPLAY; the state is reported to @hold (not owned, must outlive the
 * sensor) from the main loop once known, never from here. NULL and @error when it cannot run
 * here: no DISPLAY, or WAYLAND_DISPLAY set. A server that cannot be reached is said in the log
 * later, and the hold stays off. */
GbHoldX11Fullscreen *gb_hold_x11_fullscreen_new(GbHold *hold, GError **error);
/* Accepts NULL. Leaves @hold as it is. */
void gb_hold_x11_fullscreen_free(GbHoldX11Fullscreen *self);
/* For when a reminder falls due: reads the active window and its state afresh (a window
 * manager may mark a window fullscreen without resizing it, which is not watched), updates
 * @hold as any read does, and answers whether it is fullscreen. An X server that does not
 * answer within a second, or none, gets the state as last known. @done: the contract of
 * GbHoldCheckFunc in hold.h (exactly once, from the main loop, within about a second; never
 * after gb_hold_x11_fullscreen_free()). */
void gb_hold_x11_fullscreen_check(GbHoldX11Fullscreen *self, GbHoldCheckFunc done,
                                  gpointer user_data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHoldX11Fullscreen, gb_hold_x11_fullscreen_free)

G_END_DECLS

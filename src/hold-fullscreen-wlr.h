/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "hold.h"

G_BEGIN_DECLS

/* GB_HOLD_FULLSCREEN on wlroots compositors (sway, Hyprland, labwc, river, ...): holds while a
 * window is both focused and fullscreen, with its app_id as the detail. */
typedef struct _GbHoldWlrFullscreen GbHoldWlrFullscreen;

/* Connects to $WAYLAND_DISPLAY and returns at once; @hold (not owned, must outlive the sensor)
 * hears of every change from the main loop. A compositor without the protocol, or one that
 * goes away, only turns the sensor off (g_info). NULL and @error (GB_ERROR) when
 * WAYLAND_DISPLAY is unset or the connection fails. */
GbHoldWlrFullscreen *gb_hold_wlr_fullscreen_new(GbHold *hold, GError **error);
/* Accepts NULL; leaves @hold as it was. */
void gb_hold_wlr_fullscreen_free(GbHoldWlrFullscreen *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHoldWlrFullscreen, gb_hold_wlr_fullscreen_free)

G_END_DECLS

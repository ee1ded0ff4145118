/* SPDX-License-Identifier: MIT */
#pragma once

#include <xcb/xcb.h>
#include <glib.h>

G_BEGIN_DECLS

/* xcb_connect() for the main loop, which must never wait on the X server (DESIGN.md rule 12):
 * xcb_connect() waits, without a bound, for the server to answer the connection set-up, and a
 * stopped server never does. So it runs in a thread of its own that only does that and ends (no
 * thread is left once connected); the main loop hears of the result from an idle source. A
 * server that never answers leaves that thread waiting until we exit. */
typedef struct _GbX11Connect GbX11Connect;

/* From the main loop, once: @conn (the caller's from now on) and its default screen's @root
 * window, or @conn NULL when the display cannot be opened. */
typedef void (*GbX11ConnectFunc)(xcb_connection_t *conn, xcb_window_t root, gpointer user_data);

/* Starts connecting to @display_name; NULL with @error when no thread can be started. The
 * result is freed once @func has returned. */
GbX11Connect *gb_x11_connect_start(const char *display_name, GbX11ConnectFunc func,
                                   gpointer user_data, GError **error);
/* Before @func was called: it never is, and a connection that still comes is closed. */
void gb_x11_connect_cancel(GbX11Connect *connecting);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "glutebreak-dbus.h"

G_BEGIN_DECLS

/* glutebreakctl status: the daemon's properties as people (text), waybar (JSON) and
 * i3blocks/polybar (a format) read them. */

typedef enum {
	GB_CTL_STATUS_TEXT,
	GB_CTL_STATUS_JSON,
	GB_CTL_STATUS_FORMAT,
} GbCtlStatusStyle;

/* @proxy: NULL or without a name owner = the daemon is not running. @now_us: Unix µs.
 * @format: for GB_CTL_STATUS_FORMAT, "{field}" replaced by the JSON field of that name ("{{"
 * and "}}" for braces). Caller frees. */
char *gb_ctl_status_render(GbDBusService *proxy, GbCtlStatusStyle style, const char *format,
                           gint64 now_us);

/* Fills the property cache of @proxy (made with G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
 * which would wait 25 s for a daemon that hangs) waiting at most @timeout_ms. FALSE with
 * @error when the daemon does not answer in time or is not running. */
gboolean gb_ctl_status_fetch(GbDBusService *proxy, int timeout_ms, GError **error);

/* --format: TRUE if every {field} in @format is one status --json has. */
gboolean gb_ctl_status_check_format(const char *format, GError **error);

/* When the minute of sitting shown next ends (Unix µs); -1: nothing changes by itself. */
gint64 gb_ctl_status_next_change(GbDBusService *proxy, gint64 now_us);

G_END_DECLS

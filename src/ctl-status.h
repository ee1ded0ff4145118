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

/* --format: TRUE if every {field} in @format is one status --json has. */
gboolean gb_ctl_status_check_format(const char *format, GError **error);

/* When the minute of sitting shown next ends (Unix µs); -1: nothing changes by itself. */
gint64 gb_ctl_status_next_change(GbDBusService *proxy, gint64 now_us);

G_END_DECLS

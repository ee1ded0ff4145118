/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

#include "hold.h"

G_BEGIN_DECLS

/* [hold] camera: GB_HOLD_CAMERA while a video device (DIR/video*) has been open for a while,
 * with the name of the process holding it as the detail when it is one of the user's. */
typedef struct _GbHoldCamera GbHoldCamera;

/* How long a camera must stay open before it holds: probers (WirePlumber, udev's v4l_id)
 * open the nodes for a moment. */
#define GB_HOLD_CAMERA_SETTLE_US (3 * G_USEC_PER_SEC)

/* Watches @dev_dir ("/dev") for video* nodes. Never fails: a node the user may not read is
 * left out (said with g_info()), and nodes plugged in later are watched. Reports from the main
 * loop only, never from in here. @hold must outlive the sensor. */
GbHoldCamera *gb_hold_camera_new(GbHold *hold, const char *dev_dir);
/* The same with the time a camera must stay open, in µs (tests use less). */
GbHoldCamera *gb_hold_camera_new_full(GbHold *hold, const char *dev_dir, gint64 settle_us);
void gb_hold_camera_free(GbHoldCamera *camera);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHoldCamera, gb_hold_camera_free)

G_END_DECLS

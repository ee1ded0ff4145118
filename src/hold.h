/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* DESIGN.md rule 10: the hold sensors combined into one on/off and the reasons. Each sensor
 * (src/hold-*.c) reports its own reason with gb_hold_set() whenever what it sees changes;
 * the daemon learns of a change in the combined reasons (or their details) through the
 * callback, which runs synchronously inside gb_hold_set(). */

typedef enum {
	GB_HOLD_DND        = 1 << 0, /* the notification server is in do-not-disturb */
	GB_HOLD_FULLSCREEN = 1 << 1, /* the focused window is fullscreen */
	GB_HOLD_SCHEDULE   = 1 << 2, /* outside [schedule] active */
	GB_HOLD_INHIBITOR  = 1 << 3, /* an app keeps the screen awake (video, call, slides) */
	GB_HOLD_CAMERA     = 1 << 4, /* a camera is in use */
} GbHoldReason;

typedef struct _GbHold GbHold;
typedef void (*GbHoldChangedFunc)(gpointer user_data);

GbHold *gb_hold_new(GbHoldChangedFunc changed, gpointer user_data);
void gb_hold_free(GbHold *hold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHold, gb_hold_free)

/* A sensor's reason goes on or off. @detail (nullable) names what holds, e.g. the server
 * ("dunst") or the app; it is shown after the reason. Calls the changed callback when the
 * reasons or a detail change, never when nothing changed. */
void gb_hold_set(GbHold *hold, GbHoldReason reason, gboolean on, const char *detail);
GbHoldReason gb_hold_get_reasons(const GbHold *hold);
/* "" when nothing holds, else e.g. "do-not-disturb (dunst), fullscreen"; caller frees. */
char *gb_hold_describe(const GbHold *hold);
/* The reason's name as in the history and the status: "do-not-disturb", "fullscreen",
 * "schedule", "idle-inhibitor", "camera". */
const char *gb_hold_reason_to_string(GbHoldReason reason);

/* A read that a sensor makes when a reminder falls due, for what it cannot watch (mako before
 * 1.10 signals no change; an X11 window may be marked fullscreen without a resize): called
 * exactly once, from the main loop, within about a second (a peer that does not answer counts
 * as "not holding", or as last known where events keep that up to date), never after the
 * sensor was freed. */
typedef void (*GbHoldCheckFunc)(gboolean on, gpointer user_data);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

#include "hold.h"

G_BEGIN_DECLS

/* The notification server's do-not-disturb as the hold GB_HOLD_DND, with the server's name
 * (GetServerInformation, e.g. "dunst") as its detail. The server is identified whenever the
 * owner of org.freedesktop.Notifications changes; no server, or one whose do-not-disturb is
 * unknown, holds nothing. */

typedef struct _GbHoldDnd GbHoldDnd;

/* Never fails: a server that is not running is watched for (never started). @bus (nullable:
 * then nothing holds) is referenced; @hold must outlive the sensor; @mako_modes (nullable:
 * "do-not-disturb") are the mako modes that mean do-not-disturb, copied. Reports through
 * gb_hold_set() from the main loop only, never from in here. */
GbHoldDnd *gb_hold_dnd_new(GDBusConnection *bus, GbHold *hold, const char *const *mako_modes);
void gb_hold_dnd_free(GbHoldDnd *dnd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHoldDnd, gb_hold_dnd_free)

/* Whether the state must be read when a reminder falls due (mako before 1.10, which signals
 * no change), i.e. whether gb_hold_dnd_check() asks the server. */
gboolean gb_hold_dnd_needs_check(GbHoldDnd *dnd);
/* Reads the state where gb_hold_dnd_needs_check(), else answers the state as last reported;
 * a read also updates the hold. @done: the contract of GbHoldCheckFunc in hold.h (exactly once,
 * from the main loop, within about a second; never after gb_hold_dnd_free()). */
void gb_hold_dnd_check(GbHoldDnd *dnd, GbHoldCheckFunc done, gpointer user_data);

G_END_DECLS

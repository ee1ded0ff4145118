/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "core.h"
#include "state.h"

G_BEGIN_DECLS

/* What the daemon concludes after a gap in its view of time: a suspend it slept through, or
 * its own downtime between two runs. Pure functions of the values they are given, so every
 * decision is a unit test with literal times (tests/test-recover.c). */

/* A jump of CLOCK_BOOTTIME against CLOCK_MONOTONIC of at least this much was a suspend. */
#define GB_SUSPEND_MIN_US (2 * G_USEC_PER_SEC)

/* @offset_us: CLOCK_BOOTTIME - CLOCK_MONOTONIC now; @known_offset_us: the same when the last
 * suspend (or the start) was accounted for. TRUE if the machine was suspended since: it
 * slept until @now_us (whatever woke the daemon first noticed it right away, since nothing
 * runs while suspended) and since *@since_us. */
gboolean gb_recover_suspend(gint64 known_offset_us, gint64 offset_us, gint64 now_us,
                            gint64 *since_us);

/* What this run of the daemon knows of the present. */
typedef struct {
	const char *boot_id;     /* gb_clock_boot_id() */
	gint64 now_boot;         /* CLOCK_BOOTTIME µs */
	gint64 now_wall;         /* CLOCK_REALTIME µs */
	gint64 break_us;
	gboolean dates_input;    /* the idle source reports an idle period that began before the
	                          * daemon started (it knows when the last input was) */
} GbRecoverNow;

/* Whether the bout of @saved goes on in this run, and where it began on this boot's clock
 * (*@bout_start_us). It goes on unless the user was away for break-length in between:
 * - after a clean exit the file says when the daemon stopped: away that long;
 * - after a crash or SIGKILL within the same boot, with an idle source that dates the last
 *   input, the bout is resumed and that source's first report ends it where it should (an
 *   idle period that began long ago is a break that began then);
 * - otherwise (no such source, or a reboot in between) the daemon was gone at least since
 *   the file was last written: away that long, on CLOCK_BOOTTIME within a boot and on the
 *   wall clock across a reboot. */
gboolean gb_recover_bout(const GbSavedState *saved, const GbRecoverNow *now,
                         gint64 *bout_start_us);

/* The state to save: @core's bout on both clocks. @running: FALSE only at a clean exit. */
void gb_recover_snapshot(const GbCore *core, const GbRecoverNow *now, gboolean running,
                         GbSavedState *state);

G_END_DECLS

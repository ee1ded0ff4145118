/* SPDX-License-Identifier: MIT */
/* Suspends and downtime: see recover.h. No clock is read here. */
#include <string.h>

#include "recover.h"

gboolean
gb_recover_suspend(gint64 known_offset_us, gint64 offset_us, gint64 now_us, gint64 *since_us)
{
	gint64 slept = offset_us - known_offset_us;

	if (slept < GB_SUSPEND_MIN_US)
		return FALSE;
	*since_us = now_us - slept;
	return TRUE;
}

gboolean
gb_recover_bout(const GbSavedState *saved, const GbRecoverNow *now, gint64 *bout_start_us)
{
	gboolean same_boot = saved->boot_id[0] != '\0' && g_str_equal(saved->boot_id, now->boot_id);
	gint64 start, gone;

	if (!saved->in_bout)
		return FALSE;
	start = same_boot ? saved->bout_start_boot
	                  : now->now_boot - (now->now_wall - saved->bout_start_wall);
	if (start > now->now_boot)
		return FALSE;   /* the wall clock went back: nothing to go by */
	*bout_start_us = start;
	if (saved->running && same_boot && now->dates_input)
		return TRUE;
	/* a clean exit wrote when it stopped; a crash at least left the last save */
	gone = same_boot ? now->now_boot - saved->saved_boot : now->now_wall - saved->saved_wall;
	return gone >= 0 && gone < now->break_us;
}

void
gb_recover_snapshot(const GbCore *core, const GbRecoverNow *now, gboolean running,
                    GbSavedState *state)
{
	memset(state, 0, sizeof(*state));
	g_strlcpy(state->boot_id, now->boot_id, sizeof(state->boot_id));
	state->in_bout = gb_core_in_bout(core);
	if (state->in_bout) {
		state->bout_start_boot = gb_core_get_bout_start(core);
		state->bout_start_wall = now->now_wall - (now->now_boot - state->bout_start_boot);
	}
	state->saved_boot = now->now_boot;
	state->saved_wall = now->now_wall;
	state->running = running;
}

/* SPDX-License-Identifier: MIT */
/* The daemon's own decisions with literal times: dating a suspend, and whether the bout of
 * the previous run goes on after a clean exit, a crash, or a reboot. */
#include <string.h>

#include "core-test.h"
#include "recover.h"

#define BOOT_A "11111111-1111-1111-1111-111111111111"
#define BOOT_B "22222222-2222-2222-2222-222222222222"
#define WALL(s) (SEC(1700000000) + SEC(s)) /* a wall clock reading s seconds into the day */

static void
test_suspend(void)
{
	gint64 since = -1;

	/* offsets drift by nothing without a suspend; a jump under 2 s is not one */
	g_assert_false(gb_recover_suspend(SEC(10), SEC(10), MINUTES(50), &since));
	g_assert_false(gb_recover_suspend(SEC(10), SEC(11), MINUTES(50), &since));
	g_assert_cmpint(since, ==, -1);
	/* asleep for 10 min, noticed now by whatever woke the daemon first (the resume sensor,
	 * or a deadline that fell due in the last seconds of the suspend): it ended now */
	g_assert_true(gb_recover_suspend(SEC(10), SEC(10) + MINUTES(10), MINUTES(50), &since));
	g_assert_cmpint(since, ==, MINUTES(40));
	g_assert_true(gb_recover_suspend(0, SEC(2), MINUTES(50), &since));
	g_assert_cmpint(since, ==, MINUTES(50) - SEC(2));
}

static GbSavedState
saved_bout(const char *boot, gint64 start_boot, gint64 start_wall, gint64 saved_boot,
           gint64 saved_wall, gboolean running)
{
	GbSavedState s = {
		.in_bout = TRUE,
		.bout_start_boot = start_boot,
		.bout_start_wall = start_wall,
		.saved_boot = saved_boot,
		.saved_wall = saved_wall,
		.running = running,
	};

	g_strlcpy(s.boot_id, boot, sizeof(s.boot_id));
	return s;
}

static void
test_killed_same_boot(void)
{
	/* sit 8 s, break 3 s: killed 4 s into a bout that was last saved at its start */
	GbSavedState s = saved_bout(BOOT_A, SEC(100), WALL(100), SEC(100), WALL(100), TRUE);
	GbRecoverNow now = { .boot_id = BOOT_A, .now_boot = SEC(104), .now_wall = WALL(104),
	                     .break_us = SEC(3), .dates_input = TRUE };
	gint64 start = 0;

	/* the idle source dates the last input: the bout goes on, and its first report ends it
	 * if the user had been away (tests/test-core-away.c, restore-then-old-idle) */
	g_assert_true(gb_recover_bout(&s, &now, &start));
	g_assert_cmpint(start, ==, SEC(100));
	/* a source that cannot: gone since the last save at least, 4 s >= break-length */
	now.dates_input = FALSE;
	g_assert_false(gb_recover_bout(&s, &now, &start));
	now.now_boot = SEC(102);
	now.now_wall = WALL(102);
	g_assert_true(gb_recover_bout(&s, &now, &start));
}

static void
test_clean_exit(void)
{
	/* stopped at 200 after a bout from 100; the file says when */
	GbSavedState s = saved_bout(BOOT_A, SEC(100), WALL(100), SEC(200), WALL(200), FALSE);
	GbRecoverNow now = { .boot_id = BOOT_A, .now_boot = SEC(202), .now_wall = WALL(202),
	                     .break_us = SEC(3), .dates_input = TRUE };
	gint64 start = 0;

	g_assert_true(gb_recover_bout(&s, &now, &start));
	g_assert_cmpint(start, ==, SEC(100));
	/* away that long even if the idle source saw input a moment ago (a new login) */
	now.now_boot = SEC(203);
	now.now_wall = WALL(203);
	g_assert_false(gb_recover_bout(&s, &now, &start));
}

static void
test_across_reboot(void)
{
	/* saved at boot A's 500 s, now 20 s into boot B: the wall clock measures the gap */
	GbSavedState s = saved_bout(BOOT_A, SEC(300), WALL(300), SEC(500), WALL(500), TRUE);
	GbRecoverNow now = { .boot_id = BOOT_B, .now_boot = SEC(20), .now_wall = WALL(502),
	                     .break_us = SEC(3), .dates_input = TRUE };
	gint64 start = 0;

	/* a crash and a quick reboot: the idle sources restarted too, so only the gap counts */
	g_assert_true(gb_recover_bout(&s, &now, &start));
	g_assert_cmpint(start, ==, SEC(20) - SEC(202));     /* before this boot */
	now.now_wall = WALL(503);
	g_assert_false(gb_recover_bout(&s, &now, &start));
	/* a file from before boot ids were saved is measured on the wall clock */
	s.boot_id[0] = '\0';
	now.boot_id = BOOT_A;
	now.now_boot = SEC(501);
	now.now_wall = WALL(501);
	g_assert_true(gb_recover_bout(&s, &now, &start));
	g_assert_cmpint(start, ==, SEC(501) - SEC(201));
}

static void
test_no_bout_or_clock_gone_back(void)
{
	GbSavedState s = saved_bout(BOOT_A, SEC(100), WALL(100), SEC(100), WALL(100), TRUE);
	GbRecoverNow now = { .boot_id = BOOT_B, .now_boot = SEC(20), .now_wall = WALL(50),
	                     .break_us = SEC(3), .dates_input = TRUE };
	gint64 start = 0;

	/* the wall clock is before the bout began: nothing to go by */
	g_assert_false(gb_recover_bout(&s, &now, &start));
	/* on a break: nothing to resume */
	s.in_bout = FALSE;
	now.boot_id = BOOT_A;
	now.now_boot = SEC(101);
	g_assert_false(gb_recover_bout(&s, &now, &start));
}

static void
test_snapshot(void)
{
	g_autoptr(GbCore) core = gb_core_new(&timings, TRUE, SEC(100));
	GbRecoverNow now = { .boot_id = BOOT_A, .now_boot = SEC(160), .now_wall = WALL(1000),
	                     .break_us = SEC(3) };
	GbSavedState s;

	gb_recover_snapshot(core, &now, TRUE, &s);
	g_assert_cmpstr(s.boot_id, ==, BOOT_A);
	g_assert_true(s.in_bout);
	g_assert_cmpint(s.bout_start_boot, ==, SEC(100));
	g_assert_cmpint(s.bout_start_wall, ==, WALL(940));
	g_assert_cmpint(s.saved_boot, ==, SEC(160));
	g_assert_cmpint(s.saved_wall, ==, WALL(1000));
	g_assert_true(s.running);
	gb_core_take_break(core, SEC(160));
	gb_recover_snapshot(core, &now, FALSE, &s);
	g_assert_false(s.in_bout);
	g_assert_false(s.running);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/recover/suspend", test_suspend);
	g_test_add_func("/recover/killed-same-boot", test_killed_same_boot);
	g_test_add_func("/recover/clean-exit", test_clean_exit);
	g_test_add_func("/recover/across-reboot", test_across_reboot);
	g_test_add_func("/recover/no-bout-or-clock-gone-back", test_no_bout_or_clock_gone_back);
	g_test_add_func("/recover/snapshot", test_snapshot);
	return g_test_run();
}

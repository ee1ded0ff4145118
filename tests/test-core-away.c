/* SPDX-License-Identifier: MIT */
/* The core with literal times: lock, suspend, timer-only mode, pause and
 * restart recovery. Nothing sleeps. */
#include "core-test.h"

static void
test_lock_counts_from_start(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;
	GbBreakKind kind;
	gint64 start;

	gb_core_set_locked(core, TRUE, MINUTES(30));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(35));
	a = gb_core_tick(core, MINUTES(35));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	gb_core_get_last_break(core, &kind, &start, NULL);
	g_assert_cmpint(kind, ==, GB_BREAK_LOCK);
	g_assert_cmpint(start, ==, MINUTES(30));
	/* unlocking is input: the next bout starts there */
	gb_core_set_locked(core, FALSE, MINUTES(40));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(40));
}

static void
test_short_lock_is_no_break(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_set_locked(core, TRUE, MINUTES(44));
	assert_lacks(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
	/* unlocked after 2 min: the bout goes on and the held reminder shows */
	assert_has(gb_core_set_locked(core, FALSE, MINUTES(46)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, 0);
}

static void
test_input_while_locked(void)
{
	g_autoptr(GbCore) core = new_core();

	/* typing the password is input, but the screen is still locked */
	gb_core_set_locked(core, TRUE, MINUTES(10));
	gb_core_active(core, MINUTES(12));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_AWAY);
	assert_has(gb_core_tick(core, MINUTES(15)), GB_ACTION_BREAK_STARTED);
}

static void
test_suspend_across_deadline(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;
	GbBreakKind kind;
	gint64 start;

	/* suspended at 40 for 10 min; the 45 min deadline passed meanwhile */
	a = gb_core_suspended(core, MINUTES(40), MINUTES(50));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	assert_has(a, GB_ACTION_WATCH_ACTIVITY);
	gb_core_get_last_break(core, &kind, &start, NULL);
	g_assert_cmpint(kind, ==, GB_BREAK_SUSPEND);
	g_assert_cmpint(start, ==, MINUTES(40));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	gb_core_active(core, MINUTES(51));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(96));
}

static void
test_short_suspend_across_deadline(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	/* 2 min asleep is no break: the reminder that fell due shows on resume */
	a = gb_core_suspended(core, MINUTES(44), MINUTES(46));
	assert_lacks(a, GB_ACTION_BREAK_STARTED);
	assert_has(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, 0);
}

static void
test_suspend_while_idle(void)
{
	g_autoptr(GbCore) core = new_core();
	gint64 start;

	/* idle from 20, suspended from 22 to 60: the break began at 20 */
	gb_core_idle(core, MINUTES(20), MINUTES(21));
	assert_has(gb_core_suspended(core, MINUTES(22), MINUTES(60)),
	           GB_ACTION_BREAK_STARTED);
	gb_core_get_last_break(core, NULL, &start, NULL);
	g_assert_cmpint(start, ==, MINUTES(20));
}

static void
test_suspend_counts_one_reminder(void)
{
	g_autoptr(GbCore) core = new_core();

	/* asleep for 2 min across the first and the repeat's time: one reminder, counted once */
	assert_has(gb_core_suspended(core, MINUTES(54), MINUTES(56)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 1);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(66));
}

static void
test_suspend_waits_for_input(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	/* a long suspend ends the bout where it began; the next one starts at the next input */
	a = gb_core_suspended(core, MINUTES(5), MINUTES(15));
	assert_has(a, GB_ACTION_WATCH_ACTIVITY);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	gb_core_active(core, MINUTES(17));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(17));
}

static void
test_timer_only(void)
{
	g_autoptr(GbCore) core = gb_core_new(&timings, FALSE, 0);
	GbActions a;

	assert_has(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
	/* Done: without an idle source the next bout starts right away */
	a = gb_core_answer(core, GB_ANSWER_DONE, 0, MINUTES(46));
	assert_lacks(a, GB_ACTION_WATCH_ACTIVITY);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(46));
	/* resume from a long suspend starts a bout at resume */
	gb_core_suspended(core, MINUTES(50), MINUTES(120));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(120));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(165));
	/* and so does unlocking after a long lock */
	gb_core_set_locked(core, TRUE, MINUTES(130));
	gb_core_tick(core, MINUTES(135));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	gb_core_set_locked(core, FALSE, MINUTES(140));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(140));
}

static void
test_idle_source_lost(void)
{
	g_autoptr(GbCore) core = new_core();

	/* lost while on a break: timer-only mode starts a bout now */
	gb_core_idle(core, MINUTES(10), MINUTES(15));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	gb_core_input_source_changed(core, FALSE, MINUTES(20));
	g_assert_false(gb_core_get_have_input(core));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(20));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(65));
}

static void
test_pause_expires(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_tick(core, MINUTES(45));
	a = gb_core_pause(core, MINUTES(60), MINUTES(46));
	assert_has(a, GB_ACTION_HIDE_REMINDER);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_PAUSED);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(106));
	/* input during the pause starts nothing */
	gb_core_active(core, MINUTES(50));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_PAUSED);
	assert_lacks(gb_core_tick(core, MINUTES(105)), GB_ACTION_SHOW_REMINDER);
	/* the pause runs out by itself: a fresh bout */
	gb_core_tick(core, MINUTES(106));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_SITTING);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(151));
}

static void
test_resume_early(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_pause(core, MINUTES(60), MINUTES(10));
	gb_core_resume(core, MINUTES(20));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_SITTING);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(20));
	g_assert_cmpint(gb_core_resume(core, MINUTES(21)), ==, GB_ACTION_NONE);
}

static void
test_pause_expires_while_away(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_pause(core, MINUTES(30), MINUTES(10));
	gb_core_idle(core, MINUTES(30), MINUTES(35));
	gb_core_tick(core, MINUTES(40));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	gb_core_active(core, MINUTES(50));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(50));
}

static void
test_restore_bout(void)
{
	g_autoptr(GbCore) core = gb_core_new(&timings, TRUE, MINUTES(100));
	GbActions a;

	/* the bout from minute 70 goes on */
	a = gb_core_restore_bout(core, MINUTES(70), MINUTES(100));
	assert_has(a, GB_ACTION_PERSIST);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(70));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(115));
}

static void
test_restore_future_bout(void)
{
	g_autoptr(GbCore) core = gb_core_new(&timings, TRUE, MINUTES(100));

	/* a clock gone wrong: a bout cannot begin after now */
	g_assert_cmpint(gb_core_restore_bout(core, MINUTES(101), MINUTES(100)), ==, GB_ACTION_NONE);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(100));
}

static void
test_restore_overdue_bout(void)
{
	g_autoptr(GbCore) core = gb_core_new(&timings, TRUE, MINUTES(100));

	/* the restored bout is already past sit-limit: remind right away */
	assert_has(gb_core_restore_bout(core, MINUTES(40), MINUTES(100)), GB_ACTION_SHOW_REMINDER);
}

static void
test_restore_then_old_idle(void)
{
	g_autoptr(GbCore) core = gb_core_new(&timings, TRUE, MINUTES(100));
	gint64 start, bout;

	/* killed; restarted at 100; the idle source's first report: no input since 80 */
	gb_core_restore_bout(core, MINUTES(70), MINUTES(100));
	assert_has(gb_core_idle(core, MINUTES(80), MINUTES(100)), GB_ACTION_BREAK_STARTED);
	gb_core_get_last_break(core, NULL, &start, &bout);
	g_assert_cmpint(start, ==, MINUTES(80));
	g_assert_cmpint(bout, ==, MINUTES(10));
}

static void
test_restore_across_reboot(void)
{
	/* CLOCK_BOOTTIME restarted: 20 s after boot, the bout began 40 min ago */
	g_autoptr(GbCore) core = gb_core_new(&timings, FALSE, SEC(20));
	g_autoptr(GbCore) overdue = gb_core_new(&timings, FALSE, SEC(20));

	gb_core_restore_bout(core, SEC(20) - MINUTES(40), SEC(20));
	g_assert_true(gb_core_in_bout(core));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, SEC(20) - MINUTES(40));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_SITTING);
	g_assert_cmpint(gb_core_next_deadline(core), ==, SEC(20) + MINUTES(5));
	assert_has(gb_core_tick(core, SEC(20) + MINUTES(5)), GB_ACTION_SHOW_REMINDER);

	/* a bout past sit-limit before the boot: due at once, never a negative deadline */
	assert_has(gb_core_restore_bout(overdue, SEC(20) - MINUTES(50), SEC(20)),
	           GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_next_deadline(overdue), ==, SEC(20) + MINUTES(10));
}

static void
test_suspend_while_paused(void)
{
	g_autoptr(GbCore) core = new_core();
	g_autoptr(GbCore) timer_only = gb_core_new(&timings, FALSE, 0);

	gb_core_pause(core, MINUTES(120), MINUTES(1));
	gb_core_suspended(core, MINUTES(2), MINUTES(40));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_PAUSED);
	g_assert_false(gb_core_in_bout(core));
	assert_lacks(gb_core_tick(core, MINUTES(80)), GB_ACTION_SHOW_REMINDER);

	gb_core_pause(timer_only, MINUTES(120), MINUTES(1));
	gb_core_suspended(timer_only, MINUTES(2), MINUTES(12));
	g_assert_cmpint(gb_core_get_state(timer_only), ==, GB_STATE_PAUSED);
	assert_lacks(gb_core_tick(timer_only, MINUTES(80)), GB_ACTION_SHOW_REMINDER);
	/* and the pause still ends on time */
	gb_core_tick(timer_only, MINUTES(121));
	g_assert_cmpint(gb_core_get_bout_start(timer_only), ==, MINUTES(121));
}

static void
test_idle_source_restarted(void)
{
	g_autoptr(GbCore) core = new_core();

	/* on a break the old source would have reported the return */
	gb_core_idle(core, MINUTES(10), MINUTES(15));
	assert_has(gb_core_input_source_changed(core, TRUE, MINUTES(16)),
	           GB_ACTION_WATCH_ACTIVITY);
	gb_core_active(core, MINUTES(17));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(17));
	/* in a bout there is nothing to ask for */
	assert_lacks(gb_core_input_source_changed(core, TRUE, MINUTES(18)),
	             GB_ACTION_WATCH_ACTIVITY);
}

static void
test_restarted_source_forgets_idle(void)
{
	g_autoptr(GbCore) core = new_core();

	/* idle, not yet a break, when the source is replaced: the new one does not know about
	 * this idle period, so when it becomes a break the next input must be asked for */
	gb_core_idle(core, MINUTES(10), MINUTES(12));
	gb_core_input_source_changed(core, TRUE, MINUTES(13));
	assert_has(gb_core_tick(core, MINUTES(15)), GB_ACTION_WATCH_ACTIVITY);
}

static void
test_unlock_is_input(void)
{
	g_autoptr(GbCore) core = new_core();

	/* idle, then locked; unlocking is input, so the idle period is over: after Done the
	 * next input must be asked for */
	gb_core_idle(core, MINUTES(10), MINUTES(11));
	gb_core_set_locked(core, TRUE, MINUTES(12));
	gb_core_set_locked(core, FALSE, MINUTES(13));
	assert_has(gb_core_take_break(core, MINUTES(20)), GB_ACTION_WATCH_ACTIVITY);
}

static void
test_timer_only_break_while_locked(void)
{
	g_autoptr(GbCore) core = gb_core_new(&timings, FALSE, 0);

	/* a break taken while locked (e.g. from a command): no bout during the lock */
	gb_core_set_locked(core, TRUE, MINUTES(10));
	gb_core_take_break(core, MINUTES(11));
	g_assert_false(gb_core_in_bout(core));
	g_assert_cmpint(gb_core_next_deadline(core), ==, -1);
	gb_core_tick(core, MINUTES(20));
	g_assert_false(gb_core_in_bout(core));
	/* unlocking starts it */
	gb_core_set_locked(core, FALSE, MINUTES(30));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(30));
}

static void
test_pause_expires_during_short_absence(void)
{
	g_autoptr(GbCore) core = new_core();

	/* the pause runs out while the user is away (not yet a break): no bout
	 * until they are back */
	gb_core_pause(core, MINUTES(30), MINUTES(10));
	gb_core_idle(core, MINUTES(38), MINUTES(39));
	assert_lacks(gb_core_tick(core, MINUTES(40)), GB_ACTION_BREAK_STARTED);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	g_assert_false(gb_core_in_bout(core));
	gb_core_active(core, MINUTES(41));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(41));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(86));
}

static void
test_lock_then_earlier_idle(void)
{
	g_autoptr(GbCore) core = new_core();
	gint64 start;

	/* locked at 30; the idle source then says the last input was at 28 */
	gb_core_set_locked(core, TRUE, MINUTES(30));
	gb_core_idle(core, MINUTES(28), MINUTES(31));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(33));
	assert_has(gb_core_tick(core, MINUTES(33)), GB_ACTION_BREAK_STARTED);
	gb_core_get_last_break(core, NULL, &start, NULL);
	g_assert_cmpint(start, ==, MINUTES(28));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/core/lock-counts-from-start", test_lock_counts_from_start);
	g_test_add_func("/core/short-lock-is-no-break", test_short_lock_is_no_break);
	g_test_add_func("/core/input-while-locked", test_input_while_locked);
	g_test_add_func("/core/suspend-across-deadline", test_suspend_across_deadline);
	g_test_add_func("/core/short-suspend-across-deadline", test_short_suspend_across_deadline);
	g_test_add_func("/core/suspend-while-idle", test_suspend_while_idle);
	g_test_add_func("/core/suspend-counts-one-reminder", test_suspend_counts_one_reminder);
	g_test_add_func("/core/suspend-waits-for-input", test_suspend_waits_for_input);
	g_test_add_func("/core/timer-only", test_timer_only);
	g_test_add_func("/core/idle-source-lost", test_idle_source_lost);
	g_test_add_func("/core/pause-expires", test_pause_expires);
	g_test_add_func("/core/resume-early", test_resume_early);
	g_test_add_func("/core/pause-expires-while-away", test_pause_expires_while_away);
	g_test_add_func("/core/restore-bout", test_restore_bout);
	g_test_add_func("/core/restore-future-bout", test_restore_future_bout);
	g_test_add_func("/core/restore-overdue-bout", test_restore_overdue_bout);
	g_test_add_func("/core/restore-then-old-idle", test_restore_then_old_idle);
	g_test_add_func("/core/restore-across-reboot", test_restore_across_reboot);
	g_test_add_func("/core/suspend-while-paused", test_suspend_while_paused);
	g_test_add_func("/core/idle-source-restarted", test_idle_source_restarted);
	g_test_add_func("/core/restarted-source-forgets-idle", test_restarted_source_forgets_idle);
	g_test_add_func("/core/unlock-is-input", test_unlock_is_input);
	g_test_add_func("/core/timer-only-break-while-locked", test_timer_only_break_while_locked);
	g_test_add_func("/core/pause-expires-during-short-absence",
	                test_pause_expires_during_short_absence);
	g_test_add_func("/core/lock-then-earlier-idle", test_lock_then_earlier_idle);
	return g_test_run();
}

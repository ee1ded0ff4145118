/* SPDX-License-Identifier: MIT */
/* DESIGN.md rule 10 (holds) and [reminder] skip-limit in the core, with literal times. */
#include "core-test.h"

/* A reminder due during a hold shows after-hold after it ends, and is never unanswered. */
static void
test_held_then_delivered(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	a = gb_core_set_held(core, TRUE, MINUTES(30));
	assert_has(a, GB_ACTION_STATE_CHANGED);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_HELD);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(45));
	a = gb_core_tick(core, MINUTES(45));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	g_assert_true(gb_core_get_held_back(core));
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 0);
	g_assert_cmpint(gb_core_next_deadline(core), ==, -1);
	g_assert_cmpint(gb_core_get_next_reminder(core), ==, -1);
	/* the hold ends: after-hold (1 min) later it shows */
	a = gb_core_set_held(core, FALSE, MINUTES(70));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_HELD);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(71));
	a = gb_core_tick(core, MINUTES(71));
	assert_has(a, GB_ACTION_SHOW_REMINDER);
	g_assert_false(gb_core_get_held_back(core));
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 1);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_OVERDUE);
	/* and repeats as usual from there */
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(81));
}

/* A break during the hold cancels the held reminder; a hold never makes a break. */
static void
test_break_during_hold_cancels(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_set_held(core, TRUE, MINUTES(10));
	gb_core_tick(core, MINUTES(45));
	g_assert_true(gb_core_get_held_back(core));
	g_assert_true(gb_core_in_bout(core)); /* still sitting */
	gb_core_idle(core, MINUTES(50), MINUTES(51));
	a = gb_core_tick(core, MINUTES(55));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	g_assert_false(gb_core_get_held_back(core));
	a = gb_core_set_held(core, FALSE, MINUTES(56));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	a = gb_core_active(core, MINUTES(60));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(105));
}

/* A hold that comes back within after-hold waits again. */
static void
test_hold_flickers(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_set_held(core, TRUE, MINUTES(40));
	gb_core_tick(core, MINUTES(45));
	gb_core_set_held(core, FALSE, MINUTES(50));
	a = gb_core_set_held(core, TRUE, MINUTES(50) + SEC(20));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_next_deadline(core), ==, -1);
	a = gb_core_tick(core, MINUTES(51));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	gb_core_set_held(core, FALSE, MINUTES(52));
	a = gb_core_tick(core, MINUTES(53));
	assert_has(a, GB_ACTION_SHOW_REMINDER);
}

/* A hold that ended before the reminder was due changes nothing. */
static void
test_hold_before_due(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_set_held(core, TRUE, MINUTES(10));
	gb_core_set_held(core, FALSE, MINUTES(20));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_SITTING);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(45));
	assert_has(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
}

/* The reminder on screen when a hold begins stays; its repeat is held back. */
static void
test_repeat_held(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	assert_has(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
	a = gb_core_set_held(core, TRUE, MINUTES(50));
	assert_lacks(a, GB_ACTION_HIDE_REMINDER);
	a = gb_core_tick(core, MINUTES(55));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 1);
	gb_core_set_held(core, FALSE, MINUTES(60));
	assert_has(gb_core_tick(core, MINUTES(61)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 2);
}

/* An answer or a pause during the hold drops the reminder held back. */
static void
test_answer_and_pause_drop_held(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_set_held(core, TRUE, MINUTES(10));
	gb_core_tick(core, MINUTES(45));
	gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(46));
	g_assert_false(gb_core_get_held_back(core));
	/* the snooze ends during the hold: held back again */
	gb_core_tick(core, MINUTES(56));
	g_assert_true(gb_core_get_held_back(core));
	gb_core_pause(core, MINUTES(30), MINUTES(57));
	g_assert_false(gb_core_get_held_back(core));
	gb_core_set_held(core, FALSE, MINUTES(58));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_PAUSED);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(87));
}

/* Away during the hold, back before break-length: the held reminder still waits. */
static void
test_away_during_hold(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_set_held(core, TRUE, MINUTES(10));
	gb_core_tick(core, MINUTES(45));
	gb_core_idle(core, MINUTES(46), MINUTES(47));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_AWAY);
	gb_core_set_held(core, FALSE, MINUTES(48));
	assert_lacks(gb_core_tick(core, MINUTES(49) + SEC(30)), GB_ACTION_SHOW_REMINDER);
	/* back: the after-hold time has passed, it shows now */
	assert_has(gb_core_active(core, MINUTES(50)), GB_ACTION_SHOW_REMINDER);
}

/* Sensors without change signals are read when a reminder falls due. */
static void
test_check_when_due(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_set_hold_check(core, TRUE, 0);
	a = gb_core_tick(core, MINUTES(45));
	assert_has(a, GB_ACTION_CHECK_HOLD);
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_next_deadline(core), ==, -1);
	/* held: asked again at the next repeat */
	a = gb_core_hold_checked(core, TRUE, MINUTES(45) + SEC(1));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_HELD);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 0);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(55) + SEC(1));
	assert_has(gb_core_tick(core, MINUTES(55) + SEC(1)), GB_ACTION_CHECK_HOLD);
	a = gb_core_hold_checked(core, FALSE, MINUTES(55) + SEC(2));
	assert_has(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 1);
	/* the repeat is checked too */
	assert_has(gb_core_tick(core, MINUTES(65) + SEC(2)), GB_ACTION_CHECK_HOLD);
	/* no longer needed: the reminder shows without waiting */
	assert_has(gb_core_set_hold_check(core, FALSE, MINUTES(65) + SEC(3)),
	           GB_ACTION_SHOW_REMINDER);
}

/* An answer that comes after a break is ignored. */
static void
test_late_check_ignored(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_set_hold_check(core, TRUE, 0);
	assert_has(gb_core_tick(core, MINUTES(45)), GB_ACTION_CHECK_HOLD);
	gb_core_take_break(core, MINUTES(45));
	g_assert_cmpint(gb_core_hold_checked(core, FALSE, MINUTES(45) + SEC(1)), ==,
	                GB_ACTION_NONE);
	/* and a signal hold during the check wins over the answer */
	gb_core_active(core, MINUTES(50));
	assert_has(gb_core_tick(core, MINUTES(95)), GB_ACTION_CHECK_HOLD);
	gb_core_set_held(core, TRUE, MINUTES(95));
	assert_lacks(gb_core_hold_checked(core, FALSE, MINUTES(95) + SEC(1)),
	             GB_ACTION_SHOW_REMINDER);
	g_assert_true(gb_core_get_held_back(core));
}

/* Skips are counted until the next break. */
static void
test_skips_counted(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_tick(core, MINUTES(45));
	gb_core_answer(core, GB_ANSWER_SKIP, 0, MINUTES(46));
	g_assert_cmpuint(gb_core_get_skips(core), ==, 1);
	gb_core_tick(core, MINUTES(91));
	gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(92));
	gb_core_tick(core, MINUTES(102));
	gb_core_answer(core, GB_ANSWER_SKIP, 0, MINUTES(103));
	g_assert_cmpuint(gb_core_get_skips(core), ==, 2);
	gb_core_take_break(core, MINUTES(104));
	g_assert_cmpuint(gb_core_get_skips(core), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/hold/held-then-delivered", test_held_then_delivered);
	g_test_add_func("/core/hold/break-cancels", test_break_during_hold_cancels);
	g_test_add_func("/core/hold/flicker", test_hold_flickers);
	g_test_add_func("/core/hold/before-due", test_hold_before_due);
	g_test_add_func("/core/hold/repeat-held", test_repeat_held);
	g_test_add_func("/core/hold/answer-and-pause", test_answer_and_pause_drop_held);
	g_test_add_func("/core/hold/away", test_away_during_hold);
	g_test_add_func("/core/hold/check-when-due", test_check_when_due);
	g_test_add_func("/core/hold/late-check", test_late_check_ignored);
	g_test_add_func("/core/skips", test_skips_counted);
	return g_test_run();
}

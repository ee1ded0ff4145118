/* SPDX-License-Identifier: MIT */
/* The reminder rules of DESIGN.md §1 with literal times: nothing sleeps. */
#include "core.h"

#define SEC(s) ((gint64) (s) * G_USEC_PER_SEC)
#define MINUTES(m) SEC((gint64) (m) * 60)

static const GbTimings timings = {
	.sit_us = MINUTES(45),
	.break_us = MINUTES(5),
	.repeat_us = MINUTES(10),
	.snooze_us = MINUTES(10),
	.escalate_after = 0,
};

#define assert_has(actions, flag) g_assert_cmpint((actions) & (flag), ==, (flag))
#define assert_lacks(actions, flag) g_assert_cmpint((actions) & (flag), ==, 0)

static GbCore *
new_core(void)
{
	return gb_core_new(&timings, TRUE, 0);
}

static void
test_reminder_at_sit_limit(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_SITTING);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(45));
	g_assert_cmpint(gb_core_tick(core, MINUTES(45) - 1), ==, GB_ACTION_NONE);
	a = gb_core_tick(core, MINUTES(45));
	assert_has(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_OVERDUE);
	g_assert_cmpint(gb_core_get_sitting_us(core, MINUTES(45)), ==, MINUTES(45));
	/* ticking again at the same time shows nothing new */
	assert_lacks(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
}

static void
test_short_pause_keeps_bout(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	/* reading for 4 min 59 s: idle source reports it, then input */
	a = gb_core_idle(core, MINUTES(20), MINUTES(20) + SEC(1));
	assert_lacks(a, GB_ACTION_BREAK_STARTED);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_AWAY);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(25));
	a = gb_core_active(core, MINUTES(25) - SEC(1));
	assert_lacks(a, GB_ACTION_BREAK_STARTED);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, 0);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(45));
	assert_has(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
}

static void
test_break_begins_at_last_input(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;
	GbBreakKind kind;
	gint64 start, bout;

	/* idle reported at the threshold: the break began break_us ago */
	a = gb_core_idle(core, MINUTES(30), MINUTES(35));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	gb_core_get_last_break(core, &kind, &start, &bout);
	g_assert_cmpint(kind, ==, GB_BREAK_NATURAL);
	g_assert_cmpint(start, ==, MINUTES(30));
	g_assert_cmpint(bout, ==, MINUTES(30));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	g_assert_cmpint(gb_core_next_deadline(core), ==, -1);
	/* the break is a real one: the idle source reports the end itself */
	assert_lacks(a, GB_ACTION_WATCH_ACTIVITY);

	/* next bout starts at the next input and needs a full sit-limit */
	a = gb_core_active(core, MINUTES(50));
	assert_has(a, GB_ACTION_STATE_CHANGED);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(50));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(95));
}

static void
test_idle_exactly_break_length(void)
{
	g_autoptr(GbCore) core = new_core();

	/* one µs short is not a break ... */
	gb_core_idle(core, MINUTES(10), MINUTES(10));
	assert_lacks(gb_core_tick(core, MINUTES(15) - 1), GB_ACTION_BREAK_STARTED);
	/* ... exactly break-length is */
	assert_has(gb_core_tick(core, MINUTES(15)), GB_ACTION_BREAK_STARTED);
}

static void
test_idle_noticed_late_still_counts(void)
{
	g_autoptr(GbCore) core = new_core();

	/* idle since minute 10, told at minute 16: already a full break */
	assert_has(gb_core_idle(core, MINUTES(10), MINUTES(16)), GB_ACTION_BREAK_STARTED);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
}

static void
test_break_completed_before_input(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	/* idle below the threshold, the deadline has not run yet, and then input
	 * arrives after a full break: the break counts, the bout starts anew */
	gb_core_idle(core, MINUTES(10), MINUTES(11));
	a = gb_core_active(core, MINUTES(20));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(20));
}

static void
test_repeat_replaces_and_escalates(void)
{
	GbTimings t = timings;
	g_autoptr(GbCore) core = NULL;

	t.escalate_after = 2;
	core = gb_core_new(&t, TRUE, 0);
	assert_has(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
	g_assert_false(gb_core_get_reminder_critical(core));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(55));
	g_assert_cmpint(gb_core_tick(core, MINUTES(54)), ==, GB_ACTION_NONE);
	assert_has(gb_core_tick(core, MINUTES(55)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_unanswered(core), ==, 2);
	g_assert_false(gb_core_get_reminder_critical(core));
	assert_has(gb_core_tick(core, MINUTES(65)), GB_ACTION_SHOW_REMINDER);
	g_assert_true(gb_core_get_reminder_critical(core));
	/* an answer resets the escalation */
	gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(66));
	g_assert_cmpint(gb_core_get_unanswered(core), ==, 0);
	assert_has(gb_core_tick(core, MINUTES(76)), GB_ACTION_SHOW_REMINDER);
	g_assert_false(gb_core_get_reminder_critical(core));
}

static void
test_escalate_never(void)
{
	g_autoptr(GbCore) core = new_core();

	for (int i = 0; i < 20; i++)
		assert_has(gb_core_tick(core, MINUTES(45) + i * MINUTES(10)), GB_ACTION_SHOW_REMINDER);
	g_assert_false(gb_core_get_reminder_critical(core));
}

static void
test_done(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;
	GbBreakKind kind;
	gint64 start;

	gb_core_tick(core, MINUTES(45));
	a = gb_core_answer(core, GB_ANSWER_DONE, 0, MINUTES(46));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	assert_has(a, GB_ACTION_HIDE_REMINDER);
	/* the idle source is asked for the next input */
	assert_has(a, GB_ACTION_WATCH_ACTIVITY);
	gb_core_get_last_break(core, &kind, &start, NULL);
	g_assert_cmpint(kind, ==, GB_BREAK_DONE);
	g_assert_cmpint(start, ==, MINUTES(46));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	g_assert_cmpint(gb_core_next_deadline(core), ==, -1);
	gb_core_active(core, MINUTES(48));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(48 + 45));
}

static void
test_snooze(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_tick(core, MINUTES(45));
	a = gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(46));
	assert_has(a, GB_ACTION_HIDE_REMINDER);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(56));
	assert_lacks(gb_core_tick(core, MINUTES(55)), GB_ACTION_SHOW_REMINDER);
	assert_has(gb_core_tick(core, MINUTES(56)), GB_ACTION_SHOW_REMINDER);

	/* an explicit duration */
	gb_core_answer(core, GB_ANSWER_SNOOZE, MINUTES(3), MINUTES(57));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(60));
}

static void
test_input_during_snooze(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_tick(core, MINUTES(45));
	gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(45));
	/* typing and a short pause during the snooze change nothing */
	g_assert_cmpint(gb_core_active(core, MINUTES(47)) & GB_ACTION_SHOW_REMINDER, ==, 0);
	gb_core_idle(core, MINUTES(48), MINUTES(50));
	gb_core_active(core, MINUTES(51));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(55));
	assert_has(gb_core_tick(core, MINUTES(55)), GB_ACTION_SHOW_REMINDER);
}

static void
test_break_during_snooze(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_tick(core, MINUTES(45));
	gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(45));
	assert_has(gb_core_idle(core, MINUTES(46), MINUTES(51)), GB_ACTION_BREAK_STARTED);
	gb_core_active(core, MINUTES(60));
	/* no leftover snooze deadline: a full sit-limit from the new bout */
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(105));
}

static void
test_skip_then_break(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_tick(core, MINUTES(45));
	gb_core_answer(core, GB_ANSWER_SKIP, 0, MINUTES(46));
	/* skip: another full sit-limit of sitting */
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(91));
	assert_has(gb_core_idle(core, MINUTES(60), MINUTES(65)), GB_ACTION_BREAK_STARTED);
	gb_core_active(core, MINUTES(70));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(115));
	assert_lacks(gb_core_tick(core, MINUTES(91)), GB_ACTION_SHOW_REMINDER);
}

static void
test_ignored_keeps_schedule(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_tick(core, MINUTES(45));
	a = gb_core_answer(core, GB_ANSWER_IGNORED, 0, MINUTES(46));
	assert_lacks(a, GB_ACTION_HIDE_REMINDER);
	g_assert_cmpint(gb_core_get_unanswered(core), ==, 1);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(55));
	assert_has(gb_core_tick(core, MINUTES(55)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_unanswered(core), ==, 2);
}

static void
test_break_withdraws_reminder(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_tick(core, MINUTES(45));
	a = gb_core_idle(core, MINUTES(46), MINUTES(51));
	assert_has(a, GB_ACTION_HIDE_REMINDER);
	assert_has(a, GB_ACTION_BREAK_STARTED);
	/* nothing more to withdraw after that */
	assert_lacks(gb_core_active(core, MINUTES(52)), GB_ACTION_HIDE_REMINDER);
}

static void
test_reminder_due_while_away(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	/* away since minute 43 (not yet a break) when the reminder falls due */
	gb_core_idle(core, MINUTES(43), MINUTES(44));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(48));
	assert_lacks(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
	/* back at 46: still the same bout, the held reminder shows now */
	a = gb_core_active(core, MINUTES(46));
	assert_has(a, GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_sitting_us(core, MINUTES(46)), ==, MINUTES(46));
}

static void
test_reminder_due_while_away_then_break(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_idle(core, MINUTES(43), MINUTES(44));
	a = gb_core_tick(core, MINUTES(48));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	a = gb_core_active(core, MINUTES(60));
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
}

static void
test_reminder_then_late_idle_report(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	/* the user left at 44 but the idle source only reports at the
	 * threshold: the reminder shows at 45 and is withdrawn at 49 */
	assert_has(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
	a = gb_core_idle(core, MINUTES(44), MINUTES(49));
	assert_has(a, GB_ACTION_HIDE_REMINDER);
	assert_has(a, GB_ACTION_BREAK_STARTED);
}

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
	a = gb_core_suspended(core, MINUTES(40), MINUTES(50), MINUTES(50));
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
	a = gb_core_suspended(core, MINUTES(44), MINUTES(46), MINUTES(46));
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
	assert_has(gb_core_suspended(core, MINUTES(22), MINUTES(60), MINUTES(60)),
	           GB_ACTION_BREAK_STARTED);
	gb_core_get_last_break(core, NULL, &start, NULL);
	g_assert_cmpint(start, ==, MINUTES(20));
}

static void
test_suspend_noticed_late(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;
	gint64 start;

	/* asleep from 5 to 15, noticed only at the 45 min deadline: the user
	 * has been at it since the resume, with no idle report since */
	a = gb_core_suspended(core, MINUTES(5), MINUTES(15), MINUTES(45));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	assert_lacks(a, GB_ACTION_SHOW_REMINDER);
	gb_core_get_last_break(core, NULL, &start, NULL);
	g_assert_cmpint(start, ==, MINUTES(5));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(15));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(60));
}

static void
test_suspend_noticed_late_overdue(void)
{
	g_autoptr(GbCore) core = new_core();

	/* the bout since the resume is itself past sit-limit by now */
	assert_has(gb_core_suspended(core, MINUTES(5), MINUTES(15), MINUTES(70)),
	           GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(15));
}

static void
test_suspend_noticed_soon_waits_for_input(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	/* resumed 1 min ago: no evidence yet that anyone is there */
	a = gb_core_suspended(core, MINUTES(5), MINUTES(15), MINUTES(16));
	assert_has(a, GB_ACTION_WATCH_ACTIVITY);
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_ON_BREAK);
	gb_core_active(core, MINUTES(17));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(17));
}

static void
test_short_suspend_noticed_late(void)
{
	g_autoptr(GbCore) core = new_core();

	/* 2 min asleep inside the bout: no break, the bout still counts from 0 */
	assert_has(gb_core_suspended(core, MINUTES(10), MINUTES(12), MINUTES(45)),
	           GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_get_bout_start(core), ==, 0);
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
	gb_core_suspended(core, MINUTES(50), MINUTES(120), MINUTES(120));
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
	gb_core_set_have_input(core, FALSE, MINUTES(20));
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
	g_autoptr(GbCore) fresh = gb_core_new(&timings, TRUE, MINUTES(100));

	/* restarted after a 1-min gap: the bout from minute 70 goes on */
	gb_core_restore_bout(core, MINUTES(70), MINUTES(1), MINUTES(100));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(70));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(115));
	/* a gap of break-length or more was a break */
	g_assert_cmpint(gb_core_restore_bout(fresh, MINUTES(70), MINUTES(5), MINUTES(100)), ==,
	                GB_ACTION_NONE);
	g_assert_cmpint(gb_core_get_bout_start(fresh), ==, MINUTES(100));
}

static void
test_restore_overdue_bout(void)
{
	g_autoptr(GbCore) core = gb_core_new(&timings, TRUE, MINUTES(100));

	/* the restored bout is already past sit-limit: remind right away */
	assert_has(gb_core_restore_bout(core, MINUTES(40), SEC(10), MINUTES(100)),
	           GB_ACTION_SHOW_REMINDER);
}

static void
test_restore_across_reboot(void)
{
	/* CLOCK_BOOTTIME restarted: 20 s after boot, the bout began 40 min ago */
	g_autoptr(GbCore) core = gb_core_new(&timings, FALSE, SEC(20));
	g_autoptr(GbCore) overdue = gb_core_new(&timings, FALSE, SEC(20));

	gb_core_restore_bout(core, SEC(20) - MINUTES(40), MINUTES(1), SEC(20));
	g_assert_true(gb_core_in_bout(core));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, SEC(20) - MINUTES(40));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_SITTING);
	g_assert_cmpint(gb_core_next_deadline(core), ==, SEC(20) + MINUTES(5));
	assert_has(gb_core_tick(core, SEC(20) + MINUTES(5)), GB_ACTION_SHOW_REMINDER);

	/* a bout past sit-limit before the boot: due at once, never a negative deadline */
	assert_has(gb_core_restore_bout(overdue, SEC(20) - MINUTES(50), MINUTES(1), SEC(20)),
	           GB_ACTION_SHOW_REMINDER);
	g_assert_cmpint(gb_core_next_deadline(overdue), ==, SEC(20) + MINUTES(10));
}

static void
test_suspend_while_paused(void)
{
	g_autoptr(GbCore) core = new_core();
	g_autoptr(GbCore) timer_only = gb_core_new(&timings, FALSE, 0);

	gb_core_pause(core, MINUTES(120), MINUTES(1));
	gb_core_suspended(core, MINUTES(2), MINUTES(12), MINUTES(40));
	g_assert_cmpint(gb_core_get_state(core), ==, GB_STATE_PAUSED);
	g_assert_false(gb_core_in_bout(core));
	assert_lacks(gb_core_tick(core, MINUTES(80)), GB_ACTION_SHOW_REMINDER);

	gb_core_pause(timer_only, MINUTES(120), MINUTES(1));
	gb_core_suspended(timer_only, MINUTES(2), MINUTES(12), MINUTES(12));
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
	assert_has(gb_core_idle_source_restarted(core, MINUTES(16)), GB_ACTION_WATCH_ACTIVITY);
	gb_core_active(core, MINUTES(17));
	g_assert_cmpint(gb_core_get_bout_start(core), ==, MINUTES(17));
	/* in a bout there is nothing to ask for */
	assert_lacks(gb_core_idle_source_restarted(core, MINUTES(18)), GB_ACTION_WATCH_ACTIVITY);
}

static void
test_reload_timings(void)
{
	g_autoptr(GbCore) core = new_core();
	GbTimings t = timings;

	t.sit_us = MINUTES(30);
	gb_core_set_timings(core, &t, MINUTES(10));
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(30));
	/* a shorter sit-limit that is already exceeded reminds at once */
	t.sit_us = MINUTES(20);
	assert_has(gb_core_set_timings(core, &t, MINUTES(25)), GB_ACTION_SHOW_REMINDER);
}

static void
test_take_break(void)
{
	g_autoptr(GbCore) core = new_core();

	assert_has(gb_core_take_break(core, MINUTES(20)), GB_ACTION_BREAK_STARTED);
	g_assert_cmpint(gb_core_take_break(core, MINUTES(21)), ==, GB_ACTION_NONE);
	/* a stale answer after the break changes nothing */
	g_assert_cmpint(gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(22)), ==, GB_ACTION_NONE);
}

static void
test_strings(void)
{
	g_assert_cmpstr(gb_state_to_string(GB_STATE_ON_BREAK), ==, "on-break");
	g_assert_cmpstr(gb_break_kind_to_string(GB_BREAK_SUSPEND), ==, "suspend");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/core/reminder-at-sit-limit", test_reminder_at_sit_limit);
	g_test_add_func("/core/short-pause-keeps-bout", test_short_pause_keeps_bout);
	g_test_add_func("/core/break-begins-at-last-input", test_break_begins_at_last_input);
	g_test_add_func("/core/idle-exactly-break-length", test_idle_exactly_break_length);
	g_test_add_func("/core/idle-noticed-late", test_idle_noticed_late_still_counts);
	g_test_add_func("/core/break-completed-before-input", test_break_completed_before_input);
	g_test_add_func("/core/repeat-and-escalate", test_repeat_replaces_and_escalates);
	g_test_add_func("/core/escalate-never", test_escalate_never);
	g_test_add_func("/core/done", test_done);
	g_test_add_func("/core/snooze", test_snooze);
	g_test_add_func("/core/input-during-snooze", test_input_during_snooze);
	g_test_add_func("/core/break-during-snooze", test_break_during_snooze);
	g_test_add_func("/core/skip-then-break", test_skip_then_break);
	g_test_add_func("/core/ignored-keeps-schedule", test_ignored_keeps_schedule);
	g_test_add_func("/core/break-withdraws-reminder", test_break_withdraws_reminder);
	g_test_add_func("/core/reminder-due-while-away", test_reminder_due_while_away);
	g_test_add_func("/core/reminder-due-while-away-then-break",
	                test_reminder_due_while_away_then_break);
	g_test_add_func("/core/reminder-then-late-idle-report", test_reminder_then_late_idle_report);
	g_test_add_func("/core/lock-counts-from-start", test_lock_counts_from_start);
	g_test_add_func("/core/short-lock-is-no-break", test_short_lock_is_no_break);
	g_test_add_func("/core/input-while-locked", test_input_while_locked);
	g_test_add_func("/core/suspend-across-deadline", test_suspend_across_deadline);
	g_test_add_func("/core/short-suspend-across-deadline", test_short_suspend_across_deadline);
	g_test_add_func("/core/suspend-while-idle", test_suspend_while_idle);
	g_test_add_func("/core/suspend-noticed-late", test_suspend_noticed_late);
	g_test_add_func("/core/suspend-noticed-late-overdue", test_suspend_noticed_late_overdue);
	g_test_add_func("/core/suspend-noticed-soon", test_suspend_noticed_soon_waits_for_input);
	g_test_add_func("/core/short-suspend-noticed-late", test_short_suspend_noticed_late);
	g_test_add_func("/core/timer-only", test_timer_only);
	g_test_add_func("/core/idle-source-lost", test_idle_source_lost);
	g_test_add_func("/core/pause-expires", test_pause_expires);
	g_test_add_func("/core/resume-early", test_resume_early);
	g_test_add_func("/core/pause-expires-while-away", test_pause_expires_while_away);
	g_test_add_func("/core/restore-bout", test_restore_bout);
	g_test_add_func("/core/restore-overdue-bout", test_restore_overdue_bout);
	g_test_add_func("/core/reload-timings", test_reload_timings);
	g_test_add_func("/core/restore-across-reboot", test_restore_across_reboot);
	g_test_add_func("/core/suspend-while-paused", test_suspend_while_paused);
	g_test_add_func("/core/idle-source-restarted", test_idle_source_restarted);
	g_test_add_func("/core/take-break", test_take_break);
	g_test_add_func("/core/strings", test_strings);
	return g_test_run();
}

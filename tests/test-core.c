/* SPDX-License-Identifier: MIT */
/* The reminder rules of DESIGN.md §1 with literal times: bouts, breaks,
 * reminders and answers. Nothing sleeps. */
#include "core-test.h"

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
	g_autoptr(GbCore) core = new_core();

	assert_has(gb_core_tick(core, MINUTES(45)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 1);
	g_assert_cmpint(gb_core_next_deadline(core), ==, MINUTES(55));
	g_assert_cmpint(gb_core_tick(core, MINUTES(54)), ==, GB_ACTION_NONE);
	assert_has(gb_core_tick(core, MINUTES(55)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 2);
	assert_has(gb_core_tick(core, MINUTES(65)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 3);
	/* an answer resets the count (and with it the escalation) */
	gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(66));
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 0);
	assert_has(gb_core_tick(core, MINUTES(76)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 1);
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
test_dismissed_then_break(void)
{
	g_autoptr(GbCore) core = new_core();
	GbActions a;

	gb_core_tick(core, MINUTES(45));
	gb_core_answer(core, GB_ANSWER_IGNORED, 0, MINUTES(46));
	/* the dismissed reminder is gone from the screen: a break has nothing to withdraw */
	a = gb_core_take_break(core, MINUTES(50));
	assert_has(a, GB_ACTION_BREAK_STARTED);
	assert_lacks(a, GB_ACTION_HIDE_REMINDER);
}

static void
test_when_to_persist(void)
{
	g_autoptr(GbCore) core = new_core();

	/* what a restart needs changes only when a bout starts or ends, or a pause */
	assert_lacks(gb_core_tick(core, MINUTES(45)), GB_ACTION_PERSIST);
	assert_lacks(gb_core_answer(core, GB_ANSWER_SNOOZE, 0, MINUTES(46)), GB_ACTION_PERSIST);
	assert_lacks(gb_core_idle(core, MINUTES(47), MINUTES(48)), GB_ACTION_PERSIST);
	assert_lacks(gb_core_active(core, MINUTES(49)), GB_ACTION_PERSIST);
	assert_has(gb_core_idle(core, MINUTES(50), MINUTES(55)), GB_ACTION_PERSIST);
	assert_has(gb_core_active(core, MINUTES(60)), GB_ACTION_PERSIST);
	assert_has(gb_core_pause(core, MINUTES(10), MINUTES(61)), GB_ACTION_PERSIST);
	assert_has(gb_core_resume(core, MINUTES(62)), GB_ACTION_PERSIST);
	assert_has(gb_core_take_break(core, MINUTES(63)), GB_ACTION_PERSIST);
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
test_skip_resets_escalation(void)
{
	g_autoptr(GbCore) core = new_core();

	gb_core_tick(core, MINUTES(45));
	gb_core_tick(core, MINUTES(55));
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 2);
	/* Skip is an answer, like Snooze */
	gb_core_answer(core, GB_ANSWER_SKIP, 0, MINUTES(56));
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 0);
	assert_has(gb_core_tick(core, MINUTES(101)), GB_ACTION_SHOW_REMINDER);
	g_assert_cmpuint(gb_core_get_unanswered(core), ==, 1);
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
	g_test_add_func("/core/done", test_done);
	g_test_add_func("/core/snooze", test_snooze);
	g_test_add_func("/core/input-during-snooze", test_input_during_snooze);
	g_test_add_func("/core/break-during-snooze", test_break_during_snooze);
	g_test_add_func("/core/skip-then-break", test_skip_then_break);
	g_test_add_func("/core/ignored-keeps-schedule", test_ignored_keeps_schedule);
	g_test_add_func("/core/dismissed-then-break", test_dismissed_then_break);
	g_test_add_func("/core/when-to-persist", test_when_to_persist);
	g_test_add_func("/core/break-withdraws-reminder", test_break_withdraws_reminder);
	g_test_add_func("/core/reminder-due-while-away", test_reminder_due_while_away);
	g_test_add_func("/core/reminder-due-while-away-then-break",
	                test_reminder_due_while_away_then_break);
	g_test_add_func("/core/reminder-then-late-idle-report",
	                test_reminder_then_late_idle_report);
	g_test_add_func("/core/reload-timings", test_reload_timings);
	g_test_add_func("/core/skip-resets-escalation", test_skip_resets_escalation);
	g_test_add_func("/core/take-break", test_take_break);
	g_test_add_func("/core/strings", test_strings);
	return g_test_run();
}

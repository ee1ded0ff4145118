/* SPDX-License-Identifier: MIT */
/* record.c: the history a real core's steps leave, with literal times, read back with the
 * history reader. */
#include <glib/gstdio.h>

#include "core-test.h"
#include "record.h"

/* CLOCK_BOOTTIME 0 is this wall time (Unix µs): 2026-12-03 09:00:00 UTC */
#define WALL SEC(1796288400)

typedef struct {
	char *path;
	GbRecord *record;
	GbCore *core;
	GbHistoryLog *log;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
	(void) data;
	f->path = g_build_filename(g_get_user_state_dir(), "glutebreak", "history", NULL);
	g_remove(f->path);
	f->record = gb_record_new(gb_history_new(f->path));
	f->core = new_core();
}

static void
teardown(Fixture *f, gconstpointer data)
{
	(void) data;
	gb_record_free(f->record);
	gb_core_free(f->core);
	g_clear_pointer(&f->log, gb_history_log_free);
	g_free(f->path);
}

/* Applies @actions of the core at @now, as daemon.c does. */
static void
step(Fixture *f, GbActions actions, gint64 now)
{
	gb_record_step(f->record, f->core, actions, timings.sit_us, WALL, now);
}

static const GbEvent *
events(Fixture *f, gsize *n)
{
	g_autoptr(GError) error = NULL;

	g_clear_pointer(&f->log, gb_history_log_free);
	f->log = gb_history_read(f->path, &error);
	g_assert_no_error(error);
	g_assert_null(gb_history_log_get_warnings(f->log)[0]);
	return gb_history_log_get_events(f->log, n);
}

static void
assert_kinds(Fixture *f, const GbEventKind *kinds, gsize n_kinds)
{
	gsize n;
	const GbEvent *e = events(f, &n);

	g_assert_cmpuint(n, ==, n_kinds);
	for (gsize i = 0; i < n; i++)
		g_assert_cmpstr(gb_event_kind_to_string(e[i].kind), ==,
		                gb_event_kind_to_string(kinds[i]));
}

static void
test_nothing_before_begin(Fixture *f, gconstpointer data)
{
	gsize n;

	(void) data;
	step(f, gb_core_take_break(f->core, MINUTES(1)), MINUTES(1));
	gb_record_reminder(f->record, NULL, 0, 0, WALL);
	gb_record_reply(f->record, GB_REPLY_DONE, WALL);
	/* reminders are recorded from the start; bouts and pauses once it began */
	events(f, &n);
	g_assert_cmpuint(n, ==, 2);
}

static void
test_natural_break(Fixture *f, gconstpointer data)
{
	static const GbEventKind kinds[] = {
		GB_EVENT_DAEMON_START, GB_EVENT_BOUT_START, GB_EVENT_BOUT_END, GB_EVENT_BOUT_START,
		GB_EVENT_DAEMON_STOP,
	};
	gsize n;
	const GbEvent *e;

	(void) data;
	gb_record_start(f->record, f->core, WALL + SEC(1));
	gb_record_restored(f->record, NULL, f->core, FALSE, timings.sit_us, WALL, SEC(1));
	/* idle since minute 30, certain at minute 35; back at minute 40 */
	step(f, gb_core_idle(f->core, MINUTES(30), MINUTES(35)), MINUTES(35));
	step(f, gb_core_active(f->core, MINUTES(40)), MINUTES(40));
	gb_record_end(f->record, WALL + MINUTES(41));
	assert_kinds(f, kinds, G_N_ELEMENTS(kinds));
	e = events(f, &n);
	g_assert_cmpint(e[1].time_us, ==, WALL);
	g_assert_cmpint(e[2].time_us, ==, WALL + MINUTES(30)); /* the last input */
	g_assert_cmpint(e[2].start_us, ==, WALL);
	g_assert_cmpint(e[2].length_us, ==, MINUTES(30));
	g_assert_cmpint(e[2].limit_us, ==, timings.sit_us);
	g_assert_cmpstr(e[2].break_kind, ==, "natural");
	g_assert_cmpint(e[3].time_us, ==, WALL + MINUTES(40));
}

static void
test_pause_and_resume(Fixture *f, gconstpointer data)
{
	static const GbEventKind kinds[] = {
		GB_EVENT_DAEMON_START, GB_EVENT_BOUT_START, GB_EVENT_BOUT_END, GB_EVENT_PAUSE,
		GB_EVENT_RESUME, GB_EVENT_BOUT_START,
	};
	gsize n;
	const GbEvent *e;

	(void) data;
	gb_record_start(f->record, f->core, WALL);
	gb_record_restored(f->record, NULL, f->core, FALSE, timings.sit_us, WALL, 0);
	step(f, gb_core_pause(f->core, MINUTES(60), MINUTES(10)), MINUTES(10));
	/* the pause runs out by itself */
	step(f, gb_core_tick(f->core, MINUTES(70)), MINUTES(70));
	assert_kinds(f, kinds, G_N_ELEMENTS(kinds));
	e = events(f, &n);
	g_assert_cmpstr(e[2].break_kind, ==, "pause");
	g_assert_cmpint(e[2].length_us, ==, MINUTES(10));
	g_assert_cmpint(e[3].until_us, ==, WALL + MINUTES(70));
	g_assert_cmpint(e[4].time_us, ==, WALL + MINUTES(70));
	g_assert_cmpint(e[5].time_us, ==, WALL + MINUTES(70));
}

static void
test_reminders(Fixture *f, gconstpointer data)
{
	char id[] = "glute-bridge";
	GbExercise exercise = { .id = id, .category = GB_CATEGORY_STRENGTHEN };
	gsize n;
	const GbEvent *e;

	(void) data;
	gb_record_reminder(f->record, &exercise, 2, MINUTES(45), WALL + MINUTES(45));
	/* the repeat replaces it: the first was ignored */
	gb_record_reminder(f->record, &exercise, 0, MINUTES(55), WALL + MINUTES(55));
	gb_record_reply(f->record, GB_REPLY_WITHDRAWN, WALL + MINUTES(56));
	/* nothing on screen: nothing to answer */
	gb_record_reply(f->record, GB_REPLY_DONE, WALL + MINUTES(57));
	gb_record_level(f->record, "glute-bridge", "up", 2, 3, WALL + MINUTES(57));
	e = events(f, &n);
	g_assert_cmpuint(n, ==, 5);
	g_assert_cmpint(e[0].kind, ==, GB_EVENT_REMINDER);
	g_assert_cmpstr(e[0].exercise, ==, "glute-bridge");
	g_assert_cmpstr(e[0].category, ==, "strengthen");
	g_assert_cmpint(e[0].sitting_us, ==, MINUTES(45));
	g_assert_cmpint(e[0].level, ==, 2);
	g_assert_cmpint(e[2].level, ==, 0);
	g_assert_cmpint(e[4].kind, ==, GB_EVENT_LEVEL);
	g_assert_cmpstr(e[4].exercise, ==, "glute-bridge");
	g_assert_cmpstr(e[4].change, ==, "up");
	g_assert_cmpint(e[4].from_level, ==, 2);
	g_assert_cmpint(e[4].level, ==, 3);
	g_assert_cmpint(e[1].reply, ==, GB_REPLY_IGNORED);
	g_assert_cmpint(e[3].kind, ==, GB_EVENT_ANSWER);
	g_assert_cmpint(e[3].reply, ==, GB_REPLY_WITHDRAWN);
	g_assert_cmpstr(e[3].category, ==, "strengthen");
}

/* A pause asked for before the saved state was read (the idle source still deciding) is in
 * the history, dated when it was asked; the bout of that time was never recorded. */
static void
test_pause_before_restore(Fixture *f, gconstpointer data)
{
	static const GbEventKind kinds[] = {
		GB_EVENT_DAEMON_START, GB_EVENT_PAUSE, GB_EVENT_RESUME, GB_EVENT_BOUT_START,
	};
	gsize n;
	const GbEvent *e;

	(void) data;
	gb_record_start(f->record, f->core, WALL);
	step(f, gb_core_pause(f->core, MINUTES(10), SEC(1)), SEC(1));
	gb_record_restored(f->record, NULL, f->core, FALSE, timings.sit_us, WALL, SEC(3));
	step(f, gb_core_resume(f->core, MINUTES(2)), MINUTES(2));
	assert_kinds(f, kinds, G_N_ELEMENTS(kinds));
	e = events(f, &n);
	g_assert_cmpint(e[1].time_us, ==, WALL + SEC(1));
	g_assert_cmpint(e[1].until_us, ==, WALL + SEC(1) + MINUTES(10));
}

static void
test_lost_bout(Fixture *f, gconstpointer data)
{
	GbSavedState lost = {
		.in_bout = TRUE,
		.bout_start_wall = WALL - MINUTES(80),
		.saved_wall = WALL - MINUTES(20),
	};
	gsize n;
	const GbEvent *e;

	(void) data;
	gb_record_start(f->record, f->core, WALL);
	gb_record_restored(f->record, &lost, f->core, FALSE, timings.sit_us, WALL, 0);
	e = events(f, &n);
	g_assert_cmpuint(n, ==, 3);
	g_assert_cmpint(e[1].kind, ==, GB_EVENT_BOUT_END);
	g_assert_cmpstr(e[1].break_kind, ==, "stopped");
	g_assert_cmpint(e[1].time_us, ==, WALL - MINUTES(20));
	g_assert_cmpint(e[1].length_us, ==, MINUTES(60));
	g_assert_cmpint(e[2].kind, ==, GB_EVENT_BOUT_START);
}

static void
test_resumed_bout(Fixture *f, gconstpointer data)
{
	static const GbEventKind kinds[] = {
		GB_EVENT_DAEMON_START, GB_EVENT_BOUT_END,
	};
	gsize n;
	const GbEvent *e;

	(void) data;
	/* the previous run's bout, begun 20 min before this start, goes on: its bout-start is
	 * in the file already */
	gb_core_free(f->core);
	f->core = gb_core_new(&timings, TRUE, MINUTES(20));
	gb_core_restore_bout(f->core, 0, MINUTES(20));
	gb_record_start(f->record, f->core, WALL + MINUTES(20));
	gb_record_restored(f->record, NULL, f->core, TRUE, timings.sit_us, WALL, MINUTES(20));
	step(f, gb_core_take_break(f->core, MINUTES(30)), MINUTES(30));
	assert_kinds(f, kinds, G_N_ELEMENTS(kinds));
	e = events(f, &n);
	g_assert_cmpint(e[1].start_us, ==, WALL);
	g_assert_cmpint(e[1].length_us, ==, MINUTES(30));
	g_assert_cmpstr(e[1].break_kind, ==, "done");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(name, func) g_test_add(name, Fixture, NULL, setup, func, teardown)
	ADD("/record/nothing-before-begin", test_nothing_before_begin);
	ADD("/record/natural-break", test_natural_break);
	ADD("/record/pause-and-resume", test_pause_and_resume);
	ADD("/record/reminders", test_reminders);
	ADD("/record/pause-before-restore", test_pause_before_restore);
	ADD("/record/lost-bout", test_lost_bout);
	ADD("/record/resumed-bout", test_resumed_bout);
#undef ADD
	return g_test_run();
}

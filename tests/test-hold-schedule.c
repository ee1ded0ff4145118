/* SPDX-License-Identifier: MIT */
/* The [schedule] hold sensor in a real main loop with its real timerfd. Schedules are built
 * around today's local date so the test holds whenever it runs, even across midnight. The
 * wall clock being set (TFD_TIMER_CANCEL_ON_SET) is not tested: setting it needs
 * CAP_SYS_TIME and would disturb the machine; src/hold-schedule.c handles it on the same
 * path as an expiry. */
#include "hold-schedule.h"

static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

typedef struct {
	GbHold *hold;
	GArray *seen; /* the reasons at each change */
} Fixture;

static void
on_changed(gpointer user_data)
{
	Fixture *fixture = user_data;
	GbHoldReason reasons = gb_hold_get_reasons(fixture->hold);

	g_array_append_val(fixture->seen, reasons);
}

static void
setup(Fixture *fixture, gconstpointer data)
{
	(void) data;
	fixture->hold = gb_hold_new(on_changed, fixture);
	fixture->seen = g_array_new(FALSE, FALSE, sizeof(GbHoldReason));
}

static void
teardown(Fixture *fixture, gconstpointer data)
{
	(void) data;
	gb_hold_free(fixture->hold);
	g_array_unref(fixture->seen);
}

/* The local day of the week from today, 0 = today. */
static const char *
day(int from_today)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();

	return day_names[(g_date_time_get_day_of_week(now) - 1 + from_today + 7) % 7];
}

/* Today and tomorrow (the test may run across midnight) ... */
static GbSchedule *
inside_now(void)
{
	g_autofree char *text = g_strdup_printf("%s-%s 00:00-24:00", day(0), day(1));

	return gb_schedule_parse(text, NULL);
}

/* ... or every day but those. */
static GbSchedule *
outside_now(void)
{
	g_autofree char *text = g_strdup_printf("%s-%s 00:00-24:00", day(2), day(-1));

	return gb_schedule_parse(text, NULL);
}

/* The last minute of yesterday, local time. */
static GDateTime *
last_minute_of_yesterday(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autoptr(GDateTime) midnight = g_date_time_new_local(g_date_time_get_year(now),
	                                                      g_date_time_get_month(now),
	                                                      g_date_time_get_day_of_month(now),
	                                                      0, 0, 0);

	return g_date_time_add_minutes(midnight, -1);
}

static guint
count_fds(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
	guint n = 0;

	g_assert_nonnull(dir);
	while (g_dir_read_name(dir) != NULL)
		n++;
	return n;
}

/* Runs what is ready now, without blocking. */
static void
run_ready(void)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
}

static gboolean
on_timeout(gpointer user_data)
{
	*(gboolean *) user_data = TRUE;
	return G_SOURCE_REMOVE;
}

/* Runs the main loop until @n changes were seen, for at most 10 s. */
static void
wait_changes(Fixture *fixture, guint n)
{
	gboolean timed_out = FALSE;
	guint id = g_timeout_add_seconds(10, on_timeout, &timed_out);

	while (fixture->seen->len < n && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(timed_out);
	g_source_remove(id);
}

static GbHoldReason
seen(Fixture *fixture, guint i)
{
	g_assert_cmpuint(i, <, fixture->seen->len);
	return g_array_index(fixture->seen, GbHoldReason, i);
}

static void
test_always(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GbSchedule) always = gb_schedule_parse("", NULL);
	guint fds = count_fds();
	GbHoldSchedule *sensors[2];

	(void) data;
	sensors[0] = gb_hold_schedule_new(fixture->hold, always);
	sensors[1] = gb_hold_schedule_new(fixture->hold, NULL);
	/* no timerfd at all */
	g_assert_cmpuint(count_fds(), ==, fds);
	run_ready();
	g_assert_cmpuint(fixture->seen->len, ==, 0);
	g_assert_cmpuint(gb_hold_get_reasons(fixture->hold), ==, 0);
	gb_hold_schedule_free(sensors[0]);
	gb_hold_schedule_free(sensors[1]);
	gb_hold_schedule_free(NULL);
}

static void
test_start_outside(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GbSchedule) schedule = outside_now();
	guint fds = count_fds();
	g_autoptr(GbHoldSchedule) sensor = gb_hold_schedule_new(fixture->hold, schedule);
	g_autofree char *text = NULL;

	(void) data;
	/* a timerfd, and no report from inside _new() */
	g_assert_cmpuint(count_fds(), ==, fds + 1);
	g_assert_cmpuint(fixture->seen->len, ==, 0);
	run_ready();
	g_assert_cmpuint(fixture->seen->len, ==, 1);
	g_assert_cmpuint(seen(fixture, 0), ==, GB_HOLD_SCHEDULE);
	text = gb_hold_describe(fixture->hold);
	g_assert_cmpstr(text, ==, "schedule");
	g_clear_pointer(&sensor, gb_hold_schedule_free);
	g_assert_cmpuint(count_fds(), ==, fds);
}

static void
test_start_inside(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GbSchedule) schedule = inside_now();
	g_autoptr(GbHoldSchedule) sensor = gb_hold_schedule_new(fixture->hold, schedule);

	(void) data;
	/* inside: the hold stays off, so nothing changes */
	gb_hold_set(fixture->hold, GB_HOLD_DND, TRUE, "dunst");
	run_ready();
	g_assert_cmpuint(fixture->seen->len, ==, 1);
	g_assert_cmpuint(gb_hold_get_reasons(fixture->hold), ==, GB_HOLD_DND);
}

/* First evaluated just before today began (outside), the timer is armed for midnight, which
 * has passed: it fires at once, and the clock says inside. */
static void
test_boundary_into(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GbSchedule) schedule = inside_now();
	g_autoptr(GDateTime) before = last_minute_of_yesterday();
	g_autoptr(GbHoldSchedule) sensor = gb_hold_schedule_new_at(fixture->hold, schedule, before);

	(void) data;
	g_assert_cmpuint(fixture->seen->len, ==, 0);
	wait_changes(fixture, 2);
	g_assert_cmpuint(seen(fixture, 0), ==, GB_HOLD_SCHEDULE);
	g_assert_cmpuint(seen(fixture, 1), ==, 0);
	/* and it stays so: the timer is armed for the end of tomorrow */
	run_ready();
	g_assert_cmpuint(fixture->seen->len, ==, 2);
}

/* The same the other way round: inside yesterday, outside today. */
static void
test_boundary_out_of(Fixture *fixture, gconstpointer data)
{
	g_autoptr(GbSchedule) schedule = outside_now();
	g_autoptr(GDateTime) before = last_minute_of_yesterday();
	g_autoptr(GbHoldSchedule) sensor = gb_hold_schedule_new_at(fixture->hold, schedule, before);

	(void) data;
	wait_changes(fixture, 1);
	g_assert_cmpuint(seen(fixture, 0), ==, GB_HOLD_SCHEDULE);
	run_ready();
	g_assert_cmpuint(fixture->seen->len, ==, 1);
}

int
main(int argc, char **argv)
{
	/* a zone with DST, whatever the machine's */
	g_setenv("TZ", "Europe/Berlin", TRUE);
	g_test_init(&argc, &argv, NULL);
	g_test_add("/hold-schedule/always", Fixture, NULL, setup, test_always, teardown);
	g_test_add("/hold-schedule/start-outside", Fixture, NULL, setup, test_start_outside,
	           teardown);
	g_test_add("/hold-schedule/start-inside", Fixture, NULL, setup, test_start_inside,
	           teardown);
	g_test_add("/hold-schedule/boundary-into", Fixture, NULL, setup, test_boundary_into,
	           teardown);
	g_test_add("/hold-schedule/boundary-out-of", Fixture, NULL, setup, test_boundary_out_of,
	           teardown);
	return g_test_run();
}

/* SPDX-License-Identifier: MIT */
/* Per-day figures over literal events, in Europe/Berlin. */
#include <string.h>

#include "history-gen.h"
#include "stats.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
#define HOUR_US (60 * MIN_US)

static GTimeZone *
zone(const char *identifier)
{
	GTimeZone *tz = g_time_zone_new_identifier(identifier);

	if (tz == NULL)
		g_test_skip_printf("no tzdata for %s", identifier);
	return tz;
}

static gint64
t(const char *text)
{
	gint64 us;

	g_assert_true(gb_history_parse_time(text, &us, NULL));
	return us;
}

static GbEvent
bout(const char *start, const char *end, int limit_min)
{
	return (GbEvent) { .kind = GB_EVENT_BOUT_END, .time_us = t(end), .start_us = t(start),
	                   .length_us = t(end) - t(start), .limit_us = limit_min * MIN_US,
	                   .break_kind = "natural" };
}

static void
set_date(GDate *date, int year, int month, int day)
{
	g_date_clear(date, 1);
	g_date_set_dmy(date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static GbStatsDay *
compute(const GbEvent *events, gsize n_events, GTimeZone *tz, int year, int month, int day,
        guint n_days)
{
	GDate first;

	set_date(&first, year, month, day);
	return gb_stats_compute(events, n_events, tz, &first, n_days);
}

static void
test_empty(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	g_autofree GbStatsDay *days = NULL;

	if (tz == NULL)
		return;
	days = compute(NULL, 0, tz, 2026, 11, 27, 7);
	for (guint i = 0; i < 7; i++) {
		g_assert_cmpuint(g_date_get_day(&days[i].date), ==, i < 4 ? 27 + i : i - 3);
		g_assert_cmpint(days[i].end_us - days[i].start_us, ==, 24 * HOUR_US);
		if (i > 0)
			g_assert_cmpint(days[i].start_us, ==, days[i - 1].end_us);
		/* zero rows */
		g_assert_cmpint(days[i].sitting_us, ==, 0);
		g_assert_cmpint(days[i].longest_us, ==, 0);
		g_assert_cmpuint(days[i].bouts + days[i].over_limit + days[i].reminders, ==, 0);
		for (guint reply = 0; reply < GB_REPLY_COUNT; reply++)
			g_assert_cmpuint(days[i].answers[reply], ==, 0);
		g_assert_cmpuint(days[i].done_release + days[i].done_strengthen +
		                 days[i].done_move, ==, 0);
	}
	g_assert_cmpint(days[0].start_us, ==, t("2026-11-27T00:00:00+01:00"));
}

static void
test_first_day(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	GDate first;

	if (tz == NULL)
		return;
	/* half past midnight in Berlin is still the day before in UTC */
	gb_stats_first_day(tz, t("2026-12-03T00:30:00+01:00"), 7, &first);
	g_assert_cmpuint(g_date_get_year(&first), ==, 2026);
	g_assert_cmpuint(g_date_get_month(&first), ==, 11);
	g_assert_cmpuint(g_date_get_day(&first), ==, 27);
	gb_stats_first_day(tz, t("2026-12-03T00:30:00+01:00"), 1, &first);
	g_assert_cmpuint(g_date_get_day(&first), ==, 3);
}

static void
test_across_midnight(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	const GbEvent events[] = {
		bout("2026-12-03T23:30:00+01:00", "2026-12-04T00:20:00+01:00", 45),
		/* the same bout as a machine in another zone would have written it */
		bout("2026-12-04T07:30:00+09:00", "2026-12-04T08:20:00+09:00", 60),
	};
	g_autofree GbStatsDay *days = NULL;

	if (tz == NULL)
		return;
	days = compute(events, G_N_ELEMENTS(events), tz, 2026, 12, 3, 2);
	/* the sitting split at midnight; the bout, whole, on the day it began */
	g_assert_cmpint(days[0].sitting_us, ==, 2 * 30 * MIN_US);
	g_assert_cmpint(days[1].sitting_us, ==, 2 * 20 * MIN_US);
	g_assert_cmpuint(days[0].bouts, ==, 2);
	g_assert_cmpuint(days[1].bouts, ==, 0);
	g_assert_cmpint(days[0].longest_us, ==, 50 * MIN_US);
	g_assert_cmpint(days[1].longest_us, ==, 0);
	g_assert_cmpuint(days[0].over_limit, ==, 1);
	g_assert_cmpuint(days[1].over_limit, ==, 0);

	/* only the second day asked for: its sitting, not the bout */
	g_clear_pointer(&days, g_free);
	days = compute(events, G_N_ELEMENTS(events), tz, 2026, 12, 4, 1);
	g_assert_cmpint(days[0].sitting_us, ==, 2 * 20 * MIN_US);
	g_assert_cmpuint(days[0].bouts, ==, 0);
}

static void
test_dst(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	const GbEvent events[] = {
		/* spring forward: 23 h, and a bout that covers all but its last half hour */
		bout("2026-03-28T23:00:00+01:00", "2026-03-29T23:30:00+02:00", 45),
		/* fall back: 25 h, all sitting, from the day before to the day after */
		bout("2026-10-24T23:00:00+02:00", "2026-10-26T01:00:00+01:00", 45),
	};
	g_autofree GbStatsDay *days = NULL;

	if (tz == NULL)
		return;
	days = compute(events, G_N_ELEMENTS(events), tz, 2026, 3, 28, 3);
	g_assert_cmpint(days[0].end_us - days[0].start_us, ==, 24 * HOUR_US);
	g_assert_cmpint(days[1].end_us - days[1].start_us, ==, 23 * HOUR_US);
	g_assert_cmpint(days[2].end_us - days[2].start_us, ==, 24 * HOUR_US);
	g_assert_cmpint(days[0].sitting_us, ==, HOUR_US);
	g_assert_cmpint(days[1].sitting_us, ==, 22 * HOUR_US + 30 * MIN_US);
	g_assert_cmpint(days[0].longest_us, ==, 23 * HOUR_US + 30 * MIN_US);
	g_assert_cmpint(days[2].sitting_us, ==, 0);

	g_clear_pointer(&days, g_free);
	days = compute(events, G_N_ELEMENTS(events), tz, 2026, 10, 24, 3);
	g_assert_cmpint(days[1].end_us - days[1].start_us, ==, 25 * HOUR_US);
	g_assert_cmpint(days[0].sitting_us, ==, HOUR_US);
	g_assert_cmpint(days[1].sitting_us, ==, 25 * HOUR_US);
	g_assert_cmpint(days[2].sitting_us, ==, HOUR_US);
	g_assert_cmpuint(days[0].bouts, ==, 1);
	g_assert_cmpint(days[0].longest_us, ==, 27 * HOUR_US);
}

static void
test_midnight_skipped(void)
{
	/* Brazil's DST began at midnight: 2018-11-04 began at 01:00 */
	g_autoptr(GTimeZone) tz = zone("America/Sao_Paulo");
	g_autofree GbStatsDay *days = NULL;

	if (tz == NULL)
		return;
	days = compute(NULL, 0, tz, 2018, 11, 4, 1);
	g_assert_cmpint(days[0].start_us, ==, t("2018-11-04T01:00:00-02:00"));
	g_assert_cmpint(days[0].end_us - days[0].start_us, ==, 23 * HOUR_US);
}

static void
test_answers(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	const GbEvent events[] = {
		{ .kind = GB_EVENT_REMINDER, .time_us = t("2026-12-03T10:00:00+01:00"),
		  .exercise = "pigeon", .category = "release", .sitting_us = 45 * MIN_US },
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T10:01:00+01:00"),
		  .reply = GB_REPLY_SNOOZE, .exercise = "pigeon" },
		{ .kind = GB_EVENT_REMINDER, .time_us = t("2026-12-03T10:11:00+01:00"),
		  .exercise = "pigeon", .category = "release", .sitting_us = 56 * MIN_US },
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T10:12:00+01:00"),
		  .reply = GB_REPLY_DONE, .exercise = "pigeon" },
		/* the answer names its category */
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T11:00:00+01:00"),
		  .reply = GB_REPLY_DONE, .exercise = "walk", .category = "move" },
		/* not the exercise of the last reminder: no category */
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T12:00:00+01:00"),
		  .reply = GB_REPLY_DONE, .exercise = "bridge" },
		/* a category this version does not know */
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T12:00:00+01:00"),
		  .reply = GB_REPLY_DONE, .exercise = "x", .category = "breathe" },
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T13:00:00+01:00"),
		  .reply = GB_REPLY_SKIP },
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T14:00:00+01:00"),
		  .reply = GB_REPLY_IGNORED },
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T15:00:00+01:00"),
		  .reply = GB_REPLY_WITHDRAWN },
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-03T16:00:00+01:00"),
		  .reply = GB_REPLY_WITHDRAWN },
		/* another day, and out of the range */
		{ .kind = GB_EVENT_ANSWER, .time_us = t("2026-12-04T00:00:00+01:00"),
		  .reply = GB_REPLY_DONE, .exercise = "walk", .category = "move" },
		{ .kind = GB_EVENT_REMINDER, .time_us = t("2026-12-05T00:00:00+01:00") },
	};
	g_autofree GbStatsDay *days = NULL;

	if (tz == NULL)
		return;
	days = compute(events, G_N_ELEMENTS(events), tz, 2026, 12, 3, 2);
	g_assert_cmpuint(days[0].reminders, ==, 2);
	g_assert_cmpuint(days[0].answers[GB_REPLY_DONE], ==, 4);
	g_assert_cmpuint(days[0].answers[GB_REPLY_SNOOZE], ==, 1);
	g_assert_cmpuint(days[0].answers[GB_REPLY_SKIP], ==, 1);
	g_assert_cmpuint(days[0].answers[GB_REPLY_IGNORED], ==, 1);
	g_assert_cmpuint(days[0].answers[GB_REPLY_WITHDRAWN], ==, 2);
	g_assert_cmpuint(days[0].done_release, ==, 1);
	g_assert_cmpuint(days[0].done_strengthen, ==, 0);
	g_assert_cmpuint(days[0].done_move, ==, 1);
	g_assert_cmpuint(days[1].reminders, ==, 0);
	g_assert_cmpuint(days[1].answers[GB_REPLY_DONE], ==, 1);
	g_assert_cmpuint(days[1].done_move, ==, 1);
}

static void
test_over_limit(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	const GbEvent events[] = {
		bout("2026-12-03T09:00:00+01:00", "2026-12-03T09:45:00+01:00", 45), /* at it */
		bout("2026-12-03T10:00:00+01:00", "2026-12-03T10:45:01+01:00", 45), /* over */
		bout("2026-12-03T11:00:00+01:00", "2026-12-03T11:40:00+01:00", 30), /* its own */
		bout("2026-12-03T12:00:00+01:00", "2026-12-03T14:00:00+01:00", 0),  /* unknown */
	};
	g_autofree GbStatsDay *days = NULL;

	if (tz == NULL)
		return;
	days = compute(events, G_N_ELEMENTS(events), tz, 2026, 12, 3, 1);
	g_assert_cmpuint(days[0].bouts, ==, 4);
	g_assert_cmpuint(days[0].over_limit, ==, 2);
	g_assert_cmpint(days[0].longest_us, ==, 2 * HOUR_US);
	g_assert_cmpint(days[0].sitting_us, ==, 45 * MIN_US + 45 * MIN_US + 1 * G_USEC_PER_SEC +
	                40 * MIN_US + 2 * HOUR_US);
}

static void
test_torn_line(void)
{
	static const char text[] =
		"# glutebreak history 1\n"
		"2026-12-03T10:00:00+01:00 bout-end start=2026-12-03T09:00:00+01:00 length=1h "
		"limit=45m break=natural\n"
		"2026-12-03T10:00:00+01:00 bout-end start=2026-12-03T09:00:00+01:00 length=1h "
		"limit=45m break=natural\n"
		"2026-12-03T11:00:00+01:00 bout-end start=2026-12-03T08:00:00+01:00 len";
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	g_autoptr(GbHistoryLog) log = gb_history_parse(text, sizeof(text) - 1, "history");
	g_autofree GbStatsDay *days = NULL;
	const GbEvent *events;
	gsize n_events;

	if (tz == NULL)
		return;
	g_assert_cmpstr(gb_history_log_get_warnings(log)[0], ==,
	                "history:4: incomplete last line (torn by a crash or power loss?)");
	events = gb_history_log_get_events(log, &n_events);
	days = compute(events, n_events, tz, 2026, 12, 3, 1);
	g_assert_cmpuint(days[0].bouts, ==, 2);
	g_assert_cmpint(days[0].sitting_us, ==, 2 * HOUR_US);
}

typedef struct {
	GString *text;
	GTimeZone *tz;
} Writer;

static void
on_event(const GbEvent *event, gpointer user_data)
{
	Writer *writer = user_data;
	g_autofree char *line = gb_history_format_event(event, writer->tz);

	g_string_append(writer->text, line);
	g_string_append_c(writer->text, '\n');
}

static gboolean
is_workday(const GDate *date)
{
	return g_date_get_weekday(date) <= G_DATE_FRIDAY;
}

static void
test_ten_years(void)
{
	const guint n_days = 3653;
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	g_autoptr(GString) text = g_string_new("# glutebreak history 1\n");
	g_autoptr(GbHistoryLog) log = NULL;
	g_autofree GbStatsDay *days = NULL;
	Writer writer = { text, tz };
	const GbEvent *events;
	gsize n_events;
	guint generated, workdays = 0;
	gint64 sitting = 0;
	GDate first;

	if (tz == NULL)
		return;
	set_date(&first, 2017, 1, 2); /* a Monday; 2017 to 2026 have 20 DST changes */
	generated = gb_test_generate_history(tz, &first, n_days, on_event, &writer);
	log = gb_history_parse(text->str, text->len, "history");
	g_assert_null(gb_history_log_get_warnings(log)[0]);
	events = gb_history_log_get_events(log, &n_events);
	g_assert_cmpuint(n_events, ==, generated);
	g_assert_cmpuint(n_events, >, 100000);
	days = gb_stats_compute(events, n_events, tz, &first, n_days);

	for (guint i = 0; i < n_days; i++) {
		const GbStatsDay *day = &days[i];
		gboolean own = is_workday(&day->date);
		gboolean carry = i > 0 && is_workday(&days[i - 1].date);
		gint64 day_length = day->end_us - day->start_us;

		g_assert_true(day_length == 23 * HOUR_US || day_length == 24 * HOUR_US ||
		              day_length == 25 * HOUR_US);
		g_assert_cmpint(day->sitting_us, ==,
		                (own ? GB_GEN_SITTING_MIN : 0) * MIN_US +
		                (carry ? GB_GEN_CARRY_SITTING_MIN : 0) * MIN_US);
		g_assert_cmpuint(day->bouts, ==, own ? GB_GEN_BOUTS : 0);
		g_assert_cmpint(day->longest_us, ==, own ? GB_GEN_LONGEST_MIN * MIN_US : 0);
		g_assert_cmpuint(day->over_limit, ==, own ? GB_GEN_OVER_LIMIT : 0);
		g_assert_cmpuint(day->reminders, ==, (own ? GB_GEN_REMINDERS : 0) + carry);
		g_assert_cmpuint(day->answers[GB_REPLY_DONE], ==, own ? GB_GEN_DONE : 0);
		g_assert_cmpuint(day->answers[GB_REPLY_SNOOZE], ==, own ? GB_GEN_SNOOZE : 0);
		g_assert_cmpuint(day->answers[GB_REPLY_SKIP], ==, own ? GB_GEN_SKIP : 0);
		g_assert_cmpuint(day->answers[GB_REPLY_IGNORED], ==, own ? GB_GEN_IGNORED : 0);
		g_assert_cmpuint(day->answers[GB_REPLY_WITHDRAWN], ==,
		                 (own ? GB_GEN_WITHDRAWN : 0) + carry);
		g_assert_cmpuint(day->done_release, ==, own);
		g_assert_cmpuint(day->done_strengthen, ==, own);
		g_assert_cmpuint(day->done_move, ==, own);
		workdays += own;
		sitting += day->sitting_us;
	}
	g_assert_cmpuint(generated, ==, workdays * GB_GEN_EVENTS);
	/* all of every bout but the last day's last one, whose end is out of the range */
	g_assert_cmpint(sitting, ==, (gint64) workdays * (GB_GEN_SITTING_MIN +
	                GB_GEN_CARRY_SITTING_MIN) * MIN_US -
	                (is_workday(&days[n_days - 1].date) ? GB_GEN_CARRY_SITTING_MIN * MIN_US : 0));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/stats/empty", test_empty);
	g_test_add_func("/stats/first-day", test_first_day);
	g_test_add_func("/stats/across-midnight", test_across_midnight);
	g_test_add_func("/stats/dst", test_dst);
	g_test_add_func("/stats/midnight-skipped", test_midnight_skipped);
	g_test_add_func("/stats/answers", test_answers);
	g_test_add_func("/stats/over-limit", test_over_limit);
	g_test_add_func("/stats/torn-line", test_torn_line);
	g_test_add_func("/stats/ten-years", test_ten_years);
	return g_test_run();
}

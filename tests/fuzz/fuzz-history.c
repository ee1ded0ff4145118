/* SPDX-License-Identifier: MIT */
/* The history file: gb_history_parse() on any bytes, then stats and the reports over
 * whatever it understood. What it accepts writes back to a line that reads the same. */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "history.h"
#include "report.h"
#include "stats.h"

static GTimeZone *zone; /* libFuzzer gives no context pointer: one zone for the process */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seed = g_getenv("GB_FUZZ_HISTORY_SEED");

	gb_fuzz_init();
	/* a zone with DST, so that days of 23 and 25 hours come up */
	zone = g_time_zone_new_identifier("Europe/Berlin");
	if (zone == NULL)
		zone = g_time_zone_new_utc();
	/* tests/fuzz/run asks for a seed written by the daemon's own writer, so the seed never
	 * falls behind the format: every kind of event once */
	if (seed != NULL) {
		const gint64 t = (gint64) 1796285642 * G_USEC_PER_SEC;
		const GbEvent events[] = {
			{ .kind = GB_EVENT_DAEMON_START, .time_us = t },
			{ .kind = GB_EVENT_BOUT_START, .time_us = t },
			{ .kind = GB_EVENT_REMINDER, .time_us = t + 2828000000, .exercise = "bridge",
			  .category = "strengthen", .sitting_us = 2828000000, .level = 2 },
			{ .kind = GB_EVENT_ANSWER, .time_us = t + 2848000000, .reply = GB_REPLY_DONE,
			  .exercise = "bridge", .category = "strengthen" },
			{ .kind = GB_EVENT_BOUT_END, .time_us = t + 2848000000, .start_us = t,
			  .length_us = 2848000000, .limit_us = 2700000000, .break_kind = "done" },
			{ .kind = GB_EVENT_PAUSE, .time_us = t + 4000000000,
			  .until_us = t + 7600000000 },
			{ .kind = GB_EVENT_RESUME, .time_us = t + 5000000000 },
			{ .kind = GB_EVENT_HOLD_START, .time_us = t + 6000000000,
			  .reason = "do-not-disturb" },
			{ .kind = GB_EVENT_HOLD_END, .time_us = t + 6100000000,
			  .reason = "do-not-disturb" },
			{ .kind = GB_EVENT_DAEMON_STOP, .time_us = t + 9000000000 },
		};
		g_autoptr(GbHistory) history = gb_history_new(seed);

		for (gsize i = 0; i < G_N_ELEMENTS(events); i++) {
			if (!gb_history_append(history, &events[i]))
				exit(1);
		}
		exit(0);
	}
	return 0;
}

static void
check_warnings(const char *const *warnings)
{
	for (gsize i = 0; warnings[i] != NULL; i++) {
		/* the last may be "history: N more lines skipped" */
		if (warnings[i + 1] == NULL && i == 100) {
			gb_fuzz_check(g_str_has_prefix(warnings[i], "history: ") &&
			              g_str_has_suffix(warnings[i], " more lines skipped"),
			              warnings[i]);
			continue;
		}
		gb_fuzz_check_located(warnings[i], "history");
	}
}

static gboolean
same_string(const char *a, const char *b)
{
	/* the writer replaces what is not printable ASCII */
	if (a != NULL && !g_str_is_ascii(a))
		return TRUE;
	return g_strcmp0(a, b) == 0;
}

/* @event written back reads as the same event */
static void
check_round_trip(const GbEvent *event)
{
	g_autofree char *formatted = gb_history_format_event(event, NULL);
	g_autofree char *line = g_strconcat(formatted, "\n", NULL);
	g_autoptr(GbHistoryLog) again = gb_history_parse(line, strlen(line), "again");
	const GbEvent *copy;
	gsize n;

	gb_fuzz_check(gb_history_log_get_warnings(again)[0] == NULL, line);
	copy = gb_history_log_get_events(again, &n);
	gb_fuzz_check(n == 1, line);
	gb_fuzz_check(copy->kind == event->kind && copy->time_us == event->time_us &&
	              copy->utc_offset_s == event->utc_offset_s, line);
	gb_fuzz_check(copy->start_us == event->start_us && copy->length_us == event->length_us &&
	              copy->limit_us == event->limit_us && copy->sitting_us == event->sitting_us &&
	              copy->level == event->level && copy->reply == event->reply &&
	              copy->until_us == event->until_us, line);
	gb_fuzz_check(same_string(event->break_kind, copy->break_kind) &&
	              same_string(event->exercise, copy->exercise) &&
	              same_string(event->category, copy->category) &&
	              same_string(event->reason, copy->reason), line);
}

static void
check_stats(const GbEvent *events, gsize n_events)
{
	g_autoptr(GDateTime) utc = NULL;
	g_autofree GbStatsDay *days = NULL;
	g_autofree char *text = NULL;
	g_autofree char *json = NULL;
	const guint n_days = 3;
	GDate first;

	/* the day before the first event's, and the two after it */
	utc = g_date_time_new_from_unix_utc(n_events > 0 ? events[0].time_us / G_USEC_PER_SEC : 0);
	g_date_clear(&first, 1);
	g_date_set_dmy(&first, (GDateDay) g_date_time_get_day_of_month(utc),
	               (GDateMonth) g_date_time_get_month(utc),
	               (GDateYear) CLAMP(g_date_time_get_year(utc), 2, 9990));
	g_date_subtract_days(&first, 1);
	days = gb_stats_compute(events, n_events, zone, &first, n_days);
	for (guint i = 0; i < n_days; i++) {
		const GbStatsDay *day = &days[i];
		gint64 length = day->end_us - day->start_us;

		gb_fuzz_check(length >= (gint64) 22 * 3600 * G_USEC_PER_SEC &&
		              length <= (gint64) 26 * 3600 * G_USEC_PER_SEC, "day length");
		gb_fuzz_check(day->sitting_us >= 0 && day->longest_us >= 0, "negative time");
		gb_fuzz_check(day->over_limit <= day->bouts, "over_limit > bouts");
		gb_fuzz_check(day->done_release + day->done_strengthen + day->done_move <=
		              day->answers[GB_REPLY_DONE], "more exercises than Done");
	}
	text = gb_report_stats(days, n_days, GB_REPORT_CHART_UTF8);
	gb_fuzz_check(g_utf8_validate(text, -1, NULL), "stats not UTF-8");
	json = gb_report_history(events, n_events, GB_REPORT_JSON);
	gb_fuzz_check(g_utf8_validate(json, -1, NULL), "history JSON not UTF-8");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GbHistoryLog) log = gb_history_parse((const char *) data, size, "history");
	const GbEvent *events;
	gsize n_events;

	check_warnings(gb_history_log_get_warnings(log));
	events = gb_history_log_get_events(log, &n_events);
	for (gsize i = 0; i < n_events; i++) {
		gb_fuzz_check((guint) events[i].kind <= GB_EVENT_HOLD_END, "kind");
		gb_fuzz_check((guint) events[i].reply < GB_REPLY_COUNT, "reply");
		gb_fuzz_check(events[i].line != NULL && g_utf8_validate(events[i].line, -1, NULL),
		              "line");
		check_round_trip(&events[i]);
	}
	check_stats(events, n_events);
	return 0;
}

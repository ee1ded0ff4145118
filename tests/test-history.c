/* SPDX-License-Identifier: MIT */
/* The history file: writer and reader. Local time is Europe/Berlin here (set in main()). */
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "history.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)
/* 2026-12-03T09:14:02+01:00 */
#define T0 ((gint64) 1796285642 * G_USEC_PER_SEC)

static gboolean
have_berlin(void)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/Berlin");

	if (tz == NULL) {
		g_test_skip("no tzdata for Europe/Berlin");
		return FALSE;
	}
	return TRUE;
}

/* the example of docs/HISTORY.md, as events and as lines */
static const GbEvent sample_events[] = {
	{ .kind = GB_EVENT_DAEMON_START, .time_us = T0 },
	{ .kind = GB_EVENT_BOUT_START, .time_us = T0 },
	{ .kind = GB_EVENT_REMINDER, .time_us = T0 + 47 * MIN_US + 8 * G_USEC_PER_SEC,
	  .exercise = "glute-bridge", .category = "strengthen",
	  .sitting_us = 47 * MIN_US + 8 * G_USEC_PER_SEC },
	{ .kind = GB_EVENT_ANSWER, .time_us = T0 + 47 * MIN_US + 28 * G_USEC_PER_SEC,
	  .reply = GB_REPLY_DONE, .exercise = "glute-bridge" },
	{ .kind = GB_EVENT_BOUT_END, .time_us = T0 + 47 * MIN_US + 28 * G_USEC_PER_SEC,
	  .start_us = T0, .length_us = 47 * MIN_US + 28 * G_USEC_PER_SEC, .limit_us = 45 * MIN_US,
	  .break_kind = "done" },
	{ .kind = GB_EVENT_REMINDER, .time_us = T0 + 100 * MIN_US, .exercise = "clamshell",
	  .category = "strengthen", .sitting_us = 26 * 60 * MIN_US, .level = 3 },
	{ .kind = GB_EVENT_PAUSE, .time_us = T0 + 120 * MIN_US, .until_us = T0 + 180 * MIN_US },
	{ .kind = GB_EVENT_RESUME, .time_us = T0 + 150 * MIN_US },
	{ .kind = GB_EVENT_HOLD_START, .time_us = T0 + 160 * MIN_US, .reason = "do-not-disturb" },
	{ .kind = GB_EVENT_HOLD_END, .time_us = T0 + 165 * MIN_US, .reason = "do-not-disturb" },
	{ .kind = GB_EVENT_ANSWER, .time_us = T0 + 170 * MIN_US, .reply = GB_REPLY_WITHDRAWN },
	{ .kind = GB_EVENT_DAEMON_STOP, .time_us = T0 + 180 * MIN_US },
};

static const char *const sample_lines[] = {
	"2026-12-03T09:14:02+01:00 daemon-start",
	"2026-12-03T09:14:02+01:00 bout-start",
	"2026-12-03T10:01:10+01:00 reminder exercise=glute-bridge category=strengthen "
	"sitting=47m8s",
	"2026-12-03T10:01:30+01:00 answer done exercise=glute-bridge",
	"2026-12-03T10:01:30+01:00 bout-end start=2026-12-03T09:14:02+01:00 length=47m28s "
	"limit=45m break=done",
	"2026-12-03T10:54:02+01:00 reminder exercise=clamshell category=strengthen sitting=26h "
	"level=3",
	"2026-12-03T11:14:02+01:00 pause until=2026-12-03T12:14:02+01:00",
	"2026-12-03T11:44:02+01:00 resume",
	"2026-12-03T11:54:02+01:00 hold-start reason=do-not-disturb",
	"2026-12-03T11:59:02+01:00 hold-end reason=do-not-disturb",
	"2026-12-03T12:04:02+01:00 answer withdrawn",
	"2026-12-03T12:14:02+01:00 daemon-stop",
};

static void
assert_same_event(const GbEvent *a, const GbEvent *b)
{
	g_assert_cmpint(a->kind, ==, b->kind);
	g_assert_cmpint(a->time_us, ==, b->time_us);
	g_assert_cmpint(a->start_us, ==, b->start_us);
	g_assert_cmpint(a->length_us, ==, b->length_us);
	g_assert_cmpint(a->limit_us, ==, b->limit_us);
	g_assert_cmpstr(a->break_kind, ==, b->break_kind);
	g_assert_cmpstr(a->exercise, ==, b->exercise);
	g_assert_cmpstr(a->category, ==, b->category);
	g_assert_cmpint(a->sitting_us, ==, b->sitting_us);
	g_assert_cmpint(a->level, ==, b->level);
	g_assert_cmpint(a->reply, ==, b->reply);
	g_assert_cmpint(a->until_us, ==, b->until_us);
	g_assert_cmpstr(a->reason, ==, b->reason);
}

static char *
read_text(const char *path)
{
	char *text = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

static void
test_format(void)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/Berlin");

	if (!have_berlin())
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(sample_events); i++) {
		g_autofree char *line = gb_history_format_event(&sample_events[i], tz);

		g_assert_cmpstr(line, ==, sample_lines[i]);
	}
}

static void
test_round_trip(void)
{
	g_autofree char *path = gb_history_default_path();
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GbHistory) history = gb_history_new(NULL);
	g_autoptr(GbHistoryLog) log = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GString) expected = g_string_new("# glutebreak history 1\n");
	const GbEvent *events;
	gsize n_events;
	GStatBuf st;

	if (!have_berlin())
		return;
	/* the directory does not exist yet: it is created, private */
	g_assert_cmpstr(gb_history_get_path(history), ==, path);
	g_assert_true(g_str_has_prefix(path, g_get_user_state_dir()));
	g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
	for (gsize i = 0; i < G_N_ELEMENTS(sample_events); i++) {
		g_assert_true(gb_history_append(history, &sample_events[i]));
		g_string_append_printf(expected, "%s\n", sample_lines[i]);
	}
	g_assert_cmpint(g_stat(dir, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	/* the header once, then a line per event */
	text = read_text(path);
	g_assert_cmpstr(text, ==, expected->str);

	log = gb_history_read(path, &error);
	g_assert_no_error(error);
	g_assert_null(gb_history_log_get_warnings(log)[0]);
	events = gb_history_log_get_events(log, &n_events);
	g_assert_cmpuint(n_events, ==, G_N_ELEMENTS(sample_events));
	for (gsize i = 0; i < n_events; i++) {
		assert_same_event(&events[i], &sample_events[i]);
		g_assert_cmpint(events[i].utc_offset_s, ==, 3600);
		g_assert_cmpstr(events[i].line, ==, sample_lines[i]);
	}
}

static void
test_missing_file(void)
{
	g_autoptr(GbHistoryLog) log = NULL;
	g_autoptr(GError) error = NULL;
	gsize n_events = 1;

	log = gb_history_read("/nonexistent/glutebreak/history", &error);
	g_assert_no_error(error);
	g_assert_nonnull(log);
	gb_history_log_get_events(log, &n_events);
	g_assert_cmpuint(n_events, ==, 0);
	g_assert_null(gb_history_log_get_warnings(log)[0]);

	/* a directory cannot be read: the one error */
	g_clear_pointer(&log, gb_history_log_free);
	g_assert_cmpint(g_mkdir_with_parents(g_get_user_state_dir(), 0700), ==, 0);
	log = gb_history_read(g_get_user_state_dir(), &error);
	g_assert_null(log);
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
}

static void
test_torn_last_line(void)
{
	g_autofree char *path = g_build_filename(g_get_user_state_dir(), "history", NULL);
	g_autoptr(GbHistory) history = gb_history_new(path);
	g_autoptr(GbHistoryLog) log = NULL;
	g_autofree char *text = NULL;
	const char *const *warnings;
	const GbEvent *events;
	gsize n_events;

	if (!have_berlin())
		return;
	/* power lost in the middle of a write */
	g_assert_cmpint(g_mkdir_with_parents(g_get_user_state_dir(), 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, "# glutebreak history 1\n"
	                                  "2026-12-03T09:14:02+01:00 bout-start\n"
	                                  "2026-12-03T10:01:10+01:00 remin", -1, NULL));
	log = gb_history_read(path, NULL);
	events = gb_history_log_get_events(log, &n_events);
	g_assert_cmpuint(n_events, ==, 1);
	g_assert_cmpint(events[0].kind, ==, GB_EVENT_BOUT_START);
	warnings = gb_history_log_get_warnings(log);
	g_assert_nonnull(warnings[0]);
	g_assert_true(g_str_has_prefix(warnings[0], path));
	g_assert_true(g_str_has_suffix(warnings[0],
	                               ":3: incomplete last line (torn by a crash or power "
	                               "loss?)"));
	g_assert_null(warnings[1]);

	/* the next event gets a line of its own, and the torn one stays a bad line */
	g_assert_true(gb_history_append(history, &sample_events[0]));
	text = read_text(path);
	g_assert_cmpstr(text, ==, "# glutebreak history 1\n"
	                "2026-12-03T09:14:02+01:00 bout-start\n"
	                "2026-12-03T10:01:10+01:00 remin\n"
	                "2026-12-03T09:14:02+01:00 daemon-start\n");
	g_clear_pointer(&log, gb_history_log_free);
	log = gb_history_read(path, NULL);
	events = gb_history_log_get_events(log, &n_events);
	g_assert_cmpuint(n_events, ==, 2);
	g_assert_cmpint(events[1].kind, ==, GB_EVENT_DAEMON_START);
	warnings = gb_history_log_get_warnings(log);
	g_assert_true(g_str_has_suffix(warnings[0],
	                               ":3: unknown event 'remin' (written by a newer version?)"));
	g_assert_null(warnings[1]);
}

static void
test_unwritable_warns_once(void)
{
	/* a file where the directory should be */
	g_autofree char *blocker = g_build_filename(g_get_user_state_dir(), "blocker", NULL);
	g_autofree char *path = g_build_filename(blocker, "history", NULL);
	g_autoptr(GbHistory) history = gb_history_new(path);
	g_autofree char *text = NULL;

	g_assert_cmpint(g_mkdir_with_parents(g_get_user_state_dir(), 0700), ==, 0);
	g_assert_true(g_file_set_contents(blocker, "", -1, NULL));
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
	                      "cannot write the history (events are lost until it works "
	                      "again): *blocker*");
	g_assert_false(gb_history_append(history, &sample_events[0]));
	g_test_assert_expected_messages();
	/* the same failure again: no second warning (fatal-warnings would abort here) */
	g_assert_false(gb_history_append(history, &sample_events[1]));
	g_assert_false(gb_history_append(history, &sample_events[2]));
	/* fixed: written, said so, and the next failure is news again */
	g_assert_cmpint(g_remove(blocker), ==, 0);
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "the history is written again: *");
	g_assert_true(gb_history_append(history, &sample_events[3]));
	g_test_assert_expected_messages();
	text = read_text(path);
	g_assert_true(g_str_has_prefix(text, "# glutebreak history 1\n"));
	g_assert_cmpint(g_remove(path), ==, 0);
	g_assert_cmpint(g_rmdir(blocker), ==, 0);
	g_assert_true(g_file_set_contents(blocker, "", -1, NULL));
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "cannot write the history *");
	g_assert_false(gb_history_append(history, &sample_events[0]));
	g_test_assert_expected_messages();
}

static void
test_words_sanitized(void)
{
	const GbEvent event = { .kind = GB_EVENT_ANSWER, .time_us = 0, .reply = GB_REPLY_SKIP,
	                        .exercise = "two words\n", .category = "" };
	g_autofree char *line = gb_history_format_event(&event, NULL);

	/* with no zone: at the event's own offset (0 here) */
	g_assert_cmpstr(line, ==, "1970-01-01T00:00:00+00:00 answer skip exercise=two_words_");
}

static void
test_times(void)
{
	static const struct {
		const char *text;
		gint64 s;
		int offset;
	} good[] = {
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "1970-01-01T01:00:00+01:00", 0, 3600 },
		{ "1969-12-31T19:00:00-05:00", 0, -18000 },
		/* the hour that comes twice when DST ends: the offset tells which */
		{ "2026-10-25T02:30:00+02:00", 1792888200, 7200 },
		{ "2026-10-25T02:30:00+01:00", 1792891800, 3600 },
		{ "2028-02-29T12:00:00+05:30", 1835418600, 19800 },
		{ "9999-12-30T00:00:00+00:00", 253402128000, 0 },
	};
	static const char *const bad[] = {
		"", "2026-12-03", "2026-12-03T09:14:02", "2026-12-03T09:14:02+0100",
		"2026-12-03 09:14:02+01:00", "2026-12-03T09:14:02+01:00 ", "2026-13-03T09:14:02Z",
		"2026-12-32T09:14:02Z", "2026-02-29T09:14:02Z", "2026-04-31T09:14:02Z",
		"2026-12-03T24:00:00Z", "2026-12-03T09:60:02Z", "2026-12-03T09:14:60Z",
		"2026-12-03T09:14:02+24:00", "2026-12-03T09:14:02+01:60", "+026-12-03T09:14:02Z",
		"2026-12-03t09:14:02Z", "0000-12-03T09:14:02Z", "0001-01-01T00:00:00Z",
		"9999-12-31T00:00:00Z", "2026-1２-03T09:14:02Z",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		gint64 us = -1;
		int offset = -1;
		char again[32];

		g_assert_true(gb_history_parse_time(good[i].text, &us, &offset));
		g_assert_cmpint(us, ==, good[i].s * G_USEC_PER_SEC);
		g_assert_cmpint(offset, ==, good[i].offset);
		gb_history_format_time(us + 999999, offset, again);
		if (g_str_has_suffix(good[i].text, "Z"))
			g_assert_true(g_str_has_suffix(again, "+00:00"));
		else
			g_assert_cmpstr(again, ==, good[i].text);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		gint64 us = -1;

		g_assert_false(gb_history_parse_time(bad[i], &us, NULL));
		g_assert_cmpint(us, ==, -1);
	}
}

/* each bad line, and the warning it gives */
static const char malformed[] =
	"# glutebreak history 1\n"
	"# a comment, then an empty line, then one with spaces and a CR\n"
	"\n"
	"   \r\n"
	"2026-12-03T09:14:02+01:00 daemon-start\n"                              /* 5: ok */
	"2026-12-03T09:14:02+01:00 levitation height=3m\n"
	"yesterday bout-start\n"
	"2026-12-03T09:14:02+01:00\n"
	"2026-12-03T10:01:10+01:00 reminder exercise=glute-bridge sitting=47\n"
	"2026-12-03T10:01:10+01:00 reminder exercise=glute-bridge\n"          /* 10 */
	"2026-12-03T10:01:30+01:00 answer maybe exercise=glute-bridge\n"
	"2026-12-03T10:01:30+01:00 answer exercise=glute-bridge\n"
	"2026-12-03T10:01:30+01:00 bout-end start=2026-12-03T09:14:02+01:00 length=47m28s\n"
	"2026-12-03T10:01:30+01:00 bout-end start=09:14 length=47m28s limit=45m\n"
	"2026-12-03T10:01:30+01:00 bout-end start=2026-12-03T09:14:02+01:00 length=1s2h "
	"limit=45m\n"                                                            /* 15 */
	"2026-12-03T12:00:00+01:00 pause until\n"
	"2026-12-03T12:00:00+01:00 pause =2026-12-03T13:00:00+01:00\n"
	"2026-12-03T12:00:00+01:00 hold-start reason=dnd\x1b[31m\n"
	"2026-12-03T12:00:00+01:00 hold-start reason=caf\xe9\n"
	"2026-12-03T12:00:00+01:00 hold-st\0rt\n"                               /* 20 */
	"2026-12-03T10:01:10+01:00 reminder exercise=glute-bridge sitting=47m level=0\n"
	/* good ones: unknown keys ignored, empty values are none, a bout longer than a day,
	 * a newer format's header, tabs, a CRLF */
	"2026-12-03T10:01:10+01:00 reminder exercise= sitting=1m mood=good\n"
	"# glutebreak history 2\n"
	"2026-12-05T10:00:00Z\tbout-end  start=2026-12-03T09:00:00+01:00 length=49h limit=45m\r\n"
	"# glutebreak history 3\n"                                              /* 25 */
	"2026-12-03T10:01:10+01:00 reminder sitting=4444444444444444444444444444444444444444"
	"44444m\n";

static const char *const malformed_warnings[] = {
	"history:6: unknown event 'levitation' (written by a newer version?)",
	"history:7: invalid time: 'yesterday'",
	"history:8: no event after the time",
	"history:9: invalid sitting: '47'",
	"history:10: reminder without sitting=",
	"history:11: unknown answer 'maybe' (written by a newer version?)",
	"history:12: answer without its word (done, snooze, skip, ignored or withdrawn)",
	"history:13: bout-end without limit=",
	"history:14: invalid start: '09:14'",
	"history:15: invalid length: '1s2h'",
	"history:16: 'until' is not key=value",
	"history:17: '=2026-12-03T13:00:00+01:00' is not key=value",
	"history:18: control characters in the line",
	"history:19: not UTF-8 text",
	"history:20: NUL bytes in the line (torn by a crash or power loss?)",
	"history:21: invalid level: '0'",
	"history:23: format 2 is newer than this version reads (1): reading the events it knows",
	"history:26: invalid sitting: '4444444444444444444444444444444444444444...'",
	NULL
};

static void
test_malformed(void)
{
	g_autoptr(GbHistoryLog) log = gb_history_parse(malformed, sizeof(malformed) - 1,
	                                                "history");
	const char *const *warnings = gb_history_log_get_warnings(log);
	const GbEvent *events;
	gsize n_events;

	for (gsize i = 0; malformed_warnings[i] != NULL; i++)
		g_assert_cmpstr(warnings[i], ==, malformed_warnings[i]);
	g_assert_cmpuint(g_strv_length((char **) warnings), ==,
	                 g_strv_length((char **) malformed_warnings));
	events = gb_history_log_get_events(log, &n_events);
	g_assert_cmpuint(n_events, ==, 3);
	g_assert_cmpint(events[0].kind, ==, GB_EVENT_DAEMON_START);
	g_assert_cmpint(events[1].kind, ==, GB_EVENT_REMINDER);
	g_assert_null(events[1].exercise);
	g_assert_cmpint(events[1].sitting_us, ==, MIN_US);
	g_assert_cmpint(events[2].kind, ==, GB_EVENT_BOUT_END);
	g_assert_cmpint(events[2].length_us, ==, 49 * 60 * MIN_US);
	g_assert_cmpint(events[2].utc_offset_s, ==, 0);
	g_assert_cmpstr(events[2].line, ==, "2026-12-05T10:00:00Z\tbout-end  "
	                "start=2026-12-03T09:00:00+01:00 length=49h limit=45m");
}

static void
test_many_warnings(void)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GbHistoryLog) log = NULL;
	const char *const *warnings;

	for (int i = 0; i < 250; i++)
		g_string_append(text, "garbage\n");
	log = gb_history_parse(text->str, text->len, "h");
	warnings = gb_history_log_get_warnings(log);
	g_assert_cmpuint(g_strv_length((char **) warnings), ==, 101);
	g_assert_cmpstr(warnings[99], ==, "h:100: invalid time: 'garbage'");
	g_assert_cmpstr(warnings[100], ==, "h: 150 more lines skipped");
}

int
main(int argc, char **argv)
{
	/* local time for the writer: GLib reads TZ */
	g_setenv("TZ", "Europe/Berlin", TRUE);
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/history/format", test_format);
	g_test_add_func("/history/round-trip", test_round_trip);
	g_test_add_func("/history/missing-file", test_missing_file);
	g_test_add_func("/history/torn-last-line", test_torn_last_line);
	g_test_add_func("/history/unwritable-warns-once", test_unwritable_warns_once);
	g_test_add_func("/history/words-sanitized", test_words_sanitized);
	g_test_add_func("/history/times", test_times);
	g_test_add_func("/history/malformed", test_malformed);
	g_test_add_func("/history/many-warnings", test_many_warnings);
	return g_test_run();
}

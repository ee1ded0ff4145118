/* SPDX-License-Identifier: MIT */
/* glutebreakctl stats and history: the output formats (pure), and the commands themselves,
 * run in a subprocess each for their exit status, stdout and stderr. */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ctl-report.h"
#include "history.h"
#include "json.h"
#include "report.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)

static void
two_days(GbStatsDay days[2])
{
	memset(days, 0, 2 * sizeof(GbStatsDay));
	g_date_clear(&days[0].date, 2);
	g_date_set_dmy(&days[0].date, 3, G_DATE_DECEMBER, 2026);
	g_date_set_dmy(&days[1].date, 4, G_DATE_DECEMBER, 2026);
	days[0].sitting_us = 4 * 60 * MIN_US + 30 * MIN_US;
	days[0].bouts = 5;
	days[0].longest_us = 90 * MIN_US + 20 * G_USEC_PER_SEC;
	days[0].over_limit = 2;
	days[0].reminders = 4;
	days[0].answers[GB_REPLY_DONE] = 2;
	days[0].answers[GB_REPLY_SNOOZE] = 1;
	days[0].answers[GB_REPLY_WITHDRAWN] = 1;
	days[0].done_release = 1;
	days[0].done_move = 1;
}

static const char stats_table[] =
	"Sitting\n"
	"day                sitting  bouts     longest  over limit\n"
	"Thu 2026-12-03  4 h 30 min      5  1 h 30 min           2\n"
	"Fri 2026-12-04       0 min      0           -           0\n"
	"total           4 h 30 min      5  1 h 30 min           2\n"
	"\n"
	"Reminders, their answers and exercises done\n"
	"day             reminders  done  snooze  skip  ignored  withdrawn  release  strengthen"
	"  move\n"
	"Thu 2026-12-03          4     2       1     0        0          1        1           0"
	"     1\n"
	"Fri 2026-12-04          0     0       0     0        0          0        0           0"
	"     0\n"
	"total                   4     2       1     0        0          1        1           0"
	"     1\n";

static void
test_stats_text(void)
{
	GbStatsDay days[2];
	g_autofree char *text = NULL;
	g_autofree char *utf8 = NULL;
	g_autofree char *ascii = NULL;

	two_days(days);
	text = gb_report_stats(days, 2, GB_REPORT_TEXT);
	g_assert_cmpstr(text, ==, stats_table);

	/* full width is 5 h: 27 cells of sitting, the first 9 the longest bout */
	utf8 = gb_report_stats(days, 2, GB_REPORT_CHART_UTF8);
	g_assert_nonnull(strstr(utf8, "Thu 2026-12-03  4 h 30 min      5  1 h 30 min           2"
	                        "  █████████▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒\n"));
	g_assert_nonnull(strstr(utf8, "Fri 2026-12-04       0 min      0           -           0"
	                        "\n"));
	g_assert_nonnull(strstr(utf8, "(chart: █ longest bout, ▒ other sitting; full width "
	                        "5 h)\n"));
	ascii = gb_report_stats(days, 2, GB_REPORT_CHART_ASCII);
	g_assert_nonnull(strstr(ascii, "  #########==================\n"));
	g_assert_true(g_str_is_ascii(ascii));
}

static void
test_stats_csv_json(void)
{
	GbStatsDay days[2];
	g_autofree char *csv = NULL;
	g_autofree char *json = NULL;
	g_autofree char *empty = NULL;

	two_days(days);
	csv = gb_report_stats(days, 2, GB_REPORT_CSV);
	g_assert_cmpstr(csv, ==,
	                "date,sitting_s,bouts,longest_s,over_limit,reminders,done,snooze,skip,"
	                "ignored,withdrawn,release,strengthen,move\n"
	                "2026-12-03,16200,5,5420,2,4,2,1,0,0,1,1,0,1\n"
	                "2026-12-04,0,0,0,0,0,0,0,0,0,0,0,0,0\n");
	json = gb_report_stats(days, 2, GB_REPORT_JSON);
	g_assert_cmpstr(json, ==,
	                "[\n"
	                "{\"date\":\"2026-12-03\",\"sitting_s\":16200,\"bouts\":5,"
	                "\"longest_s\":5420,\"over_limit\":2,\"reminders\":4,\"answers\":"
	                "{\"done\":2,\"snooze\":1,\"skip\":0,\"ignored\":0,\"withdrawn\":1},"
	                "\"exercises_done\":{\"release\":1,\"strengthen\":0,\"move\":1}},\n"
	                "{\"date\":\"2026-12-04\",\"sitting_s\":0,\"bouts\":0,"
	                "\"longest_s\":0,\"over_limit\":0,\"reminders\":0,\"answers\":"
	                "{\"done\":0,\"snooze\":0,\"skip\":0,\"ignored\":0,\"withdrawn\":0},"
	                "\"exercises_done\":{\"release\":0,\"strengthen\":0,\"move\":0}}\n"
	                "]\n");
	empty = gb_report_stats(days, 0, GB_REPORT_JSON);
	g_assert_cmpstr(empty, ==, "[]\n");
}

static const char history_text[] =
	"# glutebreak history 1\n"
	"2026-12-03T10:01:10+01:00 reminder exercise=glute-bridge category=strengthen "
	"sitting=47m8s level=2\n"
	"2026-12-03T10:01:30+01:00 answer done exercise=glute,\"bridge\"\n"
	"2026-12-03T10:01:30+01:00 bout-end start=2026-12-03T09:14:02+01:00 length=47m28s "
	"limit=45m break=done\n"
	"2026-12-03T12:00:00+01:00 pause until=2026-12-03T13:00:00+01:00\n"
	"2026-12-03T14:00:00Z hold-start reason=do-not-disturb\n";

static void
test_history_formats(void)
{
	g_autoptr(GbHistoryLog) log = gb_history_parse(history_text, strlen(history_text), "h");
	g_autofree char *text = NULL;
	g_autofree char *csv = NULL;
	g_autofree char *json = NULL;
	const GbEvent *events;
	gsize n_events;

	events = gb_history_log_get_events(log, &n_events);
	g_assert_cmpuint(n_events, ==, 5);
	text = gb_report_history(events, n_events, GB_REPORT_TEXT);
	g_assert_cmpstr(text, ==, strchr(history_text, '\n') + 1);
	csv = gb_report_history(events, n_events, GB_REPORT_CSV);
	g_assert_cmpstr(csv, ==,
	                "time,event,answer,exercise,category,level,sitting_s,start,length_s,"
	                "limit_s,break,until,reason\n"
	                "2026-12-03T10:01:10+01:00,reminder,,glute-bridge,strengthen,2,2828,,,,,,"
	                "\n"
	                "2026-12-03T10:01:30+01:00,answer,done,\"glute,\"\"bridge\"\"\",,,,,,,,,\n"
	                "2026-12-03T10:01:30+01:00,bout-end,,,,,,2026-12-03T09:14:02+01:00,2848,"
	                "2700,done,,\n"
	                "2026-12-03T12:00:00+01:00,pause,,,,,,,,,,2026-12-03T13:00:00+01:00,\n"
	                "2026-12-03T14:00:00+00:00,hold-start,,,,,,,,,,,do-not-disturb\n");
	json = gb_report_history(events, n_events, GB_REPORT_JSON);
	g_assert_cmpstr(json, ==,
	                "[\n"
	                "{\"time\":\"2026-12-03T10:01:10+01:00\",\"event\":\"reminder\","
	                "\"exercise\":\"glute-bridge\",\"category\":\"strengthen\",\"level\":2,"
	                "\"sitting_s\":2828},\n"
	                "{\"time\":\"2026-12-03T10:01:30+01:00\",\"event\":\"answer\","
	                "\"answer\":\"done\",\"exercise\":\"glute,\\\"bridge\\\"\"},\n"
	                "{\"time\":\"2026-12-03T10:01:30+01:00\",\"event\":\"bout-end\","
	                "\"start\":\"2026-12-03T09:14:02+01:00\",\"length_s\":2848,"
	                "\"limit_s\":2700,\"break\":\"done\"},\n"
	                "{\"time\":\"2026-12-03T12:00:00+01:00\",\"event\":\"pause\","
	                "\"until\":\"2026-12-03T13:00:00+01:00\"},\n"
	                "{\"time\":\"2026-12-03T14:00:00+00:00\",\"event\":\"hold-start\","
	                "\"reason\":\"do-not-disturb\"}\n"
	                "]\n");
}

static void
test_json_string(void)
{
	g_autoptr(GString) out = g_string_new(NULL);

	gb_json_append_string(out, "a\"b\\c\n\t\x01\x7f é \xff end");
	g_string_append_c(out, ' ');
	gb_json_append_string(out, NULL);
	g_assert_cmpstr(out->str, ==, "\"a\\\"b\\\\c\\n\\t\\u0001\x7f é \xef\xbf\xbd end\" null");
}

/* --- the commands --- */

typedef struct {
	const char *name;
	const char *args;           /* the command line after glutebreakctl */
	int status;
	const char *stdout_pattern; /* g_pattern_match_simple() */
	const char *stderr_pattern;
} Case;

static const Case cases[] = {
	{ "stats-usage-days-0", "stats --days 0", 2, "",
	  "glutebreakctl: invalid --days (a whole number from 1 to 36600): '0' "
	  "(see glutebreakctl stats --help)\n" },
	{ "stats-usage-days-x", "stats --days x", 2, "", "glutebreakctl: invalid --days *'x'*" },
	{ "stats-usage-days-big", "stats --days 36601", 2, "", "glutebreakctl: invalid --days *" },
	{ "stats-usage-json-csv", "stats --json --csv", 2, "",
	  "glutebreakctl: --json and --csv exclude each other *" },
	{ "stats-usage-argument", "stats today", 2, "",
	  "glutebreakctl: unexpected argument: 'today' *" },
	{ "stats-usage-option", "stats --weeks 2", 2, "", "glutebreakctl: *--weeks*" },
	{ "history-usage", "history --days", 2, "", "glutebreakctl: *--days*" },
	{ "stats-help", "stats --help", 0, "Usage: glutebreakctl stats [--days N] [--json | --csv]*",
	  "" },
	{ "history-help", "history -h", 0, "Usage: glutebreakctl history *", "" },
	/* no history file: an empty history, seven zero days */
	{ "stats-missing", "stats --csv", 0,
	  "date,*\n*,0,0,0,0,0,0,0,0,0,0,0,0,0\n*,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
	  "*,0,0,0,0,0,0,0,0,0,0,0,0,0\n*,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
	  "*,0,0,0,0,0,0,0,0,0,0,0,0,0\n*,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
	  "*,0,0,0,0,0,0,0,0,0,0,0,0,0\n", "" },
	{ "stats-missing-text", "stats --days 2", 0, "Sitting\nday *\n* 0 min *\n* 0 min *\n"
	  "total *", "" },
	{ "history-missing", "history --json", 0, "[]\n", "" },
	{ "history-missing-text", "history", 0, "", "" },
};

/* writes events of the last minutes and one of 29 days ago, with a torn line between them (the second append ends it) */
static void
write_history(void)
{
	g_autoptr(GbHistory) history = gb_history_new(NULL);
	g_autofree char *path = gb_history_default_path();
	gint64 now = g_get_real_time();
	const GbEvent reminder = { .kind = GB_EVENT_REMINDER, .time_us = now - 20 * MIN_US,
	                           .exercise = "pigeon", .category = "release",
	                           .sitting_us = 45 * MIN_US };
	const GbEvent answer = { .kind = GB_EVENT_ANSWER, .time_us = now - 19 * MIN_US,
	                         .reply = GB_REPLY_DONE, .exercise = "pigeon" };
	const GbEvent old = { .kind = GB_EVENT_DAEMON_START, .time_us = now - 29 * 24 * 60 * MIN_US };
	g_autoptr(GbHistoryLog) log = NULL;
	FILE *file;

	g_assert_true(gb_history_append(history, &old));
	g_assert_true(gb_history_append(history, &reminder));
	file = g_fopen(path, "a");
	g_assert_nonnull(file);
	g_assert_cmpint(fputs("2026-12-03T10:00:00+01:00 bout-e", file), >=, 0);
	g_assert_cmpint(fclose(file), ==, 0);
	g_assert_true(gb_history_append(history, &answer));
}

static const Case history_cases[] = {
	{ "stats-json", "stats --json --days 3", 0,
	  "[\n{*},\n{*},\n{*\"reminders\":1,\"answers\":{\"done\":1,*"
	  "\"exercises_done\":{\"release\":1,\"strengthen\":0,\"move\":0}}*\n]\n",
	  "glutebreakctl: */glutebreak/history:4: unknown event 'bout-e' *\n" },
	{ "history-text", "history", 0,
	  "* reminder exercise=pigeon category=release sitting=45m\n"
	  "* answer done exercise=pigeon\n", "glutebreakctl: *:4: unknown event*" },
	{ "history-csv", "history --csv --days 31", 0,
	  "time,event,*\n*,daemon-start,,,,,,,,,,,\n*,reminder,,pigeon,release,,2700,,,,,,\n"
	  "*,answer,done,pigeon,,,,,,,,,\n", "*" },
};

static void
run_case(const Case *c)
{
	if (g_test_subprocess()) {
		g_auto(GStrv) argv = g_strsplit(c->args, " ", -1);
		int argc = (int) g_strv_length(argv);
		int status = g_str_equal(argv[0], "stats") ? gb_ctl_stats(argc, argv)
		                                           : gb_ctl_history(argc, argv);

		/* the exit status, for the parent */
		fflush(stdout);
		g_printerr("[exit %d]\n", status);
		return;
	}
	{
		g_autofree char *exit_line = g_strdup_printf("*[exit %d]\n", c->status);
		g_autofree char *stderr_pattern = g_strdup_printf("%s[exit %d]\n", c->stderr_pattern,
		                                                  c->status);

		g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
		g_test_trap_assert_passed();
		g_test_trap_assert_stdout(c->stdout_pattern);
		g_test_trap_assert_stderr(exit_line);
		g_test_trap_assert_stderr(stderr_pattern);
	}
}

static void
test_command(gconstpointer data)
{
	run_case(data);
}

static void
test_command_with_history(gconstpointer data)
{
	if (!g_test_subprocess())
		write_history();
	run_case(data);
}

static void
test_command_unreadable(void)
{
	static const Case c = { "unreadable", "stats", 1, "",
	                        "glutebreakctl: cannot read the history: *\n" };
	g_autofree char *path = gb_history_default_path();

	/* a directory where the file should be */
	if (!g_test_subprocess())
		g_assert_cmpint(g_mkdir_with_parents(path, 0700), ==, 0);
	run_case(&c);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	/* stats asks a running daemon for the bout going on: never the session's own */
	g_setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/glutebreak-test", TRUE);
	g_test_add_func("/ctl-report/stats-text", test_stats_text);
	g_test_add_func("/ctl-report/stats-csv-json", test_stats_csv_json);
	g_test_add_func("/ctl-report/history-formats", test_history_formats);
	g_test_add_func("/ctl-report/json-string", test_json_string);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("/ctl-report/command/%s", cases[i].name);

		g_test_add_data_func(path, &cases[i], test_command);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(history_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ctl-report/command/%s",
		                                        history_cases[i].name);

		g_test_add_data_func(path, &history_cases[i], test_command_with_history);
	}
	g_test_add_func("/ctl-report/command/unreadable", test_command_unreadable);
	return g_test_run();
}

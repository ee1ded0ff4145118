/* SPDX-License-Identifier: MIT */
/* glutebreakctl stats and history: options, the history file and where the output goes. The
 * figures are src/stats.c's, the output src/report.c's. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "ctl-report.h"
#include "ctl-status.h"
#include "dbus.h"
#include "glutebreak-dbus.h"
#include "history.h"
#include "report.h"
#include "stats.h"

#define DEFAULT_DAYS 7
#define MAX_DAYS 36600 /* a hundred years */

static const char stats_help[] =
	"Usage: glutebreakctl stats [--days N] [--json | --csv]\n"
	"\n"
	"Sitting per day: sitting time, bouts, the longest bout, bouts over the sit-limit,\n"
	"reminders and their answers, exercises done by category; on a terminal with a chart\n"
	"of sitting per day. Reads the history file; the daemon need not run.\n"
	"\n"
	"  --days N   today and the N-1 days before (default 7)\n"
	"  --json     an array of day objects\n"
	"  --csv      comma-separated, with a header row\n";

static const char history_help[] =
	"Usage: glutebreakctl history [--days N] [--json | --csv]\n"
	"\n"
	"The events of the history file (bouts, reminders and answers, pauses, holds), as\n"
	"they were written. Reads the history file; the daemon need not run.\n"
	"\n"
	"  --days N   today and the N-1 days before (default 7)\n"
	"  --json     an array of event objects\n"
	"  --csv      comma-separated, with a header row\n";

typedef struct {
	guint days;
	GbReportFormat format;
	gboolean help;
} Options;

static int
usage_error(const char *command, const char *message)
{
	g_printerr("glutebreakctl: %s (see glutebreakctl %s --help)\n", message, command);
	return 2;
}

/* -1 to go on, else the exit status */
static int
parse_options(int argc, char **argv, Options *options)
{
	g_autofree char *days = NULL;
	gboolean json = FALSE, csv = FALSE;
	GOptionEntry entries[] = {
		{ "days", 0, 0, G_OPTION_ARG_STRING, &days, NULL, "N" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL },
		{ "csv", 0, 0, G_OPTION_ARG_NONE, &csv, NULL, NULL },
		{ "help", 'h', 0, G_OPTION_ARG_NONE, &options->help, NULL, NULL },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) args = g_new0(char *, (gsize) MAX(argc, 1) + 1);
	const char *command = argc > 0 ? argv[0] : "?";

	for (int i = 0; i < argc; i++)
		args[i] = g_strdup(argv[i]);
	/* the help is ours: GOptionContext's calls exit() */
	g_option_context_set_help_enabled(context, FALSE);
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse_strv(context, &args, &error))
		return usage_error(command, error->message);
	if (options->help)
		return -1;
	if (args[0] != NULL && args[1] != NULL) {
		g_autofree char *message = g_strdup_printf("unexpected argument: '%s'", args[1]);

		return usage_error(command, message);
	}
	if (json && csv)
		return usage_error(command, "--json and --csv exclude each other");
	options->format = json ? GB_REPORT_JSON : csv ? GB_REPORT_CSV : GB_REPORT_TEXT;
	options->days = DEFAULT_DAYS;
	if (days != NULL) {
		guint64 n;

		if (!g_ascii_string_to_unsigned(days, 10, 1, MAX_DAYS, &n, NULL)) {
			g_autofree char *message = g_strdup_printf(
				"invalid --days (a whole number from 1 to %d): '%s'", MAX_DAYS, days);

			return usage_error(command, message);
		}
		options->days = (guint) n;
	}
	return -1;
}

int
gb_ctl_print(const char *text)
{
	if (fputs(text, stdout) < 0 || fflush(stdout) != 0) {
		g_printerr("glutebreakctl: cannot write the output: %s\n", g_strerror(errno));
		return 1;
	}
	return 0;
}

/* The history and the days asked for; the exit status if that failed, else -1. */
static int
read_history(const Options *options, GbHistoryLog **log, GTimeZone *tz, GDate *first)
{
	g_autofree char *path = gb_history_default_path();
	g_autoptr(GError) error = NULL;
	const char *const *warnings;

	*log = gb_history_read(path, &error);
	if (*log == NULL) {
		g_printerr("glutebreakctl: cannot read the history: %s\n", error->message);
		return 1;
	}
	warnings = gb_history_log_get_warnings(*log);
	for (gsize i = 0; warnings[i] != NULL; i++)
		g_printerr("glutebreakctl: %s\n", warnings[i]);
	gb_stats_first_day(tz, g_get_real_time(), options->days, first);
	return -1;
}

/* The bout going on, from the daemon if it runs (it is in the history once it ends), as a
 * bout-end at @now_us. */
static gboolean
bout_going_on(gint64 now_us, GbEvent *event)
{
	g_autoptr(GbDBusService) proxy = NULL;
	g_autofree char *owner = NULL;
	gint64 start;

	proxy = gb_dbus_service_proxy_new_for_bus_sync(
		G_BUS_TYPE_SESSION,
		G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
		G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
		GB_DBUS_NAME, GB_DBUS_PATH, NULL, NULL);
	if (proxy != NULL)
		owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(proxy));
	/* a daemon that hangs does not hold up what works without it */
	if (owner == NULL || !gb_ctl_status_fetch(proxy, 1000, NULL))
		return FALSE;
	start = gb_dbus_service_get_bout_start(proxy);
	if (start <= 0 || start > now_us)
		return FALSE;
	*event = (GbEvent) {
		.kind = GB_EVENT_BOUT_END,
		.time_us = now_us,
		.start_us = start,
		.length_us = now_us - start,
		.limit_us = gb_dbus_service_get_sit_limit(proxy),
		.break_kind = "sitting",
	};
	return TRUE;
}

int
gb_ctl_stats(int argc, char **argv)
{
	g_autoptr(GbHistoryLog) log = NULL;
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	g_autofree GbStatsDay *days = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GArray) all = NULL;
	Options options = { 0 };
	const GbEvent *events;
	GbEvent going_on;
	gsize n_events;
	GDate first;
	int status;

	if ((status = parse_options(argc, argv, &options)) >= 0)
		return status;
	if (options.help)
		return gb_ctl_print(stats_help);
	if ((status = read_history(&options, &log, tz, &first)) >= 0)
		return status;
	events = gb_history_log_get_events(log, &n_events);
	if (bout_going_on(g_get_real_time(), &going_on)) {
		all = g_array_sized_new(FALSE, FALSE, sizeof(GbEvent), (guint) n_events + 1);
		g_array_append_vals(all, events, (guint) n_events);
		g_array_append_val(all, going_on);
		events = (const GbEvent *) (gpointer) all->data;
		n_events = all->len;
	}
	days = gb_stats_compute(events, n_events, tz, &first, options.days);
	/* "plain text when not a terminal"; block characters where they can be shown */
	if (options.format == GB_REPORT_TEXT && isatty(STDOUT_FILENO))
		options.format = g_get_charset(NULL) ? GB_REPORT_CHART_UTF8 : GB_REPORT_CHART_ASCII;
	text = gb_report_stats(days, options.days, options.format);
	return gb_ctl_print(text);
}

int
gb_ctl_history(int argc, char **argv)
{
	g_autoptr(GbHistoryLog) log = NULL;
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	g_autoptr(GArray) selected = g_array_new(FALSE, FALSE, sizeof(GbEvent));
	g_autofree char *text = NULL;
	Options options = { 0 };
	const GbEvent *events;
	gsize n_events;
	GDate first, end;
	gint64 from_us, to_us;
	int status;

	if ((status = parse_options(argc, argv, &options)) >= 0)
		return status;
	if (options.help)
		return gb_ctl_print(history_help);
	if ((status = read_history(&options, &log, tz, &first)) >= 0)
		return status;
	end = first;
	g_date_add_days(&end, options.days);
	from_us = gb_stats_day_start(tz, &first);
	to_us = gb_stats_day_start(tz, &end);
	events = gb_history_log_get_events(log, &n_events);
	for (gsize i = 0; i < n_events; i++) {
		if (events[i].time_us >= from_us && events[i].time_us < to_us)
			g_array_append_val(selected, events[i]);
	}
	text = gb_report_history((const GbEvent *) (gpointer) selected->data, selected->len,
	                         options.format);
	return gb_ctl_print(text);
}

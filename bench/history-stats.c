/* SPDX-License-Identifier: MIT */
/* How long glutebreakctl stats takes over years of history (DESIGN.md §5: ten years, about
 * 100 000 events, in under 100 ms), and what an append costs. Run by hand, never by make
 * check (docs/PERFORMANCE.md):
 *
 *   make bench/history-stats && bench/history-stats [--years 10] [--runs 20]
 *
 * It writes the history with the daemon's own writer into a temporary $XDG_STATE_HOME (the
 * workdays of tests/history-gen.c, in the local time zone, ending today), then times
 * gb_ctl_stats() and gb_ctl_history() as glutebreakctl calls them, stdout to /dev/null. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ctl-report.h"
#include "history-gen.h"
#include "history.h"
#include "stats.h"

typedef struct {
	GbHistory *history;
	gint64 busy_us;
} Writer;

static void
on_event(const GbEvent *event, gpointer user_data)
{
	Writer *writer = user_data;
	gint64 start = g_get_monotonic_time();

	if (!gb_history_append(writer->history, event))
		exit(1);
	writer->busy_us += g_get_monotonic_time() - start;
}

static int
compare_gint64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

	return x < y ? -1 : x > y;
}

/* Runs @argv through @command @runs times, stdout to /dev/null; prints min and median. */
static void
time_command(const char *label, int (*command)(int, char **), const char *args, int runs)
{
	g_auto(GStrv) argv = g_strsplit(args, " ", -1);
	g_autofree gint64 *times = g_new(gint64, runs);
	int saved_stdout = dup(STDOUT_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	for (int i = 0; i < runs; i++) {
		gint64 start;
		int status;

		fflush(stdout);
		dup2(null, STDOUT_FILENO);
		start = g_get_monotonic_time();
		status = command((int) g_strv_length(argv), argv);
		fflush(stdout);
		times[i] = g_get_monotonic_time() - start;
		dup2(saved_stdout, STDOUT_FILENO);
		if (status != 0) {
			g_printerr("%s: exit status %d\n", args, status);
			exit(1);
		}
	}
	close(null);
	close(saved_stdout);
	qsort(times, (gsize) runs, sizeof(gint64), compare_gint64);
	printf("%-44s min %6.1f ms   median %6.1f ms\n", label, (double) times[0] / 1000.0,
	       (double) times[runs / 2] / 1000.0);
}

/* gb_history_read() and gb_stats_compute() alone, the parts of stats that grow with the
 * file */
static void
time_parts(const char *path, guint n_days, int runs)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	g_autofree gint64 *read_times = g_new(gint64, runs);
	g_autofree gint64 *stats_times = g_new(gint64, runs);
	GDate first;

	gb_stats_first_day(tz, g_get_real_time(), n_days, &first);
	for (int i = 0; i < runs; i++) {
		g_autoptr(GbHistoryLog) log = NULL;
		g_autofree GbStatsDay *days = NULL;
		const GbEvent *events;
		gsize n_events;
		gint64 start = g_get_monotonic_time();

		log = gb_history_read(path, NULL);
		read_times[i] = g_get_monotonic_time() - start;
		events = gb_history_log_get_events(log, &n_events);
		start = g_get_monotonic_time();
		days = gb_stats_compute(events, n_events, tz, &first, n_days);
		stats_times[i] = g_get_monotonic_time() - start;
	}
	qsort(read_times, (gsize) runs, sizeof(gint64), compare_gint64);
	qsort(stats_times, (gsize) runs, sizeof(gint64), compare_gint64);
	printf("%-44s min %6.1f ms   median %6.1f ms\n", "  of which gb_history_read()",
	       (double) read_times[0] / 1000.0, (double) read_times[runs / 2] / 1000.0);
	printf("%-44s min %6.1f ms   median %6.1f ms\n", "  of which gb_stats_compute()",
	       (double) stats_times[0] / 1000.0, (double) stats_times[runs / 2] / 1000.0);
}

int
main(int argc, char **argv)
{
	int years = 10, runs = 20;
	GOptionEntry entries[] = {
		{ "years", 0, 0, G_OPTION_ARG_INT, &years, "Years of history (10)", "N" },
		{ "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each command (20)", "N" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new("- time glutebreakctl stats");
	g_autoptr(GError) error = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GbHistory) history = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *sub = NULL;
	g_autofree char *stats_label = NULL;
	g_autofree char *cmd = NULL;
	Writer writer = { 0 };
	GStatBuf st;
	GDate first;
	guint n_days, n_events;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error) || years < 1 || runs < 1) {
		g_printerr("%s\n", error != NULL ? error->message : "--years and --runs: 1 or more");
		return 2;
	}
	dir = g_dir_make_tmp("glutebreak-bench-XXXXXX", &error);
	if (dir == NULL) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	/* before anything asks GLib for it */
	g_setenv("XDG_STATE_HOME", dir, TRUE);
	tz = g_time_zone_new_local();
	n_days = (guint) (years * 36525 / 100);
	history = gb_history_new(NULL);
	writer.history = history;
	gb_stats_first_day(tz, g_get_real_time(), n_days, &first);
	n_events = gb_test_generate_history(tz, &first, n_days, on_event, &writer);
	if (g_stat(gb_history_get_path(history), &st) != 0)
		return 1;
	printf("history: %u events over %u days, %.1f MB (%s)\n", n_events, n_days,
	       (double) st.st_size / 1e6, gb_history_get_path(history));
	printf("append (open, fstat, pread, write, close): %.1f µs an event\n",
	       (double) writer.busy_us / n_events);
	printf("%d runs each, stdout to /dev/null:\n", runs);

	stats_label = g_strdup_printf("glutebreakctl stats --days %u", n_days);
	cmd = g_strdup_printf("stats --days %u", n_days);
	time_command(stats_label, gb_ctl_stats, cmd, runs);
	time_parts(gb_history_get_path(history), n_days, runs);
	g_free(cmd);
	cmd = g_strdup_printf("stats --days %u --json", n_days);
	time_command("glutebreakctl stats --days N --json", gb_ctl_stats, cmd, runs);
	time_command("glutebreakctl stats (7 days)", gb_ctl_stats, "stats", runs);
	g_free(cmd);
	cmd = g_strdup_printf("history --days %u --json", n_days);
	time_command("glutebreakctl history --days N --json", gb_ctl_history, cmd, runs);

	g_remove(gb_history_get_path(history));
	sub = g_build_filename(dir, "glutebreak", NULL);
	g_rmdir(sub);
	g_rmdir(dir);
	return 0;
}

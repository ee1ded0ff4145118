/* SPDX-License-Identifier: MIT */
/* The output of glutebreakctl stats and history: tables and a chart for people, CSV and JSON
 * for scripts. Durations are whole seconds in CSV and JSON, times ISO 8601 with the UTC
 * offset they were written with. */
#include <string.h>

#include "duration.h"
#include "json.h"
#include "report.h"

#define CHART_WIDTH 30
#define HOUR_US ((gint64) 3600 * G_USEC_PER_SEC)

/* A small table: cells left or right aligned in columns as wide as their widest cell
 * (the cells are ASCII), and an unaligned last column for the chart. */
typedef struct {
	GPtrArray *cells;  /* char *, n_columns a row */
	guint n_columns;
	const char *align; /* 'l' or 'r' per column */
} Table;

static void
table_add(Table *table, char *cell)
{
	g_ptr_array_add(table->cells, cell);
}

static void
table_print(const Table *table, GString *out)
{
	g_autofree gsize *widths = g_new0(gsize, table->n_columns);

	for (guint i = 0; i < table->cells->len; i++) {
		guint column = i % table->n_columns;

		if (column + 1 < table->n_columns)
			widths[column] = MAX(widths[column],
			                     strlen(g_ptr_array_index(table->cells, i)));
	}
	for (guint i = 0; i < table->cells->len; i++) {
		const char *cell = g_ptr_array_index(table->cells, i);
		guint column = i % table->n_columns;
		gboolean last = column + 1 == table->n_columns;
		int width = (int) widths[column];

		if (column > 0 && (!last || *cell != '\0'))
			g_string_append(out, "  ");
		if (last)
			g_string_append_printf(out, "%s\n", cell);
		else if (table->align[column] == 'l')
			g_string_append_printf(out, "%-*s", width, cell);
		else
			g_string_append_printf(out, "%*s", width, cell);
	}
}

static char *
format_day(const GDate *date)
{
	static const char *const weekdays[] = { "", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	                                        "Sun" };

	return g_strdup_printf("%s %04u-%02u-%02u", weekdays[g_date_get_weekday(date)],
	                       g_date_get_year(date), g_date_get_month(date),
	                       g_date_get_day(date));
}

static char *
format_minutes(gint64 us)
{
	if (us <= 0)
		return g_strdup("0 min");
	return gb_duration_format(gb_duration_round_minutes(us));
}

static gint64
seconds(gint64 us)
{
	return (us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
}

static guint
cells(gint64 us, gint64 scale_us)
{
	guint n = (guint) ((us * CHART_WIDTH + scale_us / 2) / scale_us);

	return us > 0 ? MAX(n, 1) : 0;
}

/* ▇▇▇▇▒▒▒▒▒: the day's sitting, the longest bout first */
static char *
chart_bar(const GbStatsDay *day, gint64 scale_us, gboolean utf8)
{
	guint all = cells(day->sitting_us, scale_us);
	guint longest = MIN(cells(MIN(day->longest_us, day->sitting_us), scale_us), all);
	GString *bar = g_string_new(NULL);

	for (guint i = 0; i < all; i++)
		g_string_append(bar, i < longest ? (utf8 ? "█" : "#") : (utf8 ? "▒" : "="));
	return g_string_free(bar, FALSE);
}

static void
stats_text(const GbStatsDay *days, guint n_days, GbReportFormat format, GString *out)
{
	static const char *const sitting_heads[] = { "day", "sitting", "bouts", "longest",
	                                             "over limit", "" };
	static const char *const reminder_heads[] = { "day", "reminders", "done", "snooze",
	                                              "skip", "ignored", "withdrawn",
	                                              "release", "strengthen", "move", "" };
	Table sitting = { g_ptr_array_new_with_free_func(g_free), 6, "lrrrrl" };
	Table reminders = { g_ptr_array_new_with_free_func(g_free), 11, "lrrrrrrrrrl" };
	gboolean chart = format == GB_REPORT_CHART_ASCII || format == GB_REPORT_CHART_UTF8;
	gboolean utf8 = format == GB_REPORT_CHART_UTF8;
	GbStatsDay total = { 0 };
	gint64 scale_us = 0;

	for (guint i = 0; i < n_days; i++)
		scale_us = MAX(scale_us, days[i].sitting_us);
	/* full width: the longest day, in whole hours */
	scale_us = MAX((scale_us + HOUR_US - 1) / HOUR_US, 1) * HOUR_US;

	for (guint i = 0; i < G_N_ELEMENTS(sitting_heads); i++)
		table_add(&sitting, g_strdup(sitting_heads[i]));
	for (guint i = 0; i < G_N_ELEMENTS(reminder_heads); i++)
		table_add(&reminders, g_strdup(reminder_heads[i]));
	for (guint i = 0; i < n_days; i++) {
		const GbStatsDay *day = &days[i];

		table_add(&sitting, format_day(&day->date));
		table_add(&sitting, format_minutes(day->sitting_us));
		table_add(&sitting, g_strdup_printf("%u", day->bouts));
		table_add(&sitting, day->bouts > 0 ? format_minutes(day->longest_us) : g_strdup("-"));
		table_add(&sitting, g_strdup_printf("%u", day->over_limit));
		table_add(&sitting, chart ? chart_bar(day, scale_us, utf8) : g_strdup(""));

		table_add(&reminders, format_day(&day->date));
		table_add(&reminders, g_strdup_printf("%u", day->reminders));
		for (guint reply = 0; reply < GB_REPLY_COUNT; reply++) {
			table_add(&reminders, g_strdup_printf("%u", day->answers[reply]));
			total.answers[reply] += day->answers[reply];
		}
		table_add(&reminders, g_strdup_printf("%u", day->done_release));
		table_add(&reminders, g_strdup_printf("%u", day->done_strengthen));
		table_add(&reminders, g_strdup_printf("%u", day->done_move));
		table_add(&reminders, g_strdup(""));

		total.sitting_us += day->sitting_us;
		total.bouts += day->bouts;
		total.longest_us = MAX(total.longest_us, day->longest_us);
		total.over_limit += day->over_limit;
		total.reminders += day->reminders;
		total.done_release += day->done_release;
		total.done_strengthen += day->done_strengthen;
		total.done_move += day->done_move;
	}
	table_add(&sitting, g_strdup("total"));
	table_add(&sitting, format_minutes(total.sitting_us));
	table_add(&sitting, g_strdup_printf("%u", total.bouts));
	table_add(&sitting, total.bouts > 0 ? format_minutes(total.longest_us) : g_strdup("-"));
	table_add(&sitting, g_strdup_printf("%u", total.over_limit));
	table_add(&sitting, g_strdup(""));
	table_add(&reminders, g_strdup("total"));
	table_add(&reminders, g_strdup_printf("%u", total.reminders));
	for (guint reply = 0; reply < GB_REPLY_COUNT; reply++)
		table_add(&reminders, g_strdup_printf("%u", total.answers[reply]));
	table_add(&reminders, g_strdup_printf("%u", total.done_release));
	table_add(&reminders, g_strdup_printf("%u", total.done_strengthen));
	table_add(&reminders, g_strdup_printf("%u", total.done_move));
	table_add(&reminders, g_strdup(""));

	g_string_append(out, "Sitting\n");
	table_print(&sitting, out);
	if (chart) {
		g_autofree char *scale = gb_duration_format(scale_us);

		g_string_append_printf(out, "(chart: %s longest bout, %s other sitting; full width "
		                       "%s)\n", utf8 ? "█" : "#", utf8 ? "▒" : "=", scale);
	}
	g_string_append(out, "\nReminders, their answers and exercises done\n");
	table_print(&reminders, out);
	g_ptr_array_unref(sitting.cells);
	g_ptr_array_unref(reminders.cells);
}

static void
stats_csv(const GbStatsDay *days, guint n_days, GString *out)
{
	g_string_append(out, "date,sitting_s,bouts,longest_s,over_limit,reminders,done,snooze,"
	                "skip,ignored,withdrawn,release,strengthen,move\n");
	for (guint i = 0; i < n_days; i++) {
		const GbStatsDay *day = &days[i];

		g_string_append_printf(out, "%04u-%02u-%02u,%" G_GINT64_FORMAT ",%u,%"
		                       G_GINT64_FORMAT ",%u,%u", g_date_get_year(&day->date),
		                       g_date_get_month(&day->date), g_date_get_day(&day->date),
		                       seconds(day->sitting_us), day->bouts,
		                       seconds(day->longest_us), day->over_limit, day->reminders);
		for (guint reply = 0; reply < GB_REPLY_COUNT; reply++)
			g_string_append_printf(out, ",%u", day->answers[reply]);
		g_string_append_printf(out, ",%u,%u,%u\n", day->done_release, day->done_strengthen,
		                       day->done_move);
	}
}

static void
stats_json(const GbStatsDay *days, guint n_days, GString *out)
{
	g_string_append_c(out, '[');
	for (guint i = 0; i < n_days; i++) {
		const GbStatsDay *day = &days[i];

		g_string_append_printf(out, "%s\n{\"date\":\"%04u-%02u-%02u\",\"sitting_s\":%"
		                       G_GINT64_FORMAT ",\"bouts\":%u,\"longest_s\":%"
		                       G_GINT64_FORMAT ",\"over_limit\":%u,\"reminders\":%u,"
		                       "\"answers\":{", i > 0 ? "," : "",
		                       g_date_get_year(&day->date), g_date_get_month(&day->date),
		                       g_date_get_day(&day->date), seconds(day->sitting_us),
		                       day->bouts, seconds(day->longest_us), day->over_limit,
		                       day->reminders);
		for (guint reply = 0; reply < GB_REPLY_COUNT; reply++)
			g_string_append_printf(out, "%s\"%s\":%u", reply > 0 ? "," : "",
			                       gb_reply_to_string(reply), day->answers[reply]);
		g_string_append_printf(out, "},\"exercises_done\":{\"release\":%u,"
		                       "\"strengthen\":%u,\"move\":%u}}", day->done_release,
		                       day->done_strengthen, day->done_move);
	}
	g_string_append(out, n_days > 0 ? "\n]\n" : "]\n");
}

char *
gb_report_stats(const GbStatsDay *days, guint n_days, GbReportFormat format)
{
	GString *out = g_string_new(NULL);

	switch (format) {
	case GB_REPORT_CSV:
		stats_csv(days, n_days, out);
		break;
	case GB_REPORT_JSON:
		stats_json(days, n_days, out);
		break;
	case GB_REPORT_TEXT:
	case GB_REPORT_CHART_ASCII:
	case GB_REPORT_CHART_UTF8:
	default:
		stats_text(days, n_days, format, out);
		break;
	}
	return g_string_free(out, FALSE);
}

/* --- history --- */

static void
csv_field(GString *out, const char *value)
{
	g_string_append_c(out, ',');
	if (value == NULL)
		return;
	if (strpbrk(value, ",\"\r\n") == NULL) {
		g_string_append(out, value);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

/* The fields of an event as (name, value) pairs, NULL values left out: one list for the
 * CSV columns and the JSON keys, so that they cannot disagree. */
typedef struct {
	const char *name;
	char *value;
	gboolean number;
} Field;

static const char *const field_names[] = {
	"time", "event", "answer", "exercise", "category", "level", "sitting_s", "start",
	"length_s", "limit_s", "break", "until", "reason",
};

static void
event_fields(const GbEvent *event, Field fields[G_N_ELEMENTS(field_names)])
{
	GbEventKind kind = event->kind;
	gboolean bout_end = kind == GB_EVENT_BOUT_END;
	gboolean reminder = kind == GB_EVENT_REMINDER;
	gboolean answer = kind == GB_EVENT_ANSWER;
	gboolean level = kind == GB_EVENT_LEVEL;
	char buf[32];
	guint n = 0;

#define FIELD(text, is_number) \
	(fields[n] = (Field) { field_names[n], (text), (is_number) }, n++)
#define SECONDS(us) g_strdup_printf("%" G_GINT64_FORMAT, seconds(us))
#define TIME(us) (gb_history_format_time((us), event->utc_offset_s, buf), g_strdup(buf))

	FIELD(TIME(event->time_us), FALSE);
	FIELD(g_strdup(gb_event_kind_to_string(kind)), FALSE);
	FIELD(answer ? g_strdup(gb_reply_to_string(event->reply)) : NULL, FALSE);
	FIELD(reminder || answer || level ? g_strdup(event->exercise) : NULL, FALSE);
	FIELD(reminder || answer ? g_strdup(event->category) : NULL, FALSE);
	FIELD((reminder || level) && event->level > 0 ? g_strdup_printf("%d", event->level) : NULL,
	      TRUE);
	FIELD(reminder ? SECONDS(event->sitting_us) : NULL, TRUE);
	FIELD(bout_end ? TIME(event->start_us) : NULL, FALSE);
	FIELD(bout_end ? SECONDS(event->length_us) : NULL, TRUE);
	FIELD(bout_end ? SECONDS(event->limit_us) : NULL, TRUE);
	FIELD(bout_end ? g_strdup(event->break_kind) : NULL, FALSE);
	FIELD(kind == GB_EVENT_PAUSE ? TIME(event->until_us) : NULL, FALSE);
	/* a level event's change (up, down, ...) is its reason */
	FIELD(kind == GB_EVENT_HOLD_START || kind == GB_EVENT_HOLD_END ? g_strdup(event->reason)
	      : level ? g_strdup(event->change) : NULL, FALSE);
#undef FIELD
#undef SECONDS
#undef TIME
	g_assert(n == G_N_ELEMENTS(field_names));
}

char *
gb_report_history(const GbEvent *events, gsize n_events, GbReportFormat format)
{
	GString *out = g_string_new(NULL);

	if (format == GB_REPORT_CSV) {
		for (guint i = 0; i < G_N_ELEMENTS(field_names); i++)
			g_string_append_printf(out, "%s%s", i > 0 ? "," : "", field_names[i]);
		g_string_append_c(out, '\n');
	} else if (format == GB_REPORT_JSON) {
		g_string_append_c(out, '[');
	}
	for (gsize i = 0; i < n_events; i++) {
		Field fields[G_N_ELEMENTS(field_names)];
		gboolean first = TRUE;

		if (format != GB_REPORT_CSV && format != GB_REPORT_JSON) {
			if (events[i].line != NULL) {
				g_string_append(out, events[i].line);
			} else {
				g_autofree char *line = gb_history_format_event(&events[i], NULL);

				g_string_append(out, line);
			}
			g_string_append_c(out, '\n');
			continue;
		}
		event_fields(&events[i], fields);
		if (format == GB_REPORT_JSON)
			g_string_append(out, i > 0 ? ",\n{" : "\n{");
		for (guint f = 0; f < G_N_ELEMENTS(fields); f++) {
			if (format == GB_REPORT_CSV) {
				if (f == 0)
					g_string_append(out, fields[f].value);
				else
					csv_field(out, fields[f].value);
			} else if (fields[f].value != NULL) {
				g_string_append_printf(out, "%s\"%s\":", first ? "" : ",",
				                       fields[f].name);
				if (fields[f].number)
					g_string_append(out, fields[f].value);
				else
					gb_json_append_string(out, fields[f].value);
				first = FALSE;
			}
			g_free(fields[f].value);
		}
		g_string_append(out, format == GB_REPORT_JSON ? "}" : "\n");
	}
	if (format == GB_REPORT_JSON)
		g_string_append(out, n_events > 0 ? "\n]\n" : "]\n");
	return g_string_free(out, FALSE);
}

/* SPDX-License-Identifier: MIT */
/* [schedule] active: the parser, and when a local time is inside. A schedule is a set of
 * minutes of the week, kept as sorted, disjoint, non-touching spans; the same set always has
 * the same spans, so equal schedules compare equal whatever their spelling. */
#include <string.h>

#include "errors.h"
#include "schedule.h"

#define DAY_MIN (24 * 60)
#define WEEK_MIN (7 * DAY_MIN)
#define WINDOW_DAYS 17 /* the days gb_schedule_active_at() looks at */
#define DAYS_HINT "use mon, tue, wed, thu, fri, sat, sun or a range like mon-fri"

typedef struct {
	int start, end; /* minutes of the week from Monday 00:00, start < end <= WEEK_MIN */
} Span;

struct _GbSchedule {
	guint n_spans; /* 0: always */
	Span spans[];
};

/* A span of absolute time, Unix µs. */
typedef struct {
	gint64 start, end;
} Interval;

static const char *const day_names[7][2] = {
	{ "mon", "monday" },   { "tue", "tuesday" },  { "wed", "wednesday" }, { "thu", "thursday" },
	{ "fri", "friday" },   { "sat", "saturday" }, { "sun", "sunday" },
};

/* Parsing ------------------------------------------------------------------------------- */

static int
day_of(const char *name)
{
	for (int day = 0; day < 7; day++)
		if (g_ascii_strcasecmp(name, day_names[day][0]) == 0 ||
		    g_ascii_strcasecmp(name, day_names[day][1]) == 0)
			return day;
	return -1;
}

static gboolean
parse_day(const char *name, int *day, GError **error)
{
	*day = day_of(name);
	if (*day < 0) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG, "unknown day '%s' (" DAYS_HINT ")",
		            name);
		return FALSE;
	}
	return TRUE;
}

/* "mon" or "fri-mon": the first day and how many days (1..7) follow it, wrapping past Sunday. */
static gboolean
parse_days(const char *token, int *first, int *n_days, GError **error)
{
	const char *dash = strchr(token, '-');
	g_autofree char *from = NULL;
	int last;

	if (dash == NULL) {
		*n_days = 1;
		return parse_day(token, first, error);
	}
	from = g_strndup(token, (gsize) (dash - token));
	if (*from == '\0' || dash[1] == '\0') {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "'%s': a day range needs a day on each side, e.g. mon-fri", token);
		return FALSE;
	}
	if (!parse_day(from, first, error) || !parse_day(dash + 1, &last, error))
		return FALSE;
	*n_days = (last - *first + 7) % 7 + 1;
	return TRUE;
}

/* "HH:MM" at @p, 00:00 to 24:00; -1 if it is not two digits, a colon and two digits, -2 if it
 * is but names no time of day. */
static int
parse_time(const char *p)
{
	int hours, minutes;

	if (!g_ascii_isdigit(p[0]) || !g_ascii_isdigit(p[1]) || p[2] != ':' ||
	    !g_ascii_isdigit(p[3]) || !g_ascii_isdigit(p[4]))
		return -1;
	hours = (p[0] - '0') * 10 + (p[1] - '0');
	minutes = (p[3] - '0') * 10 + (p[4] - '0');
	if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
		return -2;
	return hours * 60 + minutes;
}

/* "HH:MM-HH:MM" into minutes of the day; *end may be <= *start (the range crosses midnight). */
static gboolean
parse_range(const char *token, int *start, int *end, GError **error)
{
	if (strlen(token) != 11 || token[5] != '-') {
		if (strchr(token, '-') == NULL && strchr(token, ':') != NULL)
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "'%s': write a time range as HH:MM-HH:MM with no spaces, "
			            "e.g. 09:00-17:00", token);
		else
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "'%s': write times as HH:MM, e.g. 09:00-17:00", token);
		return FALSE;
	}
	*start = parse_time(token);
	*end = parse_time(token + 6);
	if (*start == -1 || *end == -1) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "'%s': write times as HH:MM, e.g. 09:00-17:00", token);
		return FALSE;
	}
	if (*start < 0 || *end < 0) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "'%s': no such time '%.5s' (use 00:00 to 23:59, and 24:00 to end a range)",
		            token, *start < 0 ? token : token + 6);
		return FALSE;
	}
	if (*start == DAY_MIN) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "'%s': 24:00 can only end a range (start at 00:00 instead)", token);
		return FALSE;
	}
	if (*start == *end) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "'%s': an empty range (for a whole day write 00:00-24:00)", token);
		return FALSE;
	}
	return TRUE;
}

static void
add_span(GArray *spans, int start, int end)
{
	Span span = { start, MIN(end, WEEK_MIN) };

	g_array_append_val(spans, span);
	if (end > WEEK_MIN) { /* Sunday into Monday */
		span = (Span) { 0, end - WEEK_MIN };
		g_array_append_val(spans, span);
	}
}

static gboolean
parse_item(const char *item, GArray *spans, GError **error)
{
	g_auto(GStrv) tokens = g_strsplit_set(item, " \t", -1);
	int first = 0, n_days = 0;
	guint n_ranges = 0;
	gsize i = 0;

	while (tokens[i] != NULL && *tokens[i] == '\0')
		i++;
	g_return_val_if_fail(tokens[i] != NULL, FALSE); /* the item is not blank */
	if (g_ascii_isdigit(*tokens[i])) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "'%s': a time range needs a day before it, e.g. mon-fri 09:00-17:00",
		            item);
		return FALSE;
	}
	if (!parse_days(tokens[i], &first, &n_days, error))
		return FALSE;
	for (i++; tokens[i] != NULL; i++) {
		int start, end, unused;

		if (*tokens[i] == '\0')
			continue;
		if (!g_ascii_isdigit(*tokens[i]) && parse_days(tokens[i], &unused, &unused, NULL)) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "'%s': a comma must come before '%s' (separate the days with "
			            "commas, e.g. mon 09:00-12:00, tue 10:00-16:00)", item, tokens[i]);
			return FALSE;
		}
		if (!parse_range(tokens[i], &start, &end, error))
			return FALSE;
		if (end <= start)
			end += DAY_MIN;
		for (int day = 0; day < n_days; day++) {
			int base = (first + day) % 7 * DAY_MIN;

			add_span(spans, base + start, base + end);
		}
		n_ranges++;
	}
	if (n_ranges == 0) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "'%s': a day needs a time range, e.g. %s 09:00-17:00", item, item);
		return FALSE;
	}
	return TRUE;
}

static int
compare_spans(gconstpointer a, gconstpointer b)
{
	const Span *x = a, *y = b;

	return x->start != y->start ? (x->start > y->start) - (x->start < y->start)
	                            : (x->end > y->end) - (x->end < y->end);
}

/* Sorted, merged where they overlap or touch; a whole week is always (no spans). */
static GbSchedule *
schedule_new(GArray *spans)
{
	GbSchedule *self;
	guint n = 0;

	g_array_sort(spans, compare_spans);
	for (guint i = 0; i < spans->len; i++) {
		Span *span = &g_array_index(spans, Span, i);
		Span *last = n > 0 ? &g_array_index(spans, Span, n - 1) : NULL;

		if (last != NULL && span->start <= last->end)
			last->end = MAX(last->end, span->end);
		else
			g_array_index(spans, Span, n++) = *span;
	}
	if (n == 1 && g_array_index(spans, Span, 0).start == 0 &&
	    g_array_index(spans, Span, 0).end == WEEK_MIN)
		n = 0;
	self = g_malloc(sizeof(GbSchedule) + n * sizeof(Span));
	self->n_spans = n;
	if (n > 0)
		memcpy(self->spans, spans->data, n * sizeof(Span));
	return self;
}

GbSchedule *
gb_schedule_parse(const char *text, GError **error)
{
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(Span));
	g_auto(GStrv) items = NULL;
	g_autofree char *blank = NULL;

	g_return_val_if_fail(text != NULL, NULL);
	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "not valid UTF-8 (save the file as UTF-8)");
		return NULL;
	}
	blank = g_strstrip(g_strdup(text));
	if (*blank == '\0')
		return schedule_new(spans);
	items = g_strsplit(text, ",", -1);
	for (gsize i = 0; items[i] != NULL; i++) {
		char *item = g_strstrip(items[i]);

		if (*item == '\0') {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "'%s': an empty item between commas (remove the extra comma)",
			            text);
			return NULL;
		}
		if (!parse_item(item, spans, error))
			return NULL;
	}
	return schedule_new(spans);
}

void
gb_schedule_free(GbSchedule *schedule)
{
	g_free(schedule);
}

GbSchedule *
gb_schedule_copy(const GbSchedule *schedule)
{
	if (schedule == NULL)
		return NULL;
	return g_memdup2(schedule, sizeof(GbSchedule) + schedule->n_spans * sizeof(Span));
}

gboolean
gb_schedule_is_always(const GbSchedule *schedule)
{
	return schedule == NULL || schedule->n_spans == 0;
}

gboolean
gb_schedule_equal(const GbSchedule *a, const GbSchedule *b)
{
	if (gb_schedule_is_always(a) || gb_schedule_is_always(b))
		return gb_schedule_is_always(a) == gb_schedule_is_always(b);
	return a->n_spans == b->n_spans &&
	       memcmp(a->spans, b->spans, a->n_spans * sizeof(Span)) == 0;
}

char *
gb_schedule_to_string(const GbSchedule *schedule)
{
	GString *text = g_string_new(NULL);

	for (int day = 0; schedule != NULL && day < 7; day++) {
		gboolean named = FALSE;

		for (guint i = 0; i < schedule->n_spans; i++) {
			int start = MAX(schedule->spans[i].start - day * DAY_MIN, 0);
			int end = MIN(schedule->spans[i].end - day * DAY_MIN, DAY_MIN);

			if (start >= end)
				continue;
			if (!named)
				g_string_append_printf(text, "%s%s", text->len > 0 ? ", " : "",
				                       day_names[day][0]);
			named = TRUE;
			g_string_append_printf(text, " %02d:%02d-%02d:%02d", start / 60, start % 60,
			                       end / 60, end % 60);
		}
	}
	return g_string_free(text, FALSE);
}

/* When ---------------------------------------------------------------------------------- */

/* @minute (0..DAY_MIN) of @date in @tz as Unix µs, wall times that do not exist or exist
 * twice taken as g_date_time_new() takes them; FALSE past the year 9999. */
static gboolean
wall_to_unix_us(GTimeZone *tz, const GDate *date, int minute, gint64 *unix_us)
{
	GDate day = *date;
	g_autoptr(GDateTime) time = NULL;

	if (minute == DAY_MIN) {
		g_date_add_days(&day, 1);
		minute = 0;
	}
	time = g_date_time_new(tz, g_date_get_year(&day), g_date_get_month(&day),
	                       g_date_get_day(&day), minute / 60, minute % 60, 0);
	if (time == NULL)
		return FALSE;
	*unix_us = g_date_time_to_unix(time) * G_USEC_PER_SEC;
	return TRUE;
}

static int
compare_intervals(gconstpointer a, gconstpointer b)
{
	const Interval *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* The schedule's times on the local days @first and the @n_days after it, as absolute
 * intervals, sorted and merged. Each day's boundaries are made on their own, so a wall time
 * that does not exist becomes what GLib makes of it (in 2.74: the end of the gap), and a
 * range that lies wholly inside a gap is empty and dropped. */
static GArray *
intervals_of(const GbSchedule *schedule, GTimeZone *tz, const GDate *first, guint n_days)
{
	GArray *intervals = g_array_new(FALSE, FALSE, sizeof(Interval));
	GDate date = *first;
	guint n = 0;

	for (guint k = 0; k < n_days; k++, g_date_add_days(&date, 1)) {
		int base = (g_date_get_weekday(&date) - G_DATE_MONDAY) * DAY_MIN;

		for (guint i = 0; i < schedule->n_spans; i++) {
			int start = MAX(schedule->spans[i].start - base, 0);
			int end = MIN(schedule->spans[i].end - base, DAY_MIN);
			Interval interval;

			if (start >= end || !wall_to_unix_us(tz, &date, start, &interval.start) ||
			    !wall_to_unix_us(tz, &date, end, &interval.end) ||
			    interval.end <= interval.start)
				continue;
			g_array_append_val(intervals, interval);
		}
	}
	/* GLib's mapping from wall to absolute time never goes backwards, but sorting costs
	 * nothing here and makes the merge below not depend on it */
	g_array_sort(intervals, compare_intervals);
	for (guint i = 0; i < intervals->len; i++) {
		Interval *interval = &g_array_index(intervals, Interval, i);
		Interval *last = n > 0 ? &g_array_index(intervals, Interval, n - 1) : NULL;

		if (last != NULL && interval->start <= last->end)
			last->end = MAX(last->end, interval->end);
		else
			g_array_index(intervals, Interval, n++) = *interval;
	}
	g_array_set_size(intervals, n);
	return intervals;
}

gboolean
gb_schedule_active_at(const GbSchedule *schedule, GDateTime *now, gint64 *next_change_unix_us)
{
	GTimeZone *tz = g_date_time_get_timezone(now);
	gint64 now_us = g_date_time_to_unix(now) * G_USEC_PER_SEC +
	                g_date_time_get_microsecond(now);
	gint64 next = G_MAXINT64;
	g_autoptr(GArray) intervals = NULL;
	gboolean active = FALSE;
	GDate first, horizon;
	int year, month, day;

	if (gb_schedule_is_always(schedule)) {
		if (next_change_unix_us != NULL)
			*next_change_unix_us = G_MAXINT64;
		return TRUE;
	}
	/* From the day before today (its last range may reach into today) to 15 days ahead.
	 * Every week has a moment outside the schedule (a whole week is always), so the next
	 * change lies within 8 days, unless that week's only gap (or its only range) vanished
	 * in a DST change or a skipped day (Samoa skipped Friday 2011-12-30); that never
	 * happens two weeks running. */
	g_date_time_get_ymd(now, &year, &month, &day);
	g_date_clear(&first, 1);
	g_date_set_dmy(&first, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
	if (g_date_get_julian(&first) > 1)
		g_date_subtract_days(&first, 1);
	intervals = intervals_of(schedule, tz, &first, WINDOW_DAYS);
	for (guint i = 0; i < intervals->len; i++) {
		const Interval *interval = &g_array_index(intervals, Interval, i);

		if (interval->start > now_us) {
			next = interval->start;
			break;
		}
		if (now_us < interval->end) {
			active = TRUE;
			next = interval->end;
			break;
		}
	}
	/* Nothing ahead within the days looked at (only near the year 9999, where GLib's
	 * times end): look again when they are over, strictly later than now. */
	horizon = first;
	g_date_add_days(&horizon, WINDOW_DAYS);
	if (next == G_MAXINT64 && !wall_to_unix_us(tz, &horizon, 0, &next))
		next = G_MAXINT64;
	if (next_change_unix_us != NULL)
		*next_change_unix_us = next;
	return active;
}

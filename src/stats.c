/* SPDX-License-Identifier: MIT */
/* Per-day figures from history events: pure (no clock, no files), so every rule is a test
 * with literal events. The days' midnights come from GDateTime, once per day, never from
 * 86 400 s arithmetic: a day with a DST change has 23 or 25 hours. */
#include <string.h>

#include "stats.h"

gint64
gb_stats_day_start(GTimeZone *tz, const GDate *date)
{
	g_autoptr(GDateTime) midnight = NULL;

	g_return_val_if_fail(g_date_valid(date), 0);
	midnight = g_date_time_new(tz, g_date_get_year(date), g_date_get_month(date),
	                           g_date_get_day(date), 0, 0, 0);
	g_return_val_if_fail(midnight != NULL, 0);
	return g_date_time_to_unix(midnight) * G_USEC_PER_SEC;
}

void
gb_stats_first_day(GTimeZone *tz, gint64 now_us, guint n_days, GDate *first)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(now_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) now = g_date_time_to_timezone(utc, tz);

	g_return_if_fail(n_days >= 1);
	g_date_clear(first, 1);
	g_date_set_dmy(first, (GDateDay) g_date_time_get_day_of_month(now),
	               (GDateMonth) g_date_time_get_month(now),
	               (GDateYear) g_date_time_get_year(now));
	g_date_subtract_days(first, n_days - 1);
}

/* The day of @us: the i with bounds[i] <= us < bounds[i + 1]; -1 before the first day,
 * n_days after the last. */
static gssize
find_day(const gint64 *bounds, guint n_days, gint64 us)
{
	gsize low = 0, high = (gsize) n_days + 1;

	if (us < bounds[0])
		return -1;
	/* invariant: bounds[low] <= us, and us < bounds[high] if high <= n_days */
	while (high - low > 1) {
		gsize mid = low + (high - low) / 2;

		if (bounds[mid] <= us)
			low = mid;
		else
			high = mid;
	}
	return (gssize) low;
}

static void
add_bout(GbStatsDay *days, const gint64 *bounds, guint n_days, const GbEvent *event)
{
	gint64 end = event->time_us;
	gint64 start = end - event->length_us;
	gssize first = find_day(bounds, n_days, start);

	if (event->length_us < 0)
		return;
	if (first >= 0 && first < (gssize) n_days) {
		GbStatsDay *day = &days[first];

		day->bouts++;
		day->longest_us = MAX(day->longest_us, event->length_us);
		if (event->limit_us > 0 && event->length_us > event->limit_us)
			day->over_limit++;
	}
	for (gssize i = MAX(first, 0); i < (gssize) n_days && bounds[i] < end; i++)
		days[i].sitting_us += MIN(end, bounds[i + 1]) - MAX(start, bounds[i]);
}

static void
add_done(GbStatsDay *day, const char *category)
{
	if (category == NULL)
		return;
	if (strcmp(category, "release") == 0)
		day->done_release++;
	else if (strcmp(category, "strengthen") == 0)
		day->done_strengthen++;
	else if (strcmp(category, "move") == 0)
		day->done_move++;
}

GbStatsDay *
gb_stats_compute(const GbEvent *events, gsize n_events, GTimeZone *tz, const GDate *first,
                 guint n_days)
{
	g_autofree gint64 *bounds = NULL;
	GbStatsDay *days;
	const GbEvent *last_reminder = NULL;
	GDate date = *first;

	g_return_val_if_fail(n_days >= 1 && g_date_valid(first), NULL);
	days = g_new0(GbStatsDay, n_days);
	bounds = g_new(gint64, (gsize) n_days + 1);
	for (guint i = 0; i <= n_days; i++) {
		bounds[i] = gb_stats_day_start(tz, &date);
		if (i < n_days) {
			days[i].date = date;
			days[i].start_us = bounds[i];
		}
		if (i > 0)
			days[i - 1].end_us = bounds[i];
		g_date_add_days(&date, 1);
	}

	for (gsize i = 0; i < n_events; i++) {
		const GbEvent *event = &events[i];
		gssize day = find_day(bounds, n_days, event->time_us);
		gboolean in_range = day >= 0 && day < (gssize) n_days;

		switch (event->kind) {
		case GB_EVENT_BOUT_END:
			add_bout(days, bounds, n_days, event);
			break;
		case GB_EVENT_REMINDER:
			last_reminder = event;
			if (in_range)
				days[day].reminders++;
			break;
		case GB_EVENT_ANSWER:
			if (!in_range || (guint) event->reply >= GB_REPLY_COUNT)
				break;
			days[day].answers[event->reply]++;
			if (event->reply != GB_REPLY_DONE)
				break;
			if (event->category != NULL)
				add_done(&days[day], event->category);
			else if (last_reminder != NULL &&
			         g_strcmp0(last_reminder->exercise, event->exercise) == 0)
				add_done(&days[day], last_reminder->category);
			break;
		case GB_EVENT_DAEMON_START:
		case GB_EVENT_DAEMON_STOP:
		case GB_EVENT_BOUT_START:
		case GB_EVENT_PAUSE:
		case GB_EVENT_RESUME:
		case GB_EVENT_HOLD_START:
		case GB_EVENT_HOLD_END:
		case GB_EVENT_LEVEL:
		default:
			break;
		}
	}
	return days;
}

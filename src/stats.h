/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "history.h"

G_BEGIN_DECLS

/* Per-day figures from history events (DESIGN.md §3, glutebreakctl stats): pure functions,
 * events in, rows out, on the local days of a time zone (23, 24 or 25 hours long).
 *
 * A bout is the interval [end - length, end] of its bout-end event (the length is the
 * daemon's own measure, on CLOCK_BOOTTIME; start= is for people). Its sitting is split
 * exactly at local midnights; the bout itself, whole, counts on the day it began: in
 * bouts, longest and over_limit. The bout in progress has no bout-end yet and counts once
 * it ends. Reminders and answers count on the day of their time. Exercises are counted
 * when answered Done, by the category of the answer, else of the reminder it answers: the
 * last reminder before it in file order, if that names the same exercise. Apart from that,
 * events need not be in any order. */
typedef struct {
	GDate date;           /* the local day */
	gint64 start_us;      /* its local midnight, Unix µs ... */
	gint64 end_us;        /* ... and the next one */
	gint64 sitting_us;    /* sitting within the day */
	guint bouts;          /* bouts that began this day */
	gint64 longest_us;    /* the longest of them, whole */
	guint over_limit;     /* those longer than the sit-limit in force for them */
	guint reminders;      /* reminders shown */
	guint answers[GB_REPLY_COUNT]; /* answers given, by GbReply */
	guint done_release;   /* exercises done, by category */
	guint done_strengthen;
	guint done_move;
} GbStatsDay;

/* Unix µs of the local midnight that begins @date in @tz (where a time-zone change skips
 * midnight, the first moment of the day). @date: years 1 to 9998. */
gint64 gb_stats_day_start(GTimeZone *tz, const GDate *date);

/* The first of the @n_days days (>= 1) that end with the local day of @now_us in @tz. */
void gb_stats_first_day(GTimeZone *tz, gint64 now_us, guint n_days, GDate *first);

/* @n_days rows (>= 1), one per local day from @first, days without events included. @events
 * as gb_history_log_get_events() returns them. Caller frees with g_free(). */
GbStatsDay *gb_stats_compute(const GbEvent *events, gsize n_events, GTimeZone *tz,
                             const GDate *first, guint n_days);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* [schedule] active (DESIGN.md §2): when reminders may show. Pure: no clock is read here. */
typedef struct _GbSchedule GbSchedule;

/* "mon-fri 09:00-17:30, sat 10:00-12:00": items separated by commas, each a day or a day
 * range (mon..sun, a range may wrap: fri-mon) followed by one or more HH:MM-HH:MM ranges; a
 * time range whose end is not after its start crosses midnight into the next day; "" (or
 * only blanks) = always. Errors are GB_ERROR_INVALID_CONFIG, the message without a
 * FILE:LINE prefix (the caller adds it), saying what is wrong and what to write instead. */
GbSchedule *gb_schedule_parse(const char *text, GError **error);
void gb_schedule_free(GbSchedule *schedule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbSchedule, gb_schedule_free)
GbSchedule *gb_schedule_copy(const GbSchedule *schedule);
/* The schedule spelt one day at a time, "mon 09:00-17:30, sat 10:00-12:00" (a range that
 * crosses midnight is split there), "" for always; it parses back to an equal schedule.
 * Caller frees. */
char *gb_schedule_to_string(const GbSchedule *schedule);

/* In these, a NULL schedule is the empty one: always. An empty schedule and one that covers
 * the whole week are the same, always. */
gboolean gb_schedule_is_always(const GbSchedule *schedule);
gboolean gb_schedule_equal(const GbSchedule *a, const GbSchedule *b);
/* Whether @now (a local time, in any GTimeZone) is inside the schedule, and the next moment
 * after @now when that answer changes, as Unix µs (G_MAXINT64: never; the pointer may be
 * NULL). Correct across DST: wall times that do not exist or exist twice are taken as GLib
 * does (g_date_time_new; GLib 2.74 makes a time in a gap the end of the gap, and a repeated
 * time its second occurrence); the next change is always strictly after @now. */
gboolean gb_schedule_active_at(const GbSchedule *schedule, GDateTime *now,
                               gint64 *next_change_unix_us);

G_END_DECLS

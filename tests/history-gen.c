/* SPDX-License-Identifier: MIT */
/* A workday as the daemon would write it (tests/history-gen.h has its sums). */
#include "history-gen.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)

typedef struct {
	GTimeZone *tz;
	GDate date;
	GbGenFunc func;
	gpointer user_data;
	guint count;
} Gen;

/* @hour:@minute local, on the day or (@next_day) the next one */
static gint64
at(const Gen *gen, gboolean next_day, int hour, int minute)
{
	GDate date = gen->date;
	g_autoptr(GDateTime) time = NULL;

	if (next_day)
		g_date_add_days(&date, 1);
	time = g_date_time_new(gen->tz, g_date_get_year(&date), g_date_get_month(&date),
	                       g_date_get_day(&date), hour, minute, 0);
	return g_date_time_to_unix(time) * G_USEC_PER_SEC;
}

static void
emit(Gen *gen, GbEvent event)
{
	gen->func(&event, gen->user_data);
	gen->count++;
}

static void
simple(Gen *gen, GbEventKind kind, gint64 time_us)
{
	emit(gen, (GbEvent) { .kind = kind, .time_us = time_us });
}

static void
bout_end(Gen *gen, gint64 start_us, int minutes, const char *how)
{
	emit(gen, (GbEvent) { .kind = GB_EVENT_BOUT_END, .time_us = start_us + minutes * MIN_US,
	                      .start_us = start_us, .length_us = minutes * MIN_US,
	                      .limit_us = 45 * MIN_US, .break_kind = how });
}

static void
reminder(Gen *gen, gint64 start_us, int minutes, const char *exercise, const char *category)
{
	emit(gen, (GbEvent) { .kind = GB_EVENT_REMINDER, .time_us = start_us + minutes * MIN_US,
	                      .exercise = exercise, .category = category,
	                      .sitting_us = minutes * MIN_US, .level = minutes > 90 ? 2 : 0 });
}

static void
answer(Gen *gen, gint64 time_us, GbReply reply, const char *exercise, const char *category)
{
	emit(gen, (GbEvent) { .kind = GB_EVENT_ANSWER, .time_us = time_us, .reply = reply,
	                      .exercise = exercise, .category = category });
}

static void
workday(Gen *gen)
{
	gint64 start;

	simple(gen, GB_EVENT_DAEMON_START, at(gen, FALSE, 8, 0));
	/* 50 min, Done after one reminder */
	simple(gen, GB_EVENT_BOUT_START, start = at(gen, FALSE, 8, 5));
	reminder(gen, start, 45, "glute-bridge", "strengthen");
	answer(gen, start + 50 * MIN_US, GB_REPLY_DONE, "glute-bridge", NULL);
	bout_end(gen, start, 50, "done");
	/* 30 min, a natural break (the line comes break-length later) */
	simple(gen, GB_EVENT_BOUT_START, start = at(gen, FALSE, 9, 10));
	bout_end(gen, start, 30, "natural");
	/* 70 min: ignored, snoozed, Done */
	simple(gen, GB_EVENT_BOUT_START, start = at(gen, FALSE, 10, 0));
	reminder(gen, start, 45, "clamshell", "strengthen");
	answer(gen, start + 55 * MIN_US, GB_REPLY_IGNORED, "clamshell", NULL);
	reminder(gen, start, 55, "pigeon", "release");
	answer(gen, start + 56 * MIN_US, GB_REPLY_SNOOZE, "pigeon", NULL);
	reminder(gen, start, 66, "figure-4-stretch", "release");
	answer(gen, start + 70 * MIN_US, GB_REPLY_DONE, "figure-4-stretch", NULL);
	bout_end(gen, start, 70, "done");
	/* 40 min, ended by the lock; a pause over lunch, with a hold in it */
	simple(gen, GB_EVENT_BOUT_START, start = at(gen, FALSE, 11, 30));
	bout_end(gen, start, 40, "lock");
	emit(gen, (GbEvent) { .kind = GB_EVENT_PAUSE, .time_us = at(gen, FALSE, 12, 15),
	                      .until_us = at(gen, FALSE, 13, 15) });
	emit(gen, (GbEvent) { .kind = GB_EVENT_HOLD_START, .time_us = at(gen, FALSE, 12, 20),
	                      .reason = "do-not-disturb" });
	emit(gen, (GbEvent) { .kind = GB_EVENT_HOLD_END, .time_us = at(gen, FALSE, 12, 40),
	                      .reason = "do-not-disturb" });
	simple(gen, GB_EVENT_RESUME, at(gen, FALSE, 12, 50));
	/* 100 min: skipped, then withdrawn by the break, written after the bout's end */
	simple(gen, GB_EVENT_BOUT_START, start = at(gen, FALSE, 13, 0));
	reminder(gen, start, 45, "sit-to-stand", "strengthen");
	answer(gen, start + 46 * MIN_US, GB_REPLY_SKIP, "sit-to-stand", NULL);
	reminder(gen, start, 91, "glute-bridge", "strengthen");
	answer(gen, start + 103 * MIN_US, GB_REPLY_WITHDRAWN, "glute-bridge", NULL);
	bout_end(gen, start, 100, "natural");
	/* 70 min: snoozed, ignored, Done (the answer names its category) */
	simple(gen, GB_EVENT_BOUT_START, start = at(gen, FALSE, 15, 0));
	reminder(gen, start, 45, "marching", "move");
	answer(gen, start + 46 * MIN_US, GB_REPLY_SNOOZE, "marching", NULL);
	reminder(gen, start, 56, "walk", "move");
	answer(gen, start + 66 * MIN_US, GB_REPLY_IGNORED, "walk", NULL);
	reminder(gen, start, 66, "stairs", "move");
	answer(gen, start + 70 * MIN_US, GB_REPLY_DONE, "stairs", "move");
	bout_end(gen, start, 70, "done");
	/* 50 min across midnight, the reminder after it */
	simple(gen, GB_EVENT_BOUT_START, start = at(gen, FALSE, 23, 30));
	reminder(gen, start, 45, "standing-hip-extension", "strengthen");
	answer(gen, start + 53 * MIN_US, GB_REPLY_WITHDRAWN, "standing-hip-extension", NULL);
	bout_end(gen, start, 50, "natural");
	simple(gen, GB_EVENT_DAEMON_STOP, at(gen, TRUE, 0, 30));
}

guint
gb_test_generate_history(GTimeZone *tz, const GDate *first, guint n_days, GbGenFunc func,
                         gpointer user_data)
{
	Gen gen = { .tz = tz, .date = *first, .func = func, .user_data = user_data };

	for (guint i = 0; i < n_days; i++) {
		if (g_date_get_weekday(&gen.date) <= G_DATE_FRIDAY)
			workday(&gen);
		g_date_add_days(&gen.date, 1);
	}
	return gen.count;
}

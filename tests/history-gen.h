/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "history.h"

G_BEGIN_DECLS

/* Years of a regular desk life, for tests/test-stats.c and bench/history-stats.c: every
 * Monday to Friday the same plan (tests/history-gen.c), weekends empty. Events are given
 * in the order the daemon writes them, which is not time order. */
typedef void (*GbGenFunc)(const GbEvent *event, gpointer user_data);

/* The days from @first, @n_days of them, in @tz. Returns the number of events. */
guint gb_test_generate_history(GTimeZone *tz, const GDate *first, guint n_days, GbGenFunc func,
                               gpointer user_data);

/* What a workday holds before its midnight ... */
#define GB_GEN_EVENTS       40  /* a workday's events (some fall on the next day) */
#define GB_GEN_SITTING_MIN  390 /* 7 bouts, the last one's first 30 min */
#define GB_GEN_BOUTS        7
#define GB_GEN_LONGEST_MIN  100
#define GB_GEN_OVER_LIMIT   5   /* sit-limit 45 min */
#define GB_GEN_REMINDERS    9
#define GB_GEN_DONE         3   /* one each: strengthen, release, move */
#define GB_GEN_SNOOZE       2
#define GB_GEN_SKIP         1
#define GB_GEN_IGNORED      2
#define GB_GEN_WITHDRAWN    1
/* ... and what its last bout brings the next day: 20 min of sitting, a reminder and its
 * withdrawn answer */
#define GB_GEN_CARRY_SITTING_MIN 20

G_END_DECLS

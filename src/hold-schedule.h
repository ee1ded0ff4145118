/* SPDX-License-Identifier: MIT */
#pragma once

#include "hold.h"
#include "schedule.h"

G_BEGIN_DECLS

/* The [schedule] hold: GB_HOLD_SCHEDULE is on (detail NULL) while the local time is outside
 * @schedule. Wakes only at the schedule's boundaries and when the wall clock is set. */
typedef struct _GbHoldSchedule GbHoldSchedule;

/* @schedule (nullable: always) is copied. The first report comes from the main loop, after
 * this returns; an always schedule never reports and uses no timer. */
GbHoldSchedule *gb_hold_schedule_new(GbHold *hold, const GbSchedule *schedule);
/* For tests: as gb_hold_schedule_new(), but the first evaluation takes @first_now (a local
 * time; NULL: the clock) and arms the timer for the change that follows it, which may be
 * in the past and then fires at once; every later one reads the clock. */
GbHoldSchedule *gb_hold_schedule_new_at(GbHold *hold, const GbSchedule *schedule,
                                        GDateTime *first_now);
void gb_hold_schedule_free(GbHoldSchedule *sensor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHoldSchedule, gb_hold_schedule_free)

G_END_DECLS

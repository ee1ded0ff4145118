/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "core.h"
#include "exercises.h"
#include "history.h"
#include "state.h"

G_BEGIN_DECLS

/* What goes into the history (DESIGN.md rule 13), read off the core after each of its steps
 * and off the reminders: a bout when it starts and when it ends (how, and for how long), each
 * reminder and what became of it, pauses. Times in: CLOCK_BOOTTIME µs, with @wall_offset_us
 * (Unix µs - CLOCK_BOOTTIME µs) to write them as the wall clock's. */

typedef struct _GbRecord GbRecord;

/* Takes @history. Records no bout or pause until gb_record_start(). */
GbRecord *gb_record_new(GbHistory *history);
void gb_record_free(GbRecord *record); /* NULL is fine */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbRecord, gb_record_free)

/* The daemon started (at @now_wall_us, Unix µs): from now on pauses are recorded. */
void gb_record_start(GbRecord *record, const GbCore *core, gint64 now_wall_us);
/* The saved state was read (at @now_us): from now on bouts are recorded. @lost: the bout of
 * the previous run that did not go on (NULL: none), which ended when that run was last heard
 * of. @resumed: the core's bout is that previous run's, already in the history. */
void gb_record_restored(GbRecord *record, const GbSavedState *lost, const GbCore *core,
                        gboolean resumed, gint64 limit_us, gint64 wall_offset_us,
                        gint64 now_us);
/* After the core took a step that returned @actions; @limit_us: the sit-limit in force. */
void gb_record_step(GbRecord *record, const GbCore *core, GbActions actions, gint64 limit_us,
                    gint64 wall_offset_us, gint64 now_us);
/* A reminder is shown (replacing one on screen: that one was ignored). */
void gb_record_reminder(GbRecord *record, const GbExercise *exercise, guint level,
                        gint64 sitting_us, gint64 now_wall_us);
/* The programme moved @id from level @from to @level (@change: up, down, ...), or, with
 * @change "too-hard", the user said it is too hard at @level. */
void gb_record_level(GbRecord *record, const char *id, const char *change, guint from,
                     guint level, gint64 now_wall_us);
/* What became of the reminder on screen, if there is one. */
void gb_record_reply(GbRecord *record, GbReply reply, gint64 now_wall_us);
/* The holds on now (GbHoldReason bits): a hold-start or hold-end for each that changed. */
void gb_record_holds(GbRecord *record, guint reasons, gint64 now_wall_us);
/* The daemon stops: the holds on end, then daemon-stop. */
void gb_record_end(GbRecord *record, gint64 now_wall_us);

G_END_DECLS

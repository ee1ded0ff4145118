/* SPDX-License-Identifier: MIT */
#include "hold.h"
#include "record.h"

struct _GbRecord {
	GbHistory *history;
	gboolean started;        /* daemon-start written: pauses are recorded */
	gboolean bouts;          /* the saved state was read: bouts are recorded */
	gboolean in_bout;        /* a bout-start was written (or the previous run's goes on) */
	gint64 bout_start;       /* CLOCK_BOOTTIME µs, while in_bout */
	gint64 paused_until;     /* CLOCK_BOOTTIME µs; -1: not paused */
	char *shown;             /* the exercise of the reminder on screen; NULL: none */
	const char *category;    /* its category (a static string) */
	guint holds;             /* GbHoldReason: the holds whose start was written */
	guint holds_now;         /* GbHoldReason: the holds on now */
};

GbRecord *
gb_record_new(GbHistory *history)
{
	GbRecord *self = g_new0(GbRecord, 1);

	self->history = history;
	self->paused_until = -1;
	return self;
}

void
gb_record_free(GbRecord *record)
{
	if (record == NULL)
		return;
	gb_history_free(record->history);
	g_free(record->shown);
	g_free(record);
}

static void
append(GbRecord *self, GbEventKind kind, gint64 time_us)
{
	GbEvent event = { .kind = kind, .time_us = time_us };

	gb_history_append(self->history, &event);
}

/* hold-start and hold-end for each reason that changed since the last call */
static void
write_holds(GbRecord *self, gint64 now_wall_us)
{
	for (guint bit = 1; bit <= GB_HOLD_CAMERA; bit <<= 1) {
		GbEvent event = { .time_us = now_wall_us, .reason = gb_hold_reason_to_string(bit) };

		if (!((self->holds ^ self->holds_now) & bit))
			continue;
		event.kind = self->holds_now & bit ? GB_EVENT_HOLD_START : GB_EVENT_HOLD_END;
		gb_history_append(self->history, &event);
	}
	self->holds = self->holds_now;
}

void
gb_record_start(GbRecord *self, const GbCore *core, gint64 now_wall_us)
{
	self->started = TRUE;
	self->paused_until = gb_core_get_paused_until(core);
	append(self, GB_EVENT_DAEMON_START, now_wall_us);
	write_holds(self, now_wall_us); /* the holds that came on before */
}

void
gb_record_restored(GbRecord *self, const GbSavedState *lost, const GbCore *core,
                   gboolean resumed, gint64 limit_us, gint64 wall_offset_us, gint64 now_us)
{
	if (lost != NULL && lost->in_bout) {
		/* the user was away while no daemon ran: the bout ended when it was last seen */
		GbEvent event = {
			.kind = GB_EVENT_BOUT_END,
			.time_us = lost->saved_wall,
			.start_us = lost->bout_start_wall,
			.length_us = MAX(lost->saved_wall - lost->bout_start_wall, 0),
			.limit_us = limit_us,
			.break_kind = "stopped",
		};

		gb_history_append(self->history, &event);
	}
	self->bouts = TRUE;
	if (resumed && gb_core_in_bout(core)) {
		self->in_bout = TRUE;
		self->bout_start = gb_core_get_bout_start(core);
	}
	gb_record_step(self, core, GB_ACTION_NONE, limit_us, wall_offset_us, now_us);
}

void
gb_record_step(GbRecord *self, const GbCore *core, GbActions actions, gint64 limit_us,
               gint64 wall_offset_us, gint64 now_us)
{
	gboolean in_bout = gb_core_in_bout(core);
	gint64 start = in_bout ? gb_core_get_bout_start(core) : 0;
	gint64 paused_until = gb_core_get_paused_until(core);

	if (!self->started)
		return;
	/* a bout ends before a pause begins; a resume comes before the bout it starts */
	if (self->bouts && self->in_bout && (!in_bout || start != self->bout_start)) {
		GbEvent event = {
			.kind = GB_EVENT_BOUT_END,
			.start_us = self->bout_start + wall_offset_us,
			.limit_us = limit_us,
			.break_kind = "pause", /* the only way out of a bout without a break */
			.time_us = now_us + wall_offset_us,
		};

		if (actions & GB_ACTION_BREAK_STARTED) {
			GbBreakKind kind;
			gint64 break_start;

			gb_core_get_last_break(core, &kind, &break_start, NULL);
			event.break_kind = gb_break_kind_to_string(kind);
			event.time_us = break_start + wall_offset_us;
		}
		event.length_us = MAX(event.time_us - event.start_us, 0);
		gb_history_append(self->history, &event);
	}
	if (paused_until != self->paused_until) {
		if (paused_until >= 0) {
			GbEvent event = {
				.kind = GB_EVENT_PAUSE,
				.time_us = now_us + wall_offset_us,
				.until_us = paused_until + wall_offset_us,
			};

			gb_history_append(self->history, &event);
		} else {
			append(self, GB_EVENT_RESUME, now_us + wall_offset_us);
		}
	}
	self->paused_until = paused_until;
	if (!self->bouts)
		return;
	if (in_bout && (!self->in_bout || start != self->bout_start))
		append(self, GB_EVENT_BOUT_START, start + wall_offset_us);
	self->in_bout = in_bout;
	self->bout_start = start;
}

void
gb_record_reminder(GbRecord *self, const GbExercise *exercise, guint level, gint64 sitting_us,
                   gint64 now_wall_us)
{
	GbEvent event = {
		.kind = GB_EVENT_REMINDER,
		.time_us = now_wall_us,
		.exercise = exercise != NULL ? exercise->id : NULL,
		.category = exercise != NULL ? gb_category_to_string(exercise->category) : NULL,
		.sitting_us = sitting_us,
		.level = (int) level,
	};

	gb_record_reply(self, GB_REPLY_IGNORED, now_wall_us); /* the one it replaces */
	gb_history_append(self->history, &event);
	g_free(self->shown);
	self->shown = g_strdup(exercise != NULL ? exercise->id : "");
	self->category = event.category;
}

void
gb_record_reply(GbRecord *self, GbReply reply, gint64 now_wall_us)
{
	GbEvent event = { .kind = GB_EVENT_ANSWER, .time_us = now_wall_us, .reply = reply };

	if (self->shown == NULL)
		return;
	event.exercise = *self->shown != '\0' ? self->shown : NULL;
	event.category = self->category;
	gb_history_append(self->history, &event);
	g_clear_pointer(&self->shown, g_free);
}

void
gb_record_level(GbRecord *self, const char *id, const char *change, guint from, guint level,
                gint64 now_wall_us)
{
	GbEvent event = {
		.kind = GB_EVENT_LEVEL,
		.time_us = now_wall_us,
		.exercise = id,
		.change = change,
		.from_level = (int) from,
		.level = (int) level,
	};

	gb_history_append(self->history, &event);
}

void
gb_record_holds(GbRecord *self, guint reasons, gint64 now_wall_us)
{
	self->holds_now = reasons;
	if (self->started)
		write_holds(self, now_wall_us);
}

void
gb_record_end(GbRecord *self, gint64 now_wall_us)
{
	if (!self->started)
		return;
	self->holds_now = 0; /* a hold that is on ends with the daemon */
	write_holds(self, now_wall_us);
	append(self, GB_EVENT_DAEMON_STOP, now_wall_us);
}

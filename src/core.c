/* SPDX-License-Identifier: MIT */
/* The reminder state machine. See core.h and DESIGN.md §1.
 *
 * Invariants:
 *  - bout_start != UNSET exactly while a sitting bout runs (not on break, not paused);
 *  - away_since != UNSET only inside a bout, while the user is away (idle, locked or
 *    suspended) and that away time has not yet turned into a break: once
 *    now - away_since >= break_us the bout ends at away_since, which is the last input
 *    ("a break begins at the last input before it");
 *  - outside a bout, the user is known to be absent while idle or locked: nothing but
 *    their return (input, unlock) starts the next bout then;
 *  - while away, reminders are held back: one that falls due is shown at the next input
 *    if that input comes before the break is complete;
 *  - held_back only inside a bout: a reminder fell due while held (or the check said so);
 *    released != UNSET only while held_back and not held: when the hold ended, so the
 *    reminder shows after_hold_us later;
 *  - checking only inside a bout: GB_ACTION_CHECK_HOLD went out, no answer yet; no reminder
 *    is due until it comes. */
#include "core.h"

/* "none" for bout_start, away_since and paused_until. Not -1: after a reboot
 * a restored bout can start at a negative CLOCK_BOOTTIME. */
#define UNSET G_MININT64

typedef enum {
	NEXT_FIRST,  /* bout start + sit */
	NEXT_REPEAT, /* last reminder + repeat */
	NEXT_SNOOZE, /* snooze press + snooze duration */
	NEXT_SKIP,   /* skip press + sit */
} NextKind;

struct _GbCore {
	GbTimings timings;
	gboolean have_input;
	gboolean idle, locked;
	gint64 bout_start;
	gint64 away_since;
	gint64 paused_until;   /* UNSET: not paused */

	NextKind next_kind;    /* the next reminder is at next_anchor + its interval */
	gint64 next_anchor;
	gint64 snooze_us;      /* interval of NEXT_SNOOZE */
	gboolean shown;        /* a reminder is on screen */
	guint unanswered;
	guint skips;           /* since the last break */

	gboolean held;         /* a hold is on (rule 10) */
	gboolean held_back;    /* a reminder fell due during the hold */
	gint64 released;       /* when the hold ended with one held back; UNSET: not yet */
	gboolean check;        /* due reminders are checked first (GB_ACTION_CHECK_HOLD) */
	gboolean checking;     /* the check is out */

	gboolean suspended;    /* inside gb_core_suspended() */
	GbBreakKind break_kind;
	gint64 break_start, break_bout_us;
};

static GbActions tick(GbCore *self, gint64 now);

/* What a bout start, a break, a pause or an answer ends: a reminder held back, a check out. */
static void
forget_held_back(GbCore *self)
{
	self->held_back = FALSE;
	self->released = UNSET;
	self->checking = FALSE;
}

static GbActions
start_bout(GbCore *self, gint64 now)
{
	self->bout_start = now;
	self->next_kind = NEXT_FIRST;
	self->next_anchor = now;
	self->unanswered = 0;
	self->skips = 0;
	forget_held_back(self);
	return GB_ACTION_STATE_CHANGED | GB_ACTION_PERSIST;
}

static GbActions
end_bout(GbCore *self, gint64 at, GbBreakKind kind)
{
	GbActions actions = GB_ACTION_BREAK_STARTED | GB_ACTION_STATE_CHANGED | GB_ACTION_PERSIST;

	self->break_kind = kind;
	self->break_start = at;
	self->break_bout_us = MAX(at - self->bout_start, 0);
	self->bout_start = UNSET;
	self->away_since = UNSET;
	self->unanswered = 0;
	self->skips = 0;
	forget_held_back(self);
	if (self->shown) {
		self->shown = FALSE;
		actions |= GB_ACTION_HIDE_REMINDER;
	}
	/* An idle source only reports the end of idle periods it reported; ask
	 * for the next input explicitly when it does not think we are idle. */
	if (self->have_input && !self->idle)
		actions |= GB_ACTION_WATCH_ACTIVITY;
	return actions;
}

static gint64
next_reminder(const GbCore *self)
{
	switch (self->next_kind) {
	case NEXT_FIRST:
	case NEXT_SKIP:
		return self->next_anchor + self->timings.sit_us;
	case NEXT_REPEAT:
		return self->next_anchor + self->timings.repeat_us;
	case NEXT_SNOOZE:
		return self->next_anchor + self->snooze_us;
	default:
		g_assert_not_reached();
	}
}

#define NEVER G_MAXINT64

/* When the next reminder shows (or is checked, or held back), once present. */
static gint64
reminder_due(const GbCore *self)
{
	if (self->checking)
		return NEVER;
	if (self->held)
		return self->held_back ? NEVER : next_reminder(self);
	if (self->held_back && self->released != UNSET)
		return self->released + self->timings.after_hold_us;
	return next_reminder(self);
}

static GbActions
show(GbCore *self, gint64 now)
{
	forget_held_back(self);
	self->shown = TRUE;
	self->unanswered++;
	self->next_kind = NEXT_REPEAT;
	self->next_anchor = now;
	return GB_ACTION_SHOW_REMINDER | GB_ACTION_STATE_CHANGED;
}

/* A reminder is due: shown, held back, or checked first. */
static GbActions
due(GbCore *self, gint64 now)
{
	if (self->held) {
		self->held_back = TRUE;
		self->released = UNSET;
		return GB_ACTION_STATE_CHANGED;
	}
	if (self->check) {
		self->checking = TRUE;
		return GB_ACTION_CHECK_HOLD;
	}
	return show(self, now);
}

static gboolean
paused(const GbCore *self)
{
	return self->paused_until != UNSET;
}

/* Outside a bout: the user is known not to be at the computer. */
static gboolean
absent(const GbCore *self)
{
	return self->idle || self->locked;
}

/* A bout starts here when nothing else will start it: timer-only mode, unless the screen
 * is locked (unlocking starts it). */
static GbActions
settle(GbCore *self, gint64 now)
{
	if (self->bout_start == UNSET && !paused(self) && !self->have_input && !self->locked)
		return start_bout(self, now);
	return GB_ACTION_NONE;
}

/* The user is at the computer now (input, unlock). */
static GbActions
present(GbCore *self, gint64 now)
{
	GbActions actions = tick(self, now); /* a break that completed before this input */

	self->away_since = UNSET;
	if (self->bout_start == UNSET && !paused(self))
		actions |= start_bout(self, now);
	return actions | tick(self, now);
}

static GbActions
away(GbCore *self, gint64 since, gint64 now)
{
	since = MIN(since, now);
	if (self->bout_start != UNSET &&
	    (self->away_since == UNSET || since < self->away_since)) {
		self->away_since = since;
		return tick(self, now) | GB_ACTION_STATE_CHANGED;
	}
	return tick(self, now);
}

static GbBreakKind
away_kind(const GbCore *self)
{
	if (self->suspended)
		return GB_BREAK_SUSPEND;
	if (self->locked)
		return GB_BREAK_LOCK;
	return GB_BREAK_NATURAL;
}

static GbActions
tick(GbCore *self, gint64 now)
{
	GbActions actions = GB_ACTION_NONE;

	if (paused(self) && now >= self->paused_until)
		actions |= gb_core_resume(self, now);
	if (self->bout_start == UNSET)
		return actions;
	if (self->away_since != UNSET) {
		if (now - self->away_since >= self->timings.break_us)
			actions |= end_bout(self, MAX(self->away_since, self->bout_start),
			                    away_kind(self));
		return actions;
	}
	if (now >= reminder_due(self))
		actions |= due(self, now);
	return actions;
}

GbCore *
gb_core_new(const GbTimings *timings, gboolean have_input, gint64 now_us)
{
	GbCore *self;

	g_return_val_if_fail(timings != NULL, NULL);
	self = g_new0(GbCore, 1);
	self->timings = *timings;
	self->have_input = have_input;
	self->away_since = UNSET;
	self->paused_until = UNSET;
	(void) start_bout(self, now_us);
	return self;
}

void
gb_core_free(GbCore *core)
{
	g_free(core);
}

GbActions
gb_core_set_timings(GbCore *core, const GbTimings *timings, gint64 now_us)
{
	core->timings = *timings;
	/* the schedule is kept as anchor + interval, so it follows the new values */
	return tick(core, now_us) | GB_ACTION_STATE_CHANGED;
}

GbActions
gb_core_input_source_changed(GbCore *core, gboolean have_input, gint64 now_us)
{
	GbActions actions = tick(core, now_us);
	gboolean was_idle = core->idle;

	/* The new source reports idleness afresh; what the old one was going to tell us (the
	 * end of an idle period, the next input) is lost. */
	core->idle = FALSE;
	if (core->have_input != have_input)
		actions |= GB_ACTION_STATE_CHANGED;
	core->have_input = have_input;
	/* timer-only from an idle period on: nobody will report its end, so it ends now */
	if (!have_input && was_idle && !core->locked)
		actions |= present(core, now_us);
	actions |= settle(core, now_us);
	if (have_input && core->bout_start == UNSET && !paused(core) && !core->locked)
		actions |= GB_ACTION_WATCH_ACTIVITY;
	return actions;
}

GbActions
gb_core_idle(GbCore *core, gint64 since_us, gint64 now_us)
{
	core->idle = TRUE;
	return away(core, since_us, now_us);
}

GbActions
gb_core_active(GbCore *core, gint64 now_us)
{
	core->idle = FALSE;
	if (core->locked)
		return tick(core, now_us);
	return present(core, now_us);
}

GbActions
gb_core_set_locked(GbCore *core, gboolean locked, gint64 now_us)
{
	if (core->locked == locked)
		return GB_ACTION_NONE;
	core->locked = locked;
	if (locked)
		return away(core, now_us, now_us);
	core->idle = FALSE; /* unlocking takes input */
	return present(core, now_us) | GB_ACTION_STATE_CHANGED;
}

GbActions
gb_core_suspended(GbCore *core, gint64 since_us, gint64 now_us)
{
	GbActions actions;

	core->suspended = TRUE;
	actions = away(core, since_us, now_us);
	core->suspended = FALSE;
	if (absent(core))
		return actions;         /* still away: the return is reported as usual */
	/* Awake again. A short suspend was just a pause in the bout. */
	if (core->bout_start != UNSET)
		return actions | present(core, now_us);
	/* After a break the next bout starts at the next input (asked for when the bout
	 * ended), or now in timer-only mode. */
	return actions | settle(core, now_us);
}

GbActions
gb_core_tick(GbCore *core, gint64 now_us)
{
	return tick(core, now_us);
}

GbActions
gb_core_set_held(GbCore *core, gboolean held, gint64 now_us)
{
	if (core->held == held)
		return GB_ACTION_NONE;
	core->held = held;
	core->released = !held && core->held_back ? now_us : UNSET;
	return tick(core, now_us) | GB_ACTION_STATE_CHANGED;
}

GbActions
gb_core_set_hold_check(GbCore *core, gboolean needed, gint64 now_us)
{
	core->check = needed;
	if (!needed && core->checking) {
		core->checking = FALSE; /* the answer will not be waited for */
		return tick(core, now_us);
	}
	return GB_ACTION_NONE;
}

GbActions
gb_core_hold_checked(GbCore *core, gboolean held, gint64 now_us)
{
	if (!core->checking)
		return GB_ACTION_NONE; /* late: a break, an answer or a pause came in between */
	core->checking = FALSE;
	if (held || core->held) {
		/* asked again at the next repeat, or shown after the hold ends */
		core->held_back = TRUE;
		core->released = UNSET;
		core->next_kind = NEXT_REPEAT;
		core->next_anchor = now_us;
		return GB_ACTION_STATE_CHANGED;
	}
	if (core->away_since != UNSET)
		return GB_ACTION_NONE; /* due again at the return */
	return show(core, now_us);
}

GbActions
gb_core_answer(GbCore *core, GbAnswer answer, gint64 duration_us, gint64 now_us)
{
	GbActions actions = GB_ACTION_STATE_CHANGED;

	if (answer == GB_ANSWER_IGNORED) {
		/* dismissed: the repeat schedule goes on and it stays unanswered */
		core->shown = FALSE;
		return actions;
	}
	if (core->bout_start == UNSET)
		return GB_ACTION_NONE; /* an answer to a reminder already withdrawn */
	if (core->shown) {
		core->shown = FALSE;
		actions |= GB_ACTION_HIDE_REMINDER;
	}
	core->unanswered = 0;
	forget_held_back(core);
	switch (answer) {
	case GB_ANSWER_DONE:
	case GB_ANSWER_TOO_HARD:
		return actions | gb_core_take_break(core, now_us);
	case GB_ANSWER_SNOOZE:
		core->next_kind = NEXT_SNOOZE;
		core->next_anchor = now_us;
		core->snooze_us = duration_us > 0 ? duration_us : core->timings.snooze_us;
		break;
	case GB_ANSWER_SKIP:
		core->skips++;
		core->next_kind = NEXT_SKIP;
		core->next_anchor = now_us;
		break;
	case GB_ANSWER_IGNORED:
	default:
		g_assert_not_reached();
	}
	return actions | tick(core, now_us);
}

GbActions
gb_core_take_break(GbCore *core, gint64 now_us)
{
	GbActions actions;

	if (core->bout_start == UNSET)
		return GB_ACTION_NONE;
	actions = end_bout(core, now_us, GB_BREAK_DONE);
	return actions | settle(core, now_us);
}

GbActions
gb_core_pause(GbCore *core, gint64 duration_us, gint64 now_us)
{
	GbActions actions = GB_ACTION_STATE_CHANGED | GB_ACTION_PERSIST;

	g_return_val_if_fail(duration_us > 0, GB_ACTION_NONE);
	core->paused_until = now_us + duration_us;
	core->bout_start = UNSET;
	core->unanswered = 0;
	forget_held_back(core);
	if (core->shown) {
		core->shown = FALSE;
		actions |= GB_ACTION_HIDE_REMINDER;
	}
	return actions;
}

GbActions
gb_core_resume(GbCore *core, gint64 now_us)
{
	if (!paused(core))
		return GB_ACTION_NONE;
	core->paused_until = UNSET;
	/* the resume command (or the pause running out) is the start of a new bout
	 * unless the user is known to be away */
	if (!absent(core))
		return start_bout(core, now_us);
	return GB_ACTION_STATE_CHANGED | GB_ACTION_PERSIST;
}

GbActions
gb_core_restore_bout(GbCore *core, gint64 bout_start_us, gint64 now_us)
{
	if (bout_start_us > now_us || core->bout_start == UNSET)
		return GB_ACTION_NONE;
	core->bout_start = bout_start_us;
	core->next_kind = NEXT_FIRST;
	core->next_anchor = bout_start_us;
	if (core->away_since != UNSET)
		core->away_since = MAX(core->away_since, bout_start_us);
	return tick(core, now_us) | GB_ACTION_STATE_CHANGED | GB_ACTION_PERSIST;
}

gint64
gb_core_next_deadline(const GbCore *core)
{
	gint64 deadline;

	if (paused(core))
		deadline = core->paused_until;
	else if (core->bout_start == UNSET)
		return -1;
	else if (core->away_since != UNSET)
		deadline = core->away_since + core->timings.break_us;
	else if ((deadline = reminder_due(core)) == NEVER)
		return -1;
	/* a bout restored from before a reboot can put it before boot: due now */
	return MAX(deadline, 0);
}

GbState
gb_core_get_state(const GbCore *core)
{
	if (paused(core))
		return GB_STATE_PAUSED;
	if (core->bout_start == UNSET)
		return GB_STATE_ON_BREAK;
	if (core->away_since != UNSET)
		return GB_STATE_AWAY;
	if (core->held || core->held_back)
		return GB_STATE_HELD;
	return core->shown || core->unanswered > 0 ? GB_STATE_OVERDUE : GB_STATE_SITTING;
}

gboolean
gb_core_in_bout(const GbCore *core)
{
	return core->bout_start != UNSET;
}

gint64
gb_core_get_bout_start(const GbCore *core)
{
	g_return_val_if_fail(core->bout_start != UNSET, 0);
	return core->bout_start;
}

gint64
gb_core_get_sitting_us(const GbCore *core, gint64 now_us)
{
	return core->bout_start == UNSET ? 0 : MAX(now_us - core->bout_start, 0);
}

gint64
gb_core_get_next_reminder(const GbCore *core)
{
	gint64 at;

	if (core->bout_start == UNSET || (at = reminder_due(core)) == NEVER)
		return -1;
	return MAX(at, 0);
}

gint64
gb_core_get_paused_until(const GbCore *core)
{
	return paused(core) ? core->paused_until : -1;
}

guint
gb_core_get_unanswered(const GbCore *core)
{
	return core->unanswered;
}

gboolean
gb_core_get_held_back(const GbCore *core)
{
	return core->held_back;
}

guint
gb_core_get_skips(const GbCore *core)
{
	return core->skips;
}

gboolean
gb_core_get_have_input(const GbCore *core)
{
	return core->have_input;
}

void
gb_core_get_last_break(const GbCore *core, GbBreakKind *kind, gint64 *start_us, gint64 *bout_us)
{
	if (kind != NULL)
		*kind = core->break_kind;
	if (start_us != NULL)
		*start_us = core->break_start;
	if (bout_us != NULL)
		*bout_us = core->break_bout_us;
}

const char *
gb_break_kind_to_string(GbBreakKind kind)
{
	static const char *const names[] = { "natural", "lock", "suspend", "done" };

	g_return_val_if_fail(kind < G_N_ELEMENTS(names), "unknown");
	return names[kind];
}

const char *
gb_state_to_string(GbState state)
{
	static const char *const names[] = { "sitting", "overdue", "away", "on-break", "paused",
		                             "held" };

	g_return_val_if_fail(state < G_N_ELEMENTS(names), "unknown");
	return names[state];
}

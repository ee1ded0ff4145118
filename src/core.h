/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The pure state machine of DESIGN.md §1. It never reads a clock or does I/O:
 * every call takes "now" in CLOCK_BOOTTIME µs, returns what the caller must do,
 * and gb_core_next_deadline() says when to call gb_core_tick() next. */

typedef struct {
	gint64 sit_us;         /* sitting before the first reminder */
	gint64 break_us;       /* time away that counts as a break; < sit_us */
	gint64 repeat_us;      /* re-remind interval while still sitting */
	gint64 snooze_us;      /* default Snooze postponement */
	gint64 after_hold_us;  /* a reminder held back is shown this long after the hold ends */
} GbTimings;

typedef enum {
	GB_STATE_SITTING,  /* in a bout, no reminder due */
	GB_STATE_OVERDUE,  /* in a bout past the reminder time */
	GB_STATE_AWAY,     /* in a bout, away (idle, locked) but not yet for break_us */
	GB_STATE_ON_BREAK, /* no bout: a break, waiting for the next input */
	GB_STATE_PAUSED,
	GB_STATE_HELD,     /* in a bout, reminders held back (a hold is on, or one waits for after-hold) */
} GbState;

typedef enum {
	GB_BREAK_NATURAL, /* input idle for break_us */
	GB_BREAK_LOCK,
	GB_BREAK_SUSPEND,
	GB_BREAK_DONE,    /* the user pressed Done, or asked for a break */
} GbBreakKind;

typedef enum {
	GB_ANSWER_DONE,
	GB_ANSWER_SNOOZE,
	GB_ANSWER_SKIP,
	GB_ANSWER_IGNORED, /* closed without an action */
	GB_ANSWER_TOO_HARD, /* "too hard" (the programme eases the exercise): a break, as Done */
} GbAnswer;

typedef enum {
	GB_ACTION_NONE           = 0,
	GB_ACTION_SHOW_REMINDER  = 1 << 0, /* show, or replace the one on screen */
	GB_ACTION_HIDE_REMINDER  = 1 << 1,
	GB_ACTION_WATCH_ACTIVITY = 1 << 2, /* ask the idle source for the next input */
	GB_ACTION_BREAK_STARTED  = 1 << 3, /* see gb_core_get_last_break() */
	GB_ACTION_STATE_CHANGED  = 1 << 4, /* state or schedule changed: tell the user */
	GB_ACTION_PERSIST        = 1 << 5, /* a bout started or ended, or a pause: save the state */
	GB_ACTION_CHECK_HOLD     = 1 << 6, /* a reminder is due: read the hold sensors that have no
	                                    * change signal, then call gb_core_hold_checked() */
} GbActions;

typedef struct _GbCore GbCore;

/* @have_input: an idle source reports input. Without one (timer-only mode) a
 * bout starts at start-up, resume, unlock and after Done. The first bout
 * starts at @now_us either way. */
GbCore *gb_core_new(const GbTimings *timings, gboolean have_input, gint64 now_us);
void gb_core_free(GbCore *core);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbCore, gb_core_free)

GbActions gb_core_set_timings(GbCore *core, const GbTimings *timings, gint64 now_us);
/* The idle source was (re)started, replaced or lost: what the old one reported is forgotten,
 * and @have_input says whether the new one reports input (FALSE: timer-only mode). */
GbActions gb_core_input_source_changed(GbCore *core, gboolean have_input, gint64 now_us);

/* Input was idle since @since_us (the last input). */
GbActions gb_core_idle(GbCore *core, gint64 since_us, gint64 now_us);
/* Input at @now_us. */
GbActions gb_core_active(GbCore *core, gint64 now_us);
/* Unlocking counts as input. */
GbActions gb_core_set_locked(GbCore *core, gboolean locked, gint64 now_us);
/* The machine was suspended from @since_us until now. */
GbActions gb_core_suspended(GbCore *core, gint64 since_us, gint64 now_us);
/* Deadline reached (or any time: ticking early is harmless). */
GbActions gb_core_tick(GbCore *core, gint64 now_us);

/* DESIGN.md rule 10. While held, a reminder that falls due is held back (never shown, never
 * counted as unanswered) and shown after_hold_us after the hold ends, unless a break came
 * in between. */
GbActions gb_core_set_held(GbCore *core, gboolean held, gint64 now_us);
/* Some hold sensor can only be read (no change signal): each due reminder first asks with
 * GB_ACTION_CHECK_HOLD, and no reminder shows until gb_core_hold_checked() answers. */
GbActions gb_core_set_hold_check(GbCore *core, gboolean needed, gint64 now_us);
/* The read that GB_ACTION_CHECK_HOLD asked for: @held holds this reminder back until the
 * next repeat (asked again then), or until the hold ends. A late answer is ignored. */
GbActions gb_core_hold_checked(GbCore *core, gboolean held, gint64 now_us);

/* @duration_us: for GB_ANSWER_SNOOZE, 0 = the configured snooze. */
GbActions gb_core_answer(GbCore *core, GbAnswer answer, gint64 duration_us, gint64 now_us);
GbActions gb_core_take_break(GbCore *core, gint64 now_us);
GbActions gb_core_pause(GbCore *core, gint64 duration_us, gint64 now_us);
GbActions gb_core_resume(GbCore *core, gint64 now_us);

/* Restart recovery: the previous daemon's bout, which began at @bout_start_us, goes on
 * (recover.c decides whether it should). Refused while paused, on a break, or for a
 * start in the future. */
GbActions gb_core_restore_bout(GbCore *core, gint64 bout_start_us, gint64 now_us);

gint64 gb_core_next_deadline(const GbCore *core); /* µs, >= 0; -1: nothing scheduled */
GbState gb_core_get_state(const GbCore *core);
gboolean gb_core_in_bout(const GbCore *core);
/* Only while gb_core_in_bout(); may be negative (a bout from before a reboot). */
gint64 gb_core_get_bout_start(const GbCore *core);
gint64 gb_core_get_sitting_us(const GbCore *core, gint64 now_us);
gint64 gb_core_get_next_reminder(const GbCore *core); /* -1: none while on break/paused */
gint64 gb_core_get_paused_until(const GbCore *core); /* -1: not paused */
/* Reminders shown in this bout without an answer (the one on screen included). */
guint gb_core_get_unanswered(const GbCore *core);
/* A reminder fell due during a hold and waits for it to end. */
gboolean gb_core_get_held_back(const GbCore *core);
/* Skips since the last break ([reminder] skip-limit). */
guint gb_core_get_skips(const GbCore *core);
gboolean gb_core_get_have_input(const GbCore *core);
/* The break that GB_ACTION_BREAK_STARTED announced; the bout it ended lasted
 * @bout_us (nullable out parameters). */
void gb_core_get_last_break(const GbCore *core, GbBreakKind *kind, gint64 *start_us,
                            gint64 *bout_us);
const char *gb_break_kind_to_string(GbBreakKind kind);
const char *gb_state_to_string(GbState state);

G_END_DECLS

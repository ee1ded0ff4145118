/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

#include "core.h"
#include "exercises.h"

G_BEGIN_DECLS

/* The user's reaction to the reminder on screen: GB_ANSWER_DONE, _SNOOZE, _SKIP or
 * _TOO_HARD for the actions, GB_ANSWER_IGNORED when it was closed without one.
 * Called in the main context (the thread-default one of gb_notify_new()), and
 * never for a reminder withdrawn since. */
typedef void (*GbNotifyFunc)(GbAnswer answer, gpointer user_data);

/* What a reminder says; notify.c writes the text from it. */
typedef struct {
	gint64 sitting_us;           /* "You've been sitting for 45 min" */
	const GbExercise *exercise;  /* the body; NULL: just "stand up and move" */
	gboolean critical;
	gboolean sound;
	gint64 snooze_us;            /* for the "Snooze N min" label */
	gboolean asked;              /* asked for (glutebreakctl exercise), not due */
	gboolean offer_skip;         /* the Skip action ([reminder] skip-limit) */
	gboolean programme;          /* [programme] on: the level's dose, and "Too hard" on
	                              * strengthen exercises */
	guint level;                 /* the exercise's level (0: it has none) */
} GbReminder;

typedef struct _GbNotify GbNotify;

/* @bus: the session bus, which libnotify uses too. libnotify's state is
 * process-wide: one GbNotify per process. */
GbNotify *gb_notify_new(GDBusConnection *bus, GbNotifyFunc func, gpointer user_data);
/* Withdraws the reminder on screen, waiting for that at most 300 ms: a
 * notification server that does not answer is left behind. */
void gb_notify_free(GbNotify *notify);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbNotify, gb_notify_free)

/* Shows @reminder, replacing the one on screen; logs it. Returns at once: a
 * failure is logged later (one warning until a reminder shows again). */
void gb_notify_show(GbNotify *notify, const GbReminder *reminder);
/* Withdraws the reminder on screen, if any; returns at once. */
void gb_notify_withdraw(GbNotify *notify);
/* Whether a reminder is on screen, as far as this side knows. */
gboolean gb_notify_on_screen(const GbNotify *notify);

G_END_DECLS

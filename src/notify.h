/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

#include "core.h"
#include "exercises.h"

G_BEGIN_DECLS

/* The user's reaction to the reminder on screen: GB_ANSWER_DONE, _SNOOZE or
 * _SKIP for the actions, GB_ANSWER_IGNORED when it was closed without one. */
typedef void (*GbNotifyFunc)(GbAnswer answer, gpointer user_data);

/* What a reminder says; notify.c writes the text from it. */
typedef struct {
	gint64 sitting_us;           /* "You've been sitting for 45 min" */
	const GbExercise *exercise;  /* the body; NULL: just "stand up and move" */
	gboolean critical;
	gboolean sound;
	gint64 snooze_us;            /* for the "Snooze N min" label */
} GbReminder;

typedef struct _GbNotify GbNotify;

/* @bus: the session bus, which libnotify uses too. */
GbNotify *gb_notify_new(GDBusConnection *bus, GbNotifyFunc func, gpointer user_data);
void gb_notify_free(GbNotify *notify);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbNotify, gb_notify_free)

/* Shows @reminder, replacing the one on screen; logs it. A failure is logged
 * (one warning until a reminder shows again). */
void gb_notify_show(GbNotify *notify, const GbReminder *reminder);
/* Withdraws the reminder on screen, if any. */
void gb_notify_withdraw(GbNotify *notify);

G_END_DECLS

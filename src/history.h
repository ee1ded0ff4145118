/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The append-only history of DESIGN.md rule 13: $XDG_STATE_HOME/glutebreak/history, one
 * event per line, human-readable, local time with its UTC offset (docs/HISTORY.md has the
 * format). The daemon only appends (one write() per event); glutebreakctl stats and history
 * read it. */

typedef enum {
	GB_EVENT_DAEMON_START,
	GB_EVENT_DAEMON_STOP,
	GB_EVENT_BOUT_START,
	GB_EVENT_BOUT_END,   /* start_us, length_us, limit_us, break_kind */
	GB_EVENT_REMINDER,   /* exercise, category, sitting_us, level (0: none) */
	GB_EVENT_ANSWER,     /* answer, exercise */
	GB_EVENT_PAUSE,      /* until_us */
	GB_EVENT_RESUME,
	GB_EVENT_HOLD_START, /* reason */
	GB_EVENT_HOLD_END,   /* reason */
} GbEventKind;

typedef enum {
	GB_REPLY_DONE,
	GB_REPLY_SNOOZE,
	GB_REPLY_SKIP,
	GB_REPLY_IGNORED,   /* closed without an action, or replaced by the next reminder */
	GB_REPLY_WITHDRAWN, /* a break (or a pause) took it off the screen */
} GbReply;

typedef struct {
	GbEventKind kind;
	gint64 time_us;       /* Unix µs; for BOUT_END the end of the bout */
	int utc_offset_s;     /* read: the offset written with the time; write: ignored (local) */
	gint64 start_us;      /* BOUT_END: when the bout began, Unix µs */
	gint64 length_us;     /* BOUT_END */
	gint64 limit_us;      /* BOUT_END: the sit-limit in force */
	const char *break_kind; /* BOUT_END: natural, lock, suspend, done (gb_break_kind_to_string) */
	const char *exercise; /* REMINDER, ANSWER: the exercise id; NULL: none */
	const char *category; /* REMINDER: release, strengthen, move */
	gint64 sitting_us;    /* REMINDER */
	int level;            /* REMINDER: the programme level; 0: none */
	GbReply reply;        /* ANSWER */
	gint64 until_us;      /* PAUSE: Unix µs */
	const char *reason;   /* HOLD_START, HOLD_END */
} GbEvent;

typedef struct _GbHistory GbHistory;

/* @path: NULL for the default ($XDG_STATE_HOME/glutebreak/history). Opens nothing yet. */
GbHistory *gb_history_new(const char *path);
void gb_history_free(GbHistory *history);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHistory, gb_history_free)

/* Appends @event as one line with one write() (O_APPEND; the file and its directory are
 * created 0600/0700, with the format header when new). Never fails loudly: a failure is one
 * warning until an append succeeds again. */
void gb_history_append(GbHistory *history, const GbEvent *event);

/* The default path; caller frees. */
char *gb_history_default_path(void);

G_END_DECLS

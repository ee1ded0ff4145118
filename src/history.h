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
	GB_EVENT_ANSWER,     /* answer, exercise, category (optional) */
	GB_EVENT_PAUSE,      /* until_us */
	GB_EVENT_RESUME,
	GB_EVENT_HOLD_START, /* reason */
	GB_EVENT_HOLD_END,   /* reason */
	GB_EVENT_LEVEL,      /* exercise, change, from_level, level: the programme (rule 14) */
} GbEventKind;

typedef enum {
	GB_REPLY_DONE,
	GB_REPLY_SNOOZE,
	GB_REPLY_SKIP,
	GB_REPLY_IGNORED,   /* closed without an action, or replaced by the next reminder */
	GB_REPLY_WITHDRAWN, /* a break (or a pause) took it off the screen */
} GbReply;

#define GB_REPLY_COUNT (GB_REPLY_WITHDRAWN + 1)

typedef struct {
	GbEventKind kind;
	gint64 time_us;       /* Unix µs; for BOUT_END the end of the bout */
	int utc_offset_s;     /* read: the offset written with the time; write: ignored (local) */
	gint64 start_us;      /* BOUT_END: when the bout began, Unix µs */
	gint64 length_us;     /* BOUT_END: how long it lasted (the daemon's own measure) */
	gint64 limit_us;      /* BOUT_END: the sit-limit in force */
	const char *break_kind; /* BOUT_END: natural, lock, suspend, done (gb_break_kind_to_string) */
	const char *exercise; /* REMINDER, ANSWER: the exercise id; NULL: none */
	const char *category; /* REMINDER: release, strengthen, move; ANSWER: NULL or the same */
	gint64 sitting_us;    /* REMINDER */
	int level;            /* REMINDER: the programme level; 0: none. LEVEL: the level now */
	int from_level;       /* LEVEL: the level before; 0: unknown */
	const char *change;   /* LEVEL: up, down, eased, retired, resumed or too-hard */
	GbReply reply;        /* ANSWER */
	gint64 until_us;      /* PAUSE: Unix µs */
	const char *reason;   /* HOLD_START, HOLD_END; NULL: none */
	const char *line;     /* read: the line as written, without its '\n'; write: ignored */
} GbEvent;

/* "bout-end", "answer", ...: the word in the file. */
const char *gb_event_kind_to_string(GbEventKind kind);
/* "done", "snooze", "skip", "ignored", "withdrawn". */
const char *gb_reply_to_string(GbReply reply);

/* --- writing (src/history.c) --- */

typedef struct _GbHistory GbHistory;

/* @path: NULL for the default ($XDG_STATE_HOME/glutebreak/history). Opens nothing yet. */
GbHistory *gb_history_new(const char *path);
void gb_history_free(GbHistory *history);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHistory, gb_history_free)
const char *gb_history_get_path(const GbHistory *history);

/* Appends @event as one line with one write() (O_APPEND; the file and its directory are
 * created 0600/0700, with the format header when new; a torn last line left by a power
 * loss is ended first, in the same write). Never fails loudly: a failure is one warning
 * until an append succeeds again. Returns whether the line was written. */
gboolean gb_history_append(GbHistory *history, const GbEvent *event);

/* The default path; caller frees. */
char *gb_history_default_path(void);

/* The line for @event, without the '\n'. Times are written in @tz (each at its own
 * offset); with @tz NULL every time is written at @event->utc_offset_s. String values
 * are written with every byte outside '!'..'~' replaced by '_'. Caller frees. */
char *gb_history_format_event(const GbEvent *event, GTimeZone *tz);

/* --- reading (src/history-read.c) --- */

/* A history read back: the events of the lines understood, in file order, which is not
 * time order (a bout-end is written when its break is certain, after its time), and one
 * warning per line skipped. */
typedef struct _GbHistoryLog GbHistoryLog;

/* Parses @length bytes of @data (need not end in NUL). Never fails: a line that cannot
 * be understood (malformed, torn, an unknown event from a newer version) is skipped with
 * a warning "@name:LINE: problem"; a header of a newer format gives a warning too, and
 * what is known is read. */
GbHistoryLog *gb_history_parse(const char *data, gsize length, const char *name);
/* gb_history_parse() of the file at @path (named by @path in warnings). A missing file is
 * an empty history; NULL with a G_FILE_ERROR only when it exists and cannot be read. */
GbHistoryLog *gb_history_read(const char *path, GError **error);
void gb_history_log_free(GbHistoryLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbHistoryLog, gb_history_log_free)

/* The events; their strings are owned by @log. */
const GbEvent *gb_history_log_get_events(const GbHistoryLog *log, gsize *n_events);
/* NULL-terminated, valid UTF-8, in line order; at most 100 lines are named one by one,
 * the last entry then says how many more were skipped. Owned by @log. */
const char *const *gb_history_log_get_warnings(const GbHistoryLog *log);

/* Unix µs for "2026-12-03T09:14:02+01:00" (or "...Z"), exactly that format; the offset
 * in @utc_offset_s (nullable). FALSE for anything else, or a time outside the years
 * 0001 to 9999 at any offset. */
gboolean gb_history_parse_time(const char *text, gint64 *out_us, int *utc_offset_s);
/* @us (whole seconds, rounded down) at @utc_offset_s into @buf: "2026-12-03T09:14:02+01:00". */
void gb_history_format_time(gint64 us, int utc_offset_s, char buf[32]);

G_END_DECLS

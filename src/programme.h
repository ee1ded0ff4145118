/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "exercises.h"

G_BEGIN_DECLS

/* The glute programme (DESIGN.md rule 14, shared/reference/programme.md): each strengthen
 * exercise's level, how it advances with Done and backs off after a lapse, and the daily mix
 * of categories for a focus. Pure: days and times come in as arguments, nothing is read or
 * written here but memory (and a GKeyFile in memory for the state file). */

/* A calendar day in the user's time zone: a GDate Julian day number (1 = 0001-01-01). */
typedef guint32 GbDay;
#define GB_DAY_NONE 0 /* never */

typedef enum {
	GB_FOCUS_BOTH,  /* the default: a balanced mix */
	GB_FOCUS_TIGHT, /* more release */
	GB_FOCUS_WEAK,  /* more strengthen */
} GbFocus;

#define GB_FOCUS_HINT "tight, weak or both"
gboolean gb_focus_from_string(const char *name, GbFocus *out);
const char *gb_focus_to_string(GbFocus focus);

/* One strengthen exercise's progress (programme.md §2). */
typedef struct {
	char *id;
	guint level;          /* 1.. (capped at the exercise's n_levels when it has levels) */
	guint best_level;     /* the highest level reached: re-climbing to it is faster */
	guint days_at_level;  /* days with a Done counted at this level */
	GbDay last_done;      /* the last day a Done counted; GB_DAY_NONE: never */
	GbDay lapse_from;     /* the day the 14-day lapse clock runs from (last_done, moved on by
	                       * 14 days at each step down) */
	GbDay last_shown;     /* the last day it was shown as a reminder */
	guint too_hard_days;  /* days with "too hard" at this level */
	GbDay last_too_hard;
	gboolean retired;     /* "too hard" twice at level 1: not offered until a Done */
} GbProgress;

typedef enum {
	GB_LEVEL_UP,        /* Done on enough days */
	GB_LEVEL_DOWN,      /* 14 days without a Done, per level */
	GB_LEVEL_EASED,     /* "too hard" on two days */
	GB_LEVEL_RETIRED,   /* "too hard" twice at level 1: no longer offered */
	GB_LEVEL_RESUMED,   /* a Done on a retired exercise: offered again */
} GbLevelChangeKind;

typedef struct {
	const char *id;     /* owned by the programme */
	GbLevelChangeKind kind;
	guint from, to;
} GbLevelChange;

/* "up", "down", "eased", "retired", "resumed": the word in the history. */
const char *gb_level_change_to_string(GbLevelChangeKind kind);

/* What is known about today's reminders (the mix rules count them). */
typedef struct {
	GbDay day;                 /* the day these counts are for */
	guint reminders;           /* shown today */
	guint strengthen, release; /* of which */
	guint since_move;          /* reminders since the last move (any day) */
	GbCategory last;           /* the last reminder's category; 0: none */
	gint64 last_strengthen_us; /* Unix µs of the last strengthen reminder; 0: none */
	/* the days before @day, in hundredths of a reminder, each day's weight 3/4 of the next
	 * one's: a day's rounding (1 strengthen where the share says 1.6) is made up later */
	guint past_reminders, past_strengthen, past_release;
} GbMix;

typedef struct _GbProgramme GbProgramme;

GbProgramme *gb_programme_new(void);
void gb_programme_free(GbProgramme *programme); /* NULL is fine */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbProgramme, gb_programme_free)

/* The progress of @id, created at level 1 if unknown. Owned by @programme. */
GbProgress *gb_programme_get(GbProgramme *programme, const char *id);
/* NULL if @id has no progress yet. */
const GbProgress *gb_programme_lookup(const GbProgramme *programme, const char *id);
const GbMix *gb_programme_get_mix(const GbProgramme *programme);

/* The level @exercise is shown at: its progress's level capped at n_levels, 0 when it has
 * no levels. */
guint gb_programme_level(const GbProgramme *programme, const GbExercise *exercise);
/* Whether @exercise is unlocked (no `requires`, or that exercise reached the level). */
gboolean gb_programme_unlocked(const GbProgramme *programme, const GbCatalogue *catalogue,
                               const GbExercise *exercise);

/* Steps every exercise down for the lapses up to @today: floor((today - lapse_from) / 14)
 * levels, never below 1 (days after @today, from a clock that was wrong, become @today). Adds a GbLevelChange to @changes (nullable; GbLevelChange *, the
 * caller frees them with g_free) for each exercise that moved. */
void gb_programme_catch_up(GbProgramme *programme, const GbCatalogue *catalogue, GbDay today,
                           GPtrArray *changes);

/* A Done on @exercise on @today (after gb_programme_catch_up()). Counts once per day; moves
 * up after 3 days (4 from level 3 on, 2 when re-climbing to best_level or below); never
 * above n_levels. TRUE with @change set when the level changed (or a retired exercise
 * resumed). */
gboolean gb_programme_done(GbProgramme *programme, const GbExercise *exercise, GbDay today,
                           GbLevelChange *change);
/* "Too hard" on @exercise on @today: does not count as a Done; the second day at one level
 * eases it one level, or retires it at level 1. */
gboolean gb_programme_too_hard(GbProgramme *programme, const GbExercise *exercise,
                               GbDay today, GbLevelChange *change);

/* The category of the next reminder at @now_us (Unix µs) on @today for @focus, among
 * @allowed (the categories setting) that have an eligible exercise (@available). The rules:
 * every third reminder at least a move; never two strengthen in a row or within 90 min; the
 * daily caps; a strengthen by the second reminder of a day if none yet; otherwise the
 * category furthest below its share (ties at random). 0 if @available is 0. */
GbCategory gb_programme_next_category(const GbProgramme *programme, GbFocus focus,
                                      GbCategory available, GbDay today, gint64 now_us,
                                      GRand *rand);
/* The strengthen exercise to show on @today: unlocked, not retired, not excluded, not shown
 * today, not at a hard level (hard_from) when it was done yesterday; the one shown least
 * recently (then done least recently, then at random). NULL if none. */
const GbExercise *gb_programme_pick_strengthen(const GbProgramme *programme,
                                               const GbCatalogue *catalogue,
                                               const char *const *exclude_tags, GbDay today,
                                               GRand *rand);
/* A reminder with @exercise (NULL: none) was shown at @now_us on @today: updates the mix
 * and the exercise's last_shown. */
void gb_programme_shown(GbProgramme *programme, const GbExercise *exercise, GbDay today,
                        gint64 now_us);

/* The whole programme into / out of @file's group "programme" (one key per exercise, plus
 * the mix). Load replaces @programme's content; FALSE with GB_ERROR_FAILED when a value
 * cannot be understood (@programme is then untouched). */
void gb_programme_save(const GbProgramme *programme, GKeyFile *file);
gboolean gb_programme_load(GbProgramme *programme, GKeyFile *file, GError **error);

/* Every exercise with progress, sorted by id (for listings). Owned by @programme; the array
 * is the caller's (g_ptr_array_unref). */
GPtrArray *gb_programme_list(const GbProgramme *programme);

/* Days needed at @progress's level to go up (3, 4 from level 3, 2 when re-climbing). */
guint gb_programme_days_needed(const GbProgress *progress);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

/* The programme's keys of the catalogue file (levels, level<N>-steps, hard-from, requires):
 * helpers of catalogue-load.c, which alone includes this. */

#include "exercises-private.h"

G_BEGIN_DECLS

/* Frees @exercise's levels and leaves it with none. */
void gb_levels_clear(GbExercise *exercise);
/* Replaces @exercise's levels with one, @dose (the first line of `levels`). */
void gb_levels_reset(GbExercise *exercise, const char *dose);
/* Adds a level (a continuation line of `levels`); FALSE when @dose is empty or there
 * would be more than GB_MAX_LEVELS. */
gboolean gb_levels_append(GbExercise *exercise, const char *dose, GError **error);

/* TRUE if @name reads "level<N>-steps" (N: decimal digits), with N in @level (0, or
 * G_MAXUINT when too big, are out of range: the caller says so). */
gboolean gb_levels_steps_key(const char *name, guint *level);

/* `hard-from = N`: 1..GB_MAX_LEVELS (whether the exercise has that many levels is
 * checked when its section is complete). */
gboolean gb_levels_parse_hard_from(const char *value, guint *level, GError **error);
/* `requires = <exercise-id> <level>`; @id: caller frees. */
gboolean gb_levels_parse_requires(const char *value, char **id, guint *level,
                                  GError **error);

/* After every file: each enabled entry's `requires` names an exercise (not
 * itself, nor one that it unlocks in turn) that has that level; one that is disabled drops
 * the requirement. Errors are
 * "FILE:LINE: [id] requires: problem" at the requires key. */
gboolean gb_levels_check_requires(GbCatalogue *catalogue, GError **error);

/* "PATH:LINE: [ID] KEY: <message>", the ini reader's form, for errors found after a
 * file is read. */
void gb_levels_key_error(GError **error, const char *path, int line, const char *id,
                         const char *key, const char *format, ...) G_GNUC_PRINTF(6, 7);

G_END_DECLS

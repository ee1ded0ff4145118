/* SPDX-License-Identifier: MIT */
/* The programme's keys of the catalogue: a strengthen exercise's levels, a harder level's
 * own steps, the level from which it is hard, and the exercise whose level unlocks it
 * (DESIGN.md rule 14). catalogue-load.c reads the file and calls these. */
#include <stdarg.h>
#include <string.h>

#include "catalogue-levels.h"
#include "errors.h"

void
gb_levels_clear(GbExercise *exercise)
{
	for (guint i = 0; i < exercise->n_levels; i++) {
		g_free(exercise->levels[i].dose);
		g_free(exercise->levels[i].steps);
	}
	g_clear_pointer(&exercise->levels, g_free);
	exercise->n_levels = 0;
}

void
gb_levels_reset(GbExercise *exercise, const char *dose)
{
	gb_levels_clear(exercise);
	exercise->levels = g_new0(GbLevel, 1);
	exercise->levels[0].dose = g_strdup(dose);
	exercise->n_levels = 1;
}

gboolean
gb_levels_append(GbExercise *exercise, const char *dose, GError **error)
{
	if (*dose == '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "empty level (write its dose, e.g. '12 reps, 2 s hold')");
		return FALSE;
	}
	if (exercise->n_levels >= GB_MAX_LEVELS) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "too many levels (at most %d; merge two or drop the easiest)",
		            GB_MAX_LEVELS);
		return FALSE;
	}
	exercise->levels = g_renew(GbLevel, exercise->levels, exercise->n_levels + 1);
	exercise->levels[exercise->n_levels] = (GbLevel) { .dose = g_strdup(dose) };
	exercise->n_levels++;
	return TRUE;
}

gboolean
gb_levels_steps_key(const char *name, guint *level)
{
	const char *digits = name + strlen("level");
	const char *end = digits;
	guint64 number;

	if (!g_str_has_prefix(name, "level"))
		return FALSE;
	while (g_ascii_isdigit(*end))
		end++;
	if (end == digits || !g_str_equal(end, "-steps"))
		return FALSE;
	number = g_ascii_strtoull(digits, NULL, 10); /* stops at the '-' */
	*level = number > GB_MAX_LEVELS ? G_MAXUINT : (guint) number;
	return TRUE;
}

/* 1..GB_MAX_LEVELS, plain decimal digits */
static gboolean
parse_level(const char *text, guint *level)
{
	guint64 number;

	if (!g_ascii_string_to_unsigned(text, 10, 1, GB_MAX_LEVELS, &number, NULL))
		return FALSE;
	*level = (guint) number;
	return TRUE;
}

gboolean
gb_levels_parse_hard_from(const char *value, guint *level, GError **error)
{
	if (parse_level(value, level))
		return TRUE;
	g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
	            "invalid level '%s' (write a level number from 1 to %d, e.g. 4)", value,
	            GB_MAX_LEVELS);
	return FALSE;
}

gboolean
gb_levels_parse_requires(const char *value, char **id, guint *level, GError **error)
{
	g_auto(GStrv) words = g_strsplit_set(value, " \t", -1);
	const char *found[3] = { NULL };
	guint n = 0;

	for (char **word = words; *word != NULL; word++) {
		if (**word == '\0')
			continue;
		if (n == G_N_ELEMENTS(found))
			break;
		found[n++] = *word;
	}
	if (n != 2) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "invalid value '%s' (write the id of the exercise that unlocks this "
		            "one and its level, e.g. 'glute-bridge 3')", value);
		return FALSE;
	}
	if (!parse_level(found[1], level)) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "invalid level '%s' (write a level number from 1 to %d after the id, "
		            "e.g. 'glute-bridge 3')", found[1], GB_MAX_LEVELS);
		return FALSE;
	}
	*id = g_strdup(found[0]);
	return TRUE;
}

void
gb_levels_key_error(GError **error, const char *path, int line, const char *id,
                    const char *key, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG, "%s:%d: [%s] %s: %s", path, line,
	            id, key, message);
}

/* Whether following `requires` from @from comes back to @entry: then neither would ever
 * unlock. */
static gboolean
unlocks_in_turn(const GbCatalogue *catalogue, const Entry *from, const Entry *entry)
{
	const Entry *current = from;

	for (guint i = 0; i < catalogue->entries->len && current != NULL; i++) {
		if (current->exercise.requires == NULL)
			return FALSE;
		current = g_hash_table_lookup(catalogue->by_id, current->exercise.requires);
		if (current == entry)
			return TRUE;
	}
	return FALSE;
}

static gboolean
check_one(const GbCatalogue *catalogue, const Entry *entry, GError **error)
{
	const GbExercise *exercise = &entry->exercise;
	const Entry *target = g_hash_table_lookup(catalogue->by_id, exercise->requires);
	const char *path = entry->requires_path;
	int line = entry->requires_line;

	if (target == NULL) {
		gb_levels_key_error(error, path, line, exercise->id, "requires",
		                    "unknown exercise '%s' (use the id of a strengthen exercise "
		                    "with levels, e.g. glute-bridge)", exercise->requires);
		return FALSE;
	}
	if (target == entry) {
		gb_levels_key_error(error, path, line, exercise->id, "requires",
		                    "an exercise cannot unlock itself (name another exercise)");
		return FALSE;
	}
	if (target->exercise.n_levels == 0) {
		gb_levels_key_error(error, path, line, exercise->id, "requires",
		                    "exercise '%s' has no levels (name a strengthen exercise with "
		                    "levels)", exercise->requires);
		return FALSE;
	}
	if (exercise->requires_level > target->exercise.n_levels) {
		gb_levels_key_error(error, path, line, exercise->id, "requires",
		                    "exercise '%s' has only %u levels (use a level from 1 to %u)",
		                    exercise->requires, target->exercise.n_levels,
		                    target->exercise.n_levels);
		return FALSE;
	}
	if (unlocks_in_turn(catalogue, target, entry)) {
		gb_levels_key_error(error, path, line, exercise->id, "requires",
		                    "exercise '%s' is itself unlocked by this one, so neither "
		                    "would ever be offered (remove one of the requires)",
		                    exercise->requires);
		return FALSE;
	}
	return TRUE;
}

gboolean
gb_levels_check_requires(GbCatalogue *catalogue, GError **error)
{
	for (guint i = 0; i < catalogue->entries->len; i++) {
		Entry *entry = g_ptr_array_index(catalogue->entries, i);
		const Entry *target;

		if (!entry->enabled || entry->exercise.requires == NULL)
			continue;
		/* the user turned the unlocking exercise off (a bridge in pregnancy, say): this
		 * one is offered without it rather than never */
		target = g_hash_table_lookup(catalogue->by_id, entry->exercise.requires);
		if (target != NULL && !target->enabled) {
			g_clear_pointer(&entry->exercise.requires, g_free);
			entry->exercise.requires_level = 0;
			continue;
		}
		if (!check_one(catalogue, entry, error))
			return FALSE;
	}
	return TRUE;
}

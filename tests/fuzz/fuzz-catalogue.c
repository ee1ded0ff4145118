/* SPDX-License-Identifier: MIT */
/* The exercise catalogue: gb_catalogue_load() on any bytes, as the shipped
 * file alone or (GB_FUZZ_USER_FILE) as the user's file on top of the real
 * shipped one. A catalogue it accepts must hold entries the daemon can show;
 * a file it rejects must say where. */
#include <string.h>

#include "errors.h"
#include "exercises.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	gb_fuzz_init();
	return 0;
}

/* [a-z0-9]+(-[a-z0-9]+)* */
static gboolean
id_ok(const char *id)
{
	gboolean after_dash = TRUE;

	for (const char *p = id; *p != '\0'; p++) {
		if (*p == '-') {
			if (after_dash)
				return FALSE;
			after_dash = TRUE;
		} else if (g_ascii_islower(*p) || g_ascii_isdigit(*p)) {
			after_dash = FALSE;
		} else {
			return FALSE;
		}
	}
	return !after_dash;
}

static void
check_steps(const char *text)
{
	g_auto(GStrv) steps = g_strsplit(text, "\n", -1);

	gb_fuzz_check(g_strv_length(steps) >= 1 && g_strv_length(steps) <= 3, text);
	for (char **step = steps; *step != NULL; step++)
		gb_fuzz_check(**step != '\0', text);
}

/* The programme's fields: levels only on strengthen, hard-from within them, requires
 * naming an exercise that has the level; every level's body is text. */
static void
check_levels(const GbCatalogue *catalogue, const GbExercise *exercise)
{
	gb_fuzz_check(exercise->n_levels <= GB_MAX_LEVELS, exercise->id);
	gb_fuzz_check((exercise->levels == NULL) == (exercise->n_levels == 0), exercise->id);
	gb_fuzz_check(exercise->n_levels == 0 || exercise->category == GB_CATEGORY_STRENGTHEN,
	              exercise->id);
	gb_fuzz_check(exercise->hard_from <= exercise->n_levels, exercise->id);
	for (guint level = 0; level <= exercise->n_levels + 1; level++) {
		g_autofree char *body = gb_exercise_format_level_body(exercise, level);

		gb_fuzz_check(g_utf8_validate(body, -1, NULL), body);
		if (level == 0 || level > exercise->n_levels)
			continue;
		gb_fuzz_check(*exercise->levels[level - 1].dose != '\0', exercise->id);
		if (exercise->levels[level - 1].steps != NULL)
			check_steps(exercise->levels[level - 1].steps);
	}
	gb_fuzz_check(exercise->caution == NULL || strchr(exercise->caution, '\n') == NULL,
	              exercise->id);
	if (exercise->requires != NULL) {
		const GbExercise *unlocker = gb_catalogue_lookup(catalogue, exercise->requires);

		gb_fuzz_check(exercise->category == GB_CATEGORY_STRENGTHEN, exercise->id);
		gb_fuzz_check(unlocker != NULL && unlocker != exercise, exercise->requires);
		gb_fuzz_check(exercise->requires_level >= 1 &&
		              exercise->requires_level <= unlocker->n_levels, exercise->requires);
	}
}

static void
check_exercise(const GbCatalogue *catalogue, const GbExercise *exercise)
{
	g_autofree char *body = NULL;

	gb_fuzz_check(id_ok(exercise->id), exercise->id);
	gb_fuzz_check(gb_catalogue_lookup(catalogue, exercise->id) == exercise, exercise->id);
	gb_fuzz_check(exercise->name != NULL && *exercise->name != '\0', exercise->id);
	gb_fuzz_check(exercise->dose != NULL && *exercise->dose != '\0', exercise->id);
	gb_fuzz_check(exercise->why != NULL && *exercise->why != '\0', exercise->id);
	gb_fuzz_check(exercise->steps != NULL, exercise->id);
	check_steps(exercise->steps);
	gb_fuzz_check(gb_category_to_string(exercise->category) != NULL, exercise->id);
	gb_fuzz_check(exercise->tags != NULL, exercise->id);
	for (char **tag = exercise->tags; *tag != NULL; tag++) {
		gb_fuzz_check(gb_exercise_tag_known(*tag), *tag);
		for (char **other = tag + 1; *other != NULL; other++)
			gb_fuzz_check(!g_str_equal(*tag, *other), *tag);
	}
	/* the body goes over D-Bus to the notification server */
	body = gb_exercise_format_body(exercise);
	gb_fuzz_check(g_utf8_validate(body, -1, NULL), body);
	check_levels(catalogue, exercise);
}

static void
check_catalogue(GbCatalogue *catalogue)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(1);
	guint size = gb_catalogue_size(catalogue);

	for (guint i = 0; i < size; i++)
		check_exercise(catalogue, gb_catalogue_get(catalogue, i));
	gb_fuzz_check(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_ALL, NULL) == size,
	              "count_eligible");
	for (guint i = 0; i <= MIN(size, 8); i++) {
		const GbExercise *next = gb_catalogue_next(catalogue, GB_CATEGORY_ALL, NULL, rand);

		gb_fuzz_check((next != NULL) == (size > 0), "next");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = gb_fuzz_input_path(data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;

#ifdef GB_FUZZ_USER_FILE
	catalogue = gb_catalogue_load(GB_FUZZ_SHIPPED_CATALOGUE, path, &error);
#else
	catalogue = gb_catalogue_load(path, NULL, &error);
#endif
	if (catalogue != NULL) {
		gb_fuzz_check(error == NULL, error->message);
		check_catalogue(catalogue);
		return 0;
	}
	gb_fuzz_check(error != NULL, "NULL without an error");
	/* a missing shipped file would fail every input: say so rather than
	 * report a crash per input */
	gb_fuzz_check(g_error_matches(error, GB_ERROR, GB_ERROR_INVALID_CONFIG), error->message);
	gb_fuzz_check_located(error->message, path);
	return 0;
}

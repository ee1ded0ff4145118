/* SPDX-License-Identifier: MIT */
/* The programme's group of the state file: gb_programme_load() on any key-file text. What it
 * accepts saves and loads back to the same text; what it rejects leaves the programme as it
 * was, with a message naming the key. */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fuzz-common.h"
#include "programme.h"

static char *
saved(const GbProgramme *programme)
{
	g_autoptr(GKeyFile) file = g_key_file_new();

	gb_programme_save(programme, file);
	return g_key_file_to_data(file, NULL, NULL);
}

/* Something in every field, made by the programme's own functions, so the seed never falls
 * behind the format. */
static GbProgramme *
seeded(void)
{
	const GbDay day = 739951; /* 2026-12-01 */
	const gint64 nine = (gint64) 1796115600 * G_USEC_PER_SEC; /* 09:00 UTC that day */
	const gint64 hour = (gint64) 3600 * G_USEC_PER_SEC;
	const GbExercise bridge = { .id = (char *) "glute-bridge", .n_levels = 5,
		                    .category = GB_CATEGORY_STRENGTHEN };
	const GbExercise wall_sit = { .id = (char *) "wall-sit", .n_levels = 5,
		                      .category = GB_CATEGORY_STRENGTHEN };
	const GbExercise walk = { .id = (char *) "walk-a-lap", .category = GB_CATEGORY_MOVE };
	GbProgramme *programme = gb_programme_new();

	for (GbDay i = 0; i < 7; i++) {
		gb_programme_shown(programme, &bridge, day + i, nine + i * 24 * hour);
		gb_programme_done(programme, &bridge, day + i, NULL);
	}
	gb_programme_shown(programme, &walk, day + 6, nine + 6 * 24 * hour + hour);
	gb_programme_too_hard(programme, &bridge, day + 6, NULL);
	gb_programme_too_hard(programme, &wall_sit, day, NULL);
	gb_programme_too_hard(programme, &wall_sit, day + 1, NULL);
	return programme;
}

static gboolean
write_seed(const char *path)
{
	g_autoptr(GbProgramme) programme = seeded();
	g_autofree char *text = saved(programme);
	g_autoptr(GError) error = NULL;

	if (!g_file_set_contents(path, text, -1, &error)) {
		g_printerr("%s\n", error->message);
		return FALSE;
	}
	return TRUE;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seed = g_getenv("GB_FUZZ_PROGRAMME_SEED");

	gb_fuzz_init();
	/* tests/fuzz/run asks for a seed written by the programme's own code */
	if (seed != NULL)
		exit(write_seed(seed) ? 0 : 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autoptr(GbProgramme) programme = seeded();
	g_autofree char *before = saved(programme);
	g_autoptr(GError) error = NULL;

	if (!g_key_file_load_from_data(file, (const char *) data, size, G_KEY_FILE_NONE, NULL))
		return 0;
	if (gb_programme_load(programme, file, &error)) {
		g_autoptr(GKeyFile) again = g_key_file_new();
		g_autoptr(GbProgramme) reloaded = gb_programme_new();
		g_autofree char *text = saved(programme);
		g_autofree char *text_again = NULL;

		gb_fuzz_check(error == NULL, error->message);
		gb_fuzz_check(g_key_file_load_from_data(again, text, -1, G_KEY_FILE_NONE, NULL),
		              text);
		gb_fuzz_check(gb_programme_load(reloaded, again, &error), error->message);
		text_again = saved(reloaded);
		gb_fuzz_check(g_str_equal(text, text_again), text_again);
		return 0;
	}
	gb_fuzz_check(error != NULL, "FALSE without an error");
	gb_fuzz_check(g_error_matches(error, GB_ERROR, GB_ERROR_FAILED), error->message);
	gb_fuzz_check(g_str_has_prefix(error->message, "[programme] "), error->message);
	gb_fuzz_check(g_utf8_validate(error->message, -1, NULL), "message not UTF-8");
	{
		g_autofree char *after = saved(programme);

		gb_fuzz_check(g_str_equal(before, after), after);
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* The catalogue's file format (src/catalogue-load.c): what the shipped and the fixture files
 * give, the user's file on top, and every error with its FILE:LINE. */
#include <string.h>

#include "catalogue-test.h"

static void
test_shipped_loads(void)
{
	g_autoptr(GbCatalogue) catalogue = load_shipped();
	guint size = gb_catalogue_size(catalogue);
	guint per_category[3] = { 0 };

	g_assert_cmpuint(size, >=, 15);
	for (guint i = 0; i < size; i++) {
		const GbExercise *exercise = gb_catalogue_get(catalogue, i);
		g_autofree char *body = gb_exercise_format_body(exercise);
		int lines = count_lines(exercise->steps);

		g_test_message("%s: %s", exercise->id, exercise->name);
		g_assert_true(gb_catalogue_lookup(catalogue, exercise->id) == exercise);
		g_assert_cmpstr(exercise->name, !=, "");
		g_assert_cmpstr(exercise->dose, !=, "");
		g_assert_cmpstr(exercise->why, !=, "");
		g_assert_cmpint(lines, >=, 1);
		g_assert_cmpint(lines, <=, 3);
		g_assert_null(strstr(exercise->steps, "\n\n"));
		g_assert_nonnull(gb_category_to_string(exercise->category));
		per_category[g_bit_nth_lsf(exercise->category, -1)]++;
		for (char **tag = exercise->tags; *tag != NULL; tag++)
			g_assert_true(gb_exercise_tag_known(*tag));
		/* plain text that is also safe where the server reads markup */
		g_assert_null(strpbrk(body, "<>&"));
	}
	g_assert_cmpuint(per_category[0], >=, 3); /* release */
	g_assert_cmpuint(per_category[1], >=, 3); /* strengthen */
	g_assert_cmpuint(per_category[2], >=, 3); /* move */
	g_assert_nonnull(gb_catalogue_lookup(catalogue, "glute-bridge"));
	g_assert_nonnull(gb_catalogue_lookup(catalogue, "ball-against-wall"));
}

static void
test_fixture_parsing(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("base", NULL);
	const GbExercise *bridge = gb_catalogue_lookup(catalogue, "bridge");
	const GbExercise *march = gb_catalogue_lookup(catalogue, "march");
	const GbExercise *chair = gb_catalogue_lookup(catalogue, "chair-stretch");
	const GbExercise *stand = gb_catalogue_lookup(catalogue, "sit-to-stand");
	const char *const bridge_tags[] = { "floor", NULL };
	const char *const stand_tags[] = { "seated", "standing", NULL };
	const char *const no_tags[] = { NULL };

	g_assert_cmpuint(gb_catalogue_size(catalogue), ==, 8);
	g_assert_cmpstr(gb_catalogue_get(catalogue, 0)->id, ==, "ball-release");
	g_assert_cmpstr(gb_catalogue_get(catalogue, 7)->id, ==, "march");
	g_assert_null(gb_catalogue_lookup(catalogue, "nope"));

	g_assert_nonnull(bridge);
	g_assert_cmpstr(bridge->id, ==, "bridge");
	g_assert_cmpstr(bridge->name, ==, "Bridge");
	g_assert_cmpint(bridge->category, ==, GB_CATEGORY_STRENGTHEN);
	/* comment lines, blank lines and inline comments inside steps */
	g_assert_cmpstr(bridge->steps, ==,
	                "Lie on your back, knees bent.\nLift your hips.\nLower slowly.");
	g_assert_cmpstr(bridge->dose, ==, "12 reps");
	g_assert_cmpstr(bridge->why, ==, "Wakes up the glutes.");
	g_assert_true(g_strv_equal((const char *const *) bridge->tags, bridge_tags));

	g_assert_cmpint(chair->category, ==, GB_CATEGORY_RELEASE); /* inline comment */
	g_assert_true(g_strv_equal((const char *const *) stand->tags, stand_tags));
	g_assert_nonnull(march->tags);
	g_assert_true(g_strv_equal((const char *const *) march->tags, no_tags));
}

static void
test_user_missing_file(void)
{
	g_autofree char *path = fixture("base");
	g_autofree char *user_path = g_build_filename(g_get_user_config_dir(), "glutebreak",
	                                              "exercises.ini", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbCatalogue) catalogue = gb_catalogue_load(path, user_path, &error);

	g_assert_no_error(error);
	g_assert_cmpuint(gb_catalogue_size(catalogue), ==, 8);
}

static void
test_user_error(void)
{
	g_autofree char *path = fixture("base");
	g_autofree char *user_path = fixture("user-incomplete");
	g_autofree char *expected = g_strdup_printf("%s:3: [clamshell]: missing key 'why'",
	                                            user_path);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbCatalogue) catalogue = gb_catalogue_load(path, user_path, &error);

	g_assert_null(catalogue);
	g_assert_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
	g_assert_cmpstr(error->message, ==, expected);
}

static void
test_missing_shipped_file(void)
{
	g_autofree char *path = fixture("does-not-exist");
	g_autoptr(GError) error = NULL;
	g_autoptr(GbCatalogue) catalogue = gb_catalogue_load(path, NULL, &error);

	g_assert_null(catalogue);
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_true(g_str_has_prefix(error->message, path));
}

/* The same id right after itself is still a second section. */
static void
test_duplicate_section_next(void)
{
	assert_text_error("[bridge]\nname = Bridge\n[bridge]\ndose = 12 reps\n",
	                  "4: [bridge] dose: duplicate section "
	                  "(the first one sets keys from line 2; merge them)");
	assert_text_error("[bridge]\nsteps = Lie down.\n[bridge]\n  steps = Lift.\n",
	                  "4: [bridge] steps: indented key (remove the indentation)");
}

/* Found by tests/fuzz/fuzz-catalogue: what would reach a message or a
 * notification broken. */
static void
test_not_text(void)
{
	g_autofree char *long_id = g_strnfill(50, 'b');
	g_autofree char *text = g_strdup_printf("[%s]\nname = Bridge\n", long_id);

	/* inih cut it to an id that was valid, or to half a character */
	assert_text_error(text, "1: section name too long (at most 49 characters)");
	assert_text_error("[bridge\xd9]\nname = Bridge\n",
	                  "1: line is not valid UTF-8 (save the file as UTF-8)");
	assert_text_error("[bridge]\nname = Br\xfc" "cke\n",
	                  "2: line is not valid UTF-8 (save the file as UTF-8)");
}

typedef struct {
	const char *fixture;
	const char *message; /* after "PATH:" */
} ErrorCase;

static const ErrorCase error_cases[] = {
	{ "unknown-key",
	  "5: [bridge] colour: unknown key (use name, category, steps, dose, tags, why, enabled, "
	  "levels, level<N>-steps, hard-from, requires or caution)" },
	{ "bad-category",
	  "4: [bridge] category: unknown category 'strength' (use release, strengthen or move)" },
	{ "unknown-tag",
	  "5: [bridge] tags: unknown tag 'desk' (use seated, standing, floor or equipment)" },
	{ "duplicate-tag", "4: [bridge] tags: duplicate tag 'floor' (list each tag once)" },
	{ "empty-tag", "4: [bridge] tags: empty tag in 'floor,, seated' (remove the extra ',')" },
	{ "duplicate-key", "5: [bridge] name: duplicate key (already set at line 3)" },
	{ "too-many-steps",
	  "7: [bridge] steps: too many step lines (at most 3; shorten or merge them)" },
	{ "empty-value",
	  "5: [bridge] dose: empty value (e.g. '10 reps', '30 s each side' or '2 min')" },
	{ "missing-key", "11: [bridge]: missing key 'dose'" },
	{ "continuation",
	  "4: [bridge] name: only steps, levels and level<N>-steps may continue on an indented "
	  "line (remove the indentation)" },
	{ "indented-key", "3: [bridge] name: indented key (remove the indentation)" },
	{ "bad-id",
	  "3: [Glute Bridge] name: invalid exercise id 'Glute Bridge' "
	  "(use lowercase letters, digits and '-', e.g. [glute-bridge])" },
	{ "duplicate-section",
	  "10: [bridge] dose: duplicate section "
	  "(the first one sets keys from line 3; merge them)" },
	{ "bad-enabled", "3: [bridge] enabled: invalid value 'maybe' (use yes or no)" },
	{ "outside-section",
	  "2: name: key outside a section (add an '[exercise-id]' line above it)" },
	{ "malformed", "4: malformed line: expected '[section]' or 'key = value'" },
	{ "long-line",
	  "3: line too long (at most 198 characters; continue a value on an indented next line)" },
};

static void
test_error(gconstpointer data)
{
	const ErrorCase *error_case = data;
	g_autofree char *path = fixture(error_case->fixture);
	g_autofree char *expected = g_strdup_printf("%s:%s", path, error_case->message);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbCatalogue) catalogue = gb_catalogue_load(path, NULL, &error);

	g_assert_null(catalogue);
	g_assert_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
	g_assert_cmpstr(error->message, ==, expected);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/catalogue/shipped/loads", test_shipped_loads);
	g_test_add_func("/catalogue/parse/fixture", test_fixture_parsing);
	g_test_add_func("/catalogue/user/missing-file", test_user_missing_file);
	g_test_add_func("/catalogue/user/error", test_user_error);
	g_test_add_func("/catalogue/error/missing-shipped-file", test_missing_shipped_file);
	for (gsize i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		g_autofree char *name = g_strdup_printf("/catalogue/error/%s",
		                                        error_cases[i].fixture);

		g_test_add_data_func(name, &error_cases[i], test_error);
	}
	g_test_add_func("/catalogue/error/duplicate-section-next", test_duplicate_section_next);
	g_test_add_func("/catalogue/error/not-text", test_not_text);

	return g_test_run();
}

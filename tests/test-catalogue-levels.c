/* SPDX-License-Identifier: MIT */
/* The programme's keys of the catalogue (src/catalogue-levels.c): levels, level<N>-steps,
 * hard-from, requires and caution in the shipped and the fixture files, the user's file on
 * top, every error with its FILE:LINE, and the reminder's body at a level. */
#include <string.h>

#include "catalogue-test.h"

/* A line of @text (split at '\n'), or NULL past the end; for asserting bodies line by
 * line. */
static char *
line_of(const char *text, guint index)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	return index < g_strv_length(lines) ? g_strdup(lines[index]) : NULL;
}

/* The programme's part of the shipped catalogue (programme.md §3-5). */
static void
test_shipped_levels(void)
{
	g_autoptr(GbCatalogue) catalogue = load_shipped();
	const char *const new_ids[] = { "hip-hinge", "hip-hitch", "clamshell" };
	const char *const cautioned[] = { "glute-bridge", "single-leg-bridge", "seated-figure-4",
		                          "standing-figure-4", "desk-pigeon", "seated-twist",
		                          "wall-sit", "sit-to-stand", "reverse-lunge",
		                          "ball-against-wall" };
	const GbExercise *single = gb_catalogue_lookup(catalogue, "single-leg-bridge");
	const GbExercise *lunge = gb_catalogue_lookup(catalogue, "reverse-lunge");
	const GbExercise *stand = gb_catalogue_lookup(catalogue, "sit-to-stand");
	const GbExercise *bridge = gb_catalogue_lookup(catalogue, "glute-bridge");
	guint strengthen = 0;

	for (guint i = 0; i < gb_catalogue_size(catalogue); i++) {
		const GbExercise *exercise = gb_catalogue_get(catalogue, i);

		if (exercise->category != GB_CATEGORY_STRENGTHEN) {
			g_assert_cmpuint(exercise->n_levels, ==, 0);
			g_assert_null(exercise->requires);
			continue;
		}
		g_test_message("%s: %u levels", exercise->id, exercise->n_levels);
		strengthen++;
		g_assert_cmpuint(exercise->n_levels, >=, 4);
		g_assert_cmpuint(exercise->n_levels, <=, 6);
		g_assert_cmpuint(exercise->hard_from, <=, exercise->n_levels);
		g_assert_nonnull(exercise->dose); /* still used with the programme off */
		for (guint level = 1; level <= exercise->n_levels; level++) {
			const GbLevel *at = &exercise->levels[level - 1];
			g_autofree char *body = gb_exercise_format_level_body(exercise, level);
			g_autofree char *title = line_of(body, 0);
			g_autofree char *expected = g_strdup_printf(
				"%s \u00b7 level %u of %u \u00b7 %s", exercise->name, level,
				exercise->n_levels, at->dose);

			g_assert_cmpstr(at->dose, !=, "");
			if (at->steps != NULL) {
				g_assert_cmpint(count_lines(at->steps), <=, 3);
				g_assert_nonnull(strstr(body, at->steps));
			}
			g_assert_cmpstr(title, ==, expected);
			g_assert_true(g_str_has_suffix(body, "\n" GB_SAFETY_LINE));
			g_assert_null(strpbrk(body, "<>&"));
		}
	}
	g_assert_cmpuint(strengthen, >=, 11);
	for (gsize i = 0; i < G_N_ELEMENTS(new_ids); i++) {
		const GbExercise *exercise = gb_catalogue_lookup(catalogue, new_ids[i]);

		g_assert_nonnull(exercise);
		g_assert_cmpint(exercise->category, ==, GB_CATEGORY_STRENGTHEN);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(cautioned); i++) {
		const GbExercise *exercise = gb_catalogue_lookup(catalogue, cautioned[i]);
		g_autofree char *body = gb_exercise_format_body(exercise);

		g_test_message("%s: %s", cautioned[i], exercise->caution);
		g_assert_nonnull(exercise->caution);
		g_assert_true(g_str_has_suffix(body, exercise->caution));
	}
	/* the Done of the issue: from 10 reps to a 30 s hold */
	g_assert_cmpuint(bridge->n_levels, ==, 5);
	g_assert_cmpstr(bridge->levels[0].dose, ==, "10 reps, 1 s hold at the top");
	g_assert_nonnull(strstr(bridge->levels[4].dose, "30 s"));
	g_assert_cmpstr(single->requires, ==, "glute-bridge");
	g_assert_cmpuint(single->requires_level, ==, 3);
	g_assert_cmpstr(lunge->requires, ==, "sit-to-stand");
	g_assert_cmpuint(lunge->requires_level, ==, 3);
	g_assert_cmpuint(stand->n_levels, ==, 6);
	g_assert_cmpuint(stand->hard_from, ==, 5);
	g_assert_nonnull(stand->levels[4].steps);
	g_assert_nonnull(stand->levels[5].steps);
	g_assert_null(stand->levels[3].steps);
}

static void
test_levels_parsing(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("levels", NULL);
	const GbExercise *bridge = gb_catalogue_lookup(catalogue, "bridge");
	const GbExercise *one_leg = gb_catalogue_lookup(catalogue, "one-leg-bridge");
	const GbExercise *chair = gb_catalogue_lookup(catalogue, "chair-stretch");
	const GbExercise *walk = gb_catalogue_lookup(catalogue, "walk");

	/* comment and blank lines between levels, an inline comment after one */
	g_assert_cmpuint(bridge->n_levels, ==, 4);
	g_assert_cmpstr(bridge->levels[0].dose, ==, "10 reps, 1 s hold");
	g_assert_cmpstr(bridge->levels[1].dose, ==, "12 reps, 2 s hold");
	g_assert_cmpstr(bridge->levels[2].dose, ==, "15 reps, 2 s hold");
	g_assert_cmpstr(bridge->levels[3].dose, ==, "12 reps, 5 s hold");
	g_assert_null(bridge->levels[0].steps);
	g_assert_null(bridge->levels[2].steps);
	g_assert_cmpstr(bridge->levels[3].steps, ==,
	                "Lie on your back, knees bent.\nLift your hips and hold 5 s.\n"
	                "Lower over 3 s.");
	g_assert_cmpstr(bridge->steps, ==, "Lie on your back, knees bent.\nLift your hips.");
	g_assert_cmpstr(bridge->dose, ==, "12 reps");
	g_assert_cmpuint(bridge->hard_from, ==, 4);
	g_assert_null(bridge->requires);
	g_assert_cmpuint(bridge->requires_level, ==, 0);
	g_assert_cmpstr(bridge->caution, ==, "Pregnant? Do a standing exercise instead.");

	/* level2-steps above its levels, requires with extra spaces */
	g_assert_cmpuint(one_leg->n_levels, ==, 2);
	g_assert_cmpstr(one_leg->levels[1].steps, ==, "Lift one leg.");
	g_assert_cmpuint(one_leg->hard_from, ==, 2);
	g_assert_cmpstr(one_leg->requires, ==, "bridge");
	g_assert_cmpuint(one_leg->requires_level, ==, 3);
	g_assert_null(one_leg->caution);

	g_assert_cmpstr(chair->caution, ==, "After a hip replacement, ask your surgeon first.");
	g_assert_cmpuint(chair->n_levels, ==, 0);
	g_assert_null(chair->levels);
	g_assert_cmpuint(walk->n_levels, ==, 0);
	g_assert_cmpuint(walk->hard_from, ==, 0);
	g_assert_null(walk->requires);
	g_assert_null(walk->caution);
}

static void
test_levels_user(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("levels", "levels-user");
	const GbExercise *bridge = gb_catalogue_lookup(catalogue, "bridge");
	const GbExercise *one_leg = gb_catalogue_lookup(catalogue, "one-leg-bridge");
	const GbExercise *chair = gb_catalogue_lookup(catalogue, "chair-stretch");
	const GbExercise *clamshell = gb_catalogue_lookup(catalogue, "clamshell");

	/* levels replaced: the old level4-steps and hard-from went with them */
	g_assert_cmpuint(bridge->n_levels, ==, 2);
	g_assert_cmpstr(bridge->levels[0].dose, ==, "8 reps");
	g_assert_cmpstr(bridge->levels[1].dose, ==, "10 reps");
	g_assert_null(bridge->levels[0].steps);
	g_assert_cmpstr(bridge->levels[1].steps, ==, "Lift your hips halfway.");
	g_assert_cmpuint(bridge->hard_from, ==, 0);
	g_assert_null(bridge->caution);
	g_assert_cmpstr(bridge->steps, ==, "Lie on your back, knees bent.\nLift your hips.");

	/* steps for a level of the shipped file's levels; the old ones kept */
	g_assert_cmpuint(one_leg->n_levels, ==, 2);
	g_assert_cmpstr(one_leg->levels[0].steps, ==, "Keep both feet down at first.");
	g_assert_cmpstr(one_leg->levels[1].steps, ==, "Lift one leg.");
	g_assert_cmpuint(one_leg->hard_from, ==, 2);
	g_assert_null(one_leg->requires);
	g_assert_cmpuint(one_leg->requires_level, ==, 0);

	g_assert_cmpstr(chair->caution, ==, "Ask your surgeon first.");

	g_assert_nonnull(clamshell);
	g_assert_cmpuint(clamshell->n_levels, ==, 4);
	g_assert_cmpstr(clamshell->levels[3].dose, ==, "12 each side, 3 s pause");
	g_assert_cmpuint(clamshell->hard_from, ==, 4);
	g_assert_cmpstr(clamshell->requires, ==, "one-leg-bridge");
	g_assert_cmpuint(clamshell->requires_level, ==, 2);
}

static void
test_format_level_body(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("levels", NULL);
	const GbExercise *bridge = gb_catalogue_lookup(catalogue, "bridge");
	const GbExercise *one_leg = gb_catalogue_lookup(catalogue, "one-leg-bridge");
	const GbExercise *chair = gb_catalogue_lookup(catalogue, "chair-stretch");
	const GbExercise *walk = gb_catalogue_lookup(catalogue, "walk");
	g_autofree char *level3 = gb_exercise_format_level_body(bridge, 3);
	g_autofree char *level4 = gb_exercise_format_level_body(bridge, 4);
	g_autofree char *beyond = gb_exercise_format_level_body(bridge, 7);
	g_autofree char *off = gb_exercise_format_level_body(bridge, 0);
	g_autofree char *one_leg_body = gb_exercise_format_level_body(one_leg, 2);
	g_autofree char *chair_body = gb_exercise_format_level_body(chair, 2);
	g_autofree char *walk_body = gb_exercise_format_level_body(walk, 0);
	g_autofree char *chair_plain = gb_exercise_format_body(chair);
	g_autofree char *bridge_plain = gb_exercise_format_body(bridge);

	g_assert_cmpstr(level3, ==,
	                "Bridge \u00b7 level 3 of 4 \u00b7 15 reps, 2 s hold\n"
	                "Lie on your back, knees bent.\nLift your hips.\n"
	                "Why: Wakes up the glutes.\n"
	                "Pregnant? Do a standing exercise instead.\n" GB_SAFETY_LINE);
	/* a level with steps of its own */
	g_assert_cmpstr(level4, ==,
	                "Bridge \u00b7 level 4 of 4 \u00b7 12 reps, 5 s hold\n"
	                "Lie on your back, knees bent.\nLift your hips and hold 5 s.\n"
	                "Lower over 3 s.\nWhy: Wakes up the glutes.\n"
	                "Pregnant? Do a standing exercise instead.\n" GB_SAFETY_LINE);
	g_assert_cmpstr(beyond, ==, level4);
	/* no programme: the dose, still with the caution and the safety line */
	g_assert_cmpstr(off, ==,
	                "Bridge \u2014 12 reps\nLie on your back, knees bent.\nLift your hips.\n"
	                "Why: Wakes up the glutes.\n"
	                "Pregnant? Do a standing exercise instead.\n" GB_SAFETY_LINE);
	g_assert_cmpstr(one_leg_body, ==,
	                "One-leg bridge \u00b7 level 2 of 2 \u00b7 8 each side\nLift one leg.\n"
	                "Why: Evens out a weaker side.\n" GB_SAFETY_LINE);
	/* no levels: a level is ignored; no safety line but for strength work */
	g_assert_cmpstr(chair_body, ==,
	                "Chair stretch \u2014 30 s each side\n"
	                "Cross one ankle over the other knee and lean forward.\n"
	                "Why: Stretches the deep hip.\n"
	                "After a hip replacement, ask your surgeon first.");
	g_assert_cmpstr(walk_body, ==,
	                "Walk \u2014 3 min\nWalk a lap.\nWhy: Glutes are made for walking.");
	/* the body without the programme: only the caution is new */
	g_assert_cmpstr(chair_plain, ==, chair_body);
	g_assert_cmpstr(bridge_plain, ==,
	                "Bridge \u2014 12 reps\nLie on your back, knees bent.\nLift your hips.\n"
	                "Why: Wakes up the glutes.\nPregnant? Do a standing exercise instead.");
}

/* A complete strengthen section for the error texts below; @extra goes after its keys. */
#define BRIDGE(extra)                                                                  \
	"[bridge]\nname = Bridge\ncategory = strengthen\nsteps = Lift your hips.\n"     \
	"dose = 12 reps\nwhy = Glutes.\n" extra
/* lines 1-6 are BRIDGE's own */

typedef struct {
	const char *name;
	const char *text;
	const char *message; /* after "PATH:" */
} TextCase;

static const TextCase level_cases[] = {
	{ "levels-release",
	  "[chair]\nname = Chair\ncategory = release\nsteps = Lean.\ndose = 30 s\nwhy = Hip.\n"
	  "levels = 30 s\n\t45 s\n",
	  "7: [chair] levels: only strengthen exercises have levels "
	  "(set category = strengthen, or remove levels)" },
	{ "levels-then-category",
	  "[chair]\nlevels = 30 s\nname = Chair\ncategory = move\nsteps = Lean.\ndose = 30 s\n"
	  "why = Hip.\n",
	  "2: [chair] levels: only strengthen exercises have levels "
	  "(set category = strengthen, or remove levels)" },
	{ "requires-release",
	  BRIDGE("levels = 1\n\t2\n")
	  "[chair]\nname = Chair\ncategory = release\nsteps = Lean.\ndose = 30 s\nwhy = Hip.\n"
	  "requires = bridge 2\n",
	  "15: [chair] requires: only strengthen exercises can be locked "
	  "(set category = strengthen, or remove requires)" },
	{ "levels-empty", BRIDGE("levels =\n"),
	  "7: [bridge] levels: empty value (write the first level's dose, e.g. '10 reps')" },
	{ "levels-too-many", BRIDGE("levels = 1\n\t2\n\t3\n\t4\n\t5\n\t6\n\t7\n\t8\n\t9\n\t10\n"),
	  "16: [bridge] levels: too many levels (at most 9; merge two or drop the easiest)" },
	{ "levels-duplicate", BRIDGE("levels = 1\nlevels = 2\n"),
	  "8: [bridge] levels: duplicate key (already set at line 7)" },
	{ "level-steps-beyond",
	  BRIDGE("levels = 1\n\t2\n\t3\nlevel4-steps = Lift high.\n\tHold.\n"),
	  "10: [bridge] level4-steps: no level 4, the exercise has 3 "
	  "(add levels, or remove this key)" },
	{ "level-steps-no-levels", BRIDGE("level2-steps = Lift high.\n"),
	  "7: [bridge] level2-steps: the exercise has no levels (add a levels key)" },
	{ "level-steps-zero", BRIDGE("levels = 1\nlevel0-steps = Lift.\n"),
	  "8: [bridge] level0-steps: no such level (use level1-steps to level9-steps)" },
	{ "level-steps-ten", BRIDGE("levels = 1\nlevel10-steps = Lift.\n"),
	  "8: [bridge] level10-steps: no such level (use level1-steps to level9-steps)" },
	{ "level-steps-too-many", BRIDGE("levels = 1\nlevel1-steps = A.\n\tB.\n\tC.\n\tD.\n"),
	  "11: [bridge] level1-steps: too many step lines (at most 3; shorten or merge them)" },
	{ "level-steps-empty", BRIDGE("levels = 1\nlevel1-steps =\n"),
	  "8: [bridge] level1-steps: empty value (write the level's first step on this line)" },
	{ "level-steps-duplicate",
	  BRIDGE("levels = 1\n\t2\nlevel2-steps = A.\nlevel2-steps = B.\n"),
	  "10: [bridge] level2-steps: duplicate key (already set at line 9)" },
	{ "level-steps-shape", BRIDGE("levels = 1\nlevel-1-steps = A.\n"),
	  "8: [bridge] level-1-steps: unknown key (use name, category, steps, dose, tags, why, "
	  "enabled, levels, level<N>-steps, hard-from, requires or caution)" },
	{ "hard-from-word", BRIDGE("levels = 1\nhard-from = four\n"),
	  "8: [bridge] hard-from: invalid level 'four' "
	  "(write a level number from 1 to 9, e.g. 4)" },
	{ "hard-from-zero", BRIDGE("levels = 1\nhard-from = 0\n"),
	  "8: [bridge] hard-from: invalid level '0' (write a level number from 1 to 9, e.g. 4)" },
	{ "hard-from-empty", BRIDGE("hard-from =\n"),
	  "7: [bridge] hard-from: empty value (write a level number, e.g. 4)" },
	{ "hard-from-beyond", BRIDGE("hard-from = 4\nlevels = 1\n\t2\n\t3\n"),
	  "7: [bridge] hard-from: no level 4, the exercise has 3 (use 1 to 3)" },
	{ "hard-from-no-levels", BRIDGE("hard-from = 2\n"),
	  "7: [bridge] hard-from: the exercise has no levels "
	  "(add a levels key, or remove hard-from)" },
	{ "requires-one-word", BRIDGE("requires = glute-bridge\n"),
	  "7: [bridge] requires: invalid value 'glute-bridge' (write the id of the exercise "
	  "that unlocks this one and its level, e.g. 'glute-bridge 3')" },
	{ "requires-three-words", BRIDGE("requires = glute bridge 3\n"),
	  "7: [bridge] requires: invalid value 'glute bridge 3' (write the id of the exercise "
	  "that unlocks this one and its level, e.g. 'glute-bridge 3')" },
	{ "requires-bad-level", BRIDGE("requires = squat three\n"),
	  "7: [bridge] requires: invalid level 'three' (write a level number from 1 to 9 after "
	  "the id, e.g. 'glute-bridge 3')" },
	{ "requires-unknown", BRIDGE("requires = squat 2\n"),
	  "7: [bridge] requires: unknown exercise 'squat' (use the id of a strengthen exercise "
	  "with levels, e.g. glute-bridge)" },
	{ "requires-self", BRIDGE("levels = 1\n\t2\nrequires = bridge 2\n"),
	  "9: [bridge] requires: an exercise cannot unlock itself (name another exercise)" },
	{ "requires-beyond",
	  BRIDGE("levels = 1\n\t2\n")
	  "[squat]\nname = Squat\ncategory = strengthen\nsteps = Sit.\ndose = 5\nwhy = Legs.\n"
	  "requires = bridge 3\n",
	  "15: [squat] requires: exercise 'bridge' has only 2 levels (use a level from 1 to 2)" },
	{ "requires-no-levels",
	  BRIDGE("requires = walk 1\n")
	  "[walk]\nname = Walk\ncategory = move\nsteps = Walk.\ndose = 3 min\nwhy = Legs.\n",
	  "7: [bridge] requires: exercise 'walk' has no levels "
	  "(name a strengthen exercise with levels)" },
	{ "requires-loop",
	  BRIDGE("levels = 1\n\t2\nrequires = squat 1\n")
	  "[squat]\nname = Squat\ncategory = strengthen\nsteps = Sit.\ndose = 5\nwhy = Legs.\n"
	  "levels = 1\nrequires = bridge 2\n",
	  "9: [bridge] requires: exercise 'squat' is itself unlocked by this one, so neither "
	  "would ever be offered (remove one of the requires)" },
	{ "caution-continued", BRIDGE("caution = Careful.\n\tVery.\n"),
	  "8: [bridge] caution: only steps, levels and level<N>-steps may continue on an "
	  "indented line (remove the indentation)" },
};

static void
test_level_error(gconstpointer data)
{
	const TextCase *text_case = data;

	assert_text_error(text_case->text, text_case->message);
}

/* The shipped file @shipped with the user's @user on top must fail with
 * "@where_file:@message", where_file "shipped" or "user". */
static void
assert_user_error(const char *shipped, const char *user, const char *where_file,
                  const char *message)
{
	g_autofree char *path = g_build_filename(g_get_user_runtime_dir(), "shipped.ini", NULL);
	g_autofree char *user_path = g_build_filename(g_get_user_runtime_dir(), "user.ini", NULL);
	g_autofree char *expected = g_strdup_printf(
		"%s:%s", g_str_equal(where_file, "user") ? user_path : path, message);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;

	g_mkdir_with_parents(g_get_user_runtime_dir(), 0700);
	g_assert_true(g_file_set_contents(path, shipped, -1, NULL));
	g_assert_true(g_file_set_contents(user_path, user, -1, NULL));
	catalogue = gb_catalogue_load(path, user_path, &error);
	g_assert_null(catalogue);
	g_assert_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
	g_assert_cmpstr(error->message, ==, expected);
}

#define SQUAT_REQUIRES_BRIDGE                                                          \
	BRIDGE("levels = 1\n\t2\n\t3\n")                                                \
	"[squat]\nname = Squat\ncategory = strengthen\nsteps = Sit.\ndose = 5\nwhy = Legs.\n" \
	"levels = 1\n\t2\nrequires = bridge 3\n"
/* squat's requires is on line 18 */

/* Across the two files: requires checked after both, at the requires key's file and
 * line; a category change that leaves levels behind. */
static void
test_levels_user_errors(void)
{
	g_autoptr(GbCatalogue) fine = NULL;
	g_autofree char *path = g_build_filename(g_get_user_runtime_dir(), "shipped.ini", NULL);
	g_autofree char *user_path = g_build_filename(g_get_user_runtime_dir(), "user.ini", NULL);
	g_autoptr(GError) error = NULL;

	assert_user_error(SQUAT_REQUIRES_BRIDGE, "[bridge]\nlevels = 1\n\t2\n", "shipped",
	                  "18: [squat] requires: exercise 'bridge' has only 2 levels "
	                  "(use a level from 1 to 2)");
	assert_user_error(SQUAT_REQUIRES_BRIDGE, "\n[squat]\nrequires = lunge 1\n", "user",
	                  "3: [squat] requires: unknown exercise 'lunge' (use the id of a "
	                  "strengthen exercise with levels, e.g. glute-bridge)");
	assert_user_error(SQUAT_REQUIRES_BRIDGE, "[bridge]\n\ncategory = release\n", "user",
	                  "3: [bridge] category: only strengthen exercises have levels "
	                  "(keep strengthen, or add this exercise under a new id)");
	assert_user_error(SQUAT_REQUIRES_BRIDGE, "[squat]\nlevel3-steps = Sit lower.\n", "user",
	                  "2: [squat] level3-steps: no level 3, the exercise has 2 "
	                  "(add levels, or remove this key)");
	assert_user_error(SQUAT_REQUIRES_BRIDGE, "[squat]\nhard-from = 3\n", "user",
	                  "2: [squat] hard-from: no level 3, the exercise has 2 (use 1 to 2)");
	/* ... and each is fine once the user's file says what to do instead */
	g_assert_true(g_file_set_contents(user_path,
	                                  "[bridge]\nenabled = no\n[squat]\nrequires =\n"
	                                  "level2-steps = Sit lower.\nhard-from = 2\n", -1, NULL));
	fine = gb_catalogue_load(path, user_path, &error);
	g_assert_no_error(error);
	g_assert_null(gb_catalogue_lookup(fine, "bridge"));
	g_assert_cmpstr(gb_catalogue_lookup(fine, "squat")->levels[1].steps, ==, "Sit lower.");
	g_clear_pointer(&fine, gb_catalogue_free);

	/* the unlocking exercise turned off: the other one is offered without it */
	g_assert_true(g_file_set_contents(user_path, "[bridge]\nenabled = no\n", -1, NULL));
	fine = gb_catalogue_load(path, user_path, &error);
	g_assert_no_error(error);
	g_assert_null(gb_catalogue_lookup(fine, "squat")->requires);
	g_assert_cmpuint(gb_catalogue_lookup(fine, "squat")->requires_level, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/catalogue/shipped/levels", test_shipped_levels);
	g_test_add_func("/catalogue/levels/parse", test_levels_parsing);
	g_test_add_func("/catalogue/levels/user", test_levels_user);
	g_test_add_func("/catalogue/levels/format-body", test_format_level_body);
	for (gsize i = 0; i < G_N_ELEMENTS(level_cases); i++) {
		g_autofree char *name = g_strdup_printf("/catalogue/levels/error/%s",
		                                        level_cases[i].name);

		g_test_add_data_func(name, &level_cases[i], test_level_error);
	}
	g_test_add_func("/catalogue/levels/user-errors", test_levels_user_errors);

	return g_test_run();
}

/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "catalogue-test.h"

#define CYCLES 6

/* Draws @cycles * eligible picks and checks that every block of `eligible`
 * picks is a permutation of the eligible set and that no pick repeats the
 * one before it, also across block boundaries. */
static void
check_rotation(GbCatalogue *catalogue, GbCategory categories, const char *const *exclude,
               guint32 seed, int cycles)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	g_autoptr(GHashTable) cycle = g_hash_table_new(g_str_hash, g_str_equal);
	guint eligible = gb_catalogue_count_eligible(catalogue, categories, exclude);
	const GbExercise *previous = NULL;

	g_assert_cmpuint(eligible, >, 1);
	for (int c = 0; c < cycles; c++) {
		g_hash_table_remove_all(cycle);
		for (guint i = 0; i < eligible; i++) {
			const GbExercise *exercise;

			exercise = gb_catalogue_next(catalogue, categories, exclude, rand);
			g_assert_nonnull(exercise);
			g_assert_true(exercise->category & categories);
			for (const char *const *tag = exclude; tag != NULL && *tag != NULL; tag++)
				g_assert_false(g_strv_contains((const char *const *) exercise->tags,
				                               *tag));
			g_assert_true(exercise != previous);
			g_assert_true(g_hash_table_add(cycle, exercise->id)); /* no repeat */
			g_assert_true(gb_catalogue_lookup(catalogue, exercise->id) == exercise);
			previous = exercise;
		}
		g_assert_cmpuint(g_hash_table_size(cycle), ==, eligible);
	}
}

static void
test_shipped_rotation(void)
{
	for (guint32 seed = 1; seed <= 20; seed++) {
		g_autoptr(GbCatalogue) catalogue = load_shipped();

		check_rotation(catalogue, GB_CATEGORY_ALL, NULL, seed, CYCLES);
	}
}

static void
test_rotation_cycles(void)
{
	const char *const no_floor[] = { "floor", NULL };

	for (guint32 seed = 1; seed <= 50; seed++) {
		g_autoptr(GbCatalogue) catalogue = load_fixture("base", NULL);

		g_autoptr(GbCatalogue) filtered = load_fixture("base", NULL);

		check_rotation(catalogue, GB_CATEGORY_ALL, NULL, seed, CYCLES);
		check_rotation(filtered, GB_CATEGORY_RELEASE | GB_CATEGORY_MOVE, no_floor, seed,
		               CYCLES);
	}
}

static void
test_rotation_two_alternate(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("base", NULL);
	g_autoptr(GRand) rand = g_rand_new_with_seed(7);
	const GbExercise *previous = NULL;

	for (int i = 0; i < 40; i++) {
		const GbExercise *exercise = gb_catalogue_next(catalogue, GB_CATEGORY_MOVE, NULL,
		                                               rand);

		g_assert_nonnull(exercise);
		g_assert_cmpint(exercise->category, ==, GB_CATEGORY_MOVE);
		g_assert_true(exercise != previous);
		previous = exercise;
	}
}

static void
test_rotation_one_or_none(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("base", NULL);
	g_autoptr(GRand) rand = g_rand_new_with_seed(1);
	const char *const only_floor[] = { "seated", "equipment", NULL };
	const char *const everything[] = { "seated", "standing", "floor", "equipment", NULL };

	for (int i = 0; i < 5; i++) {
		const GbExercise *exercise = gb_catalogue_next(catalogue, GB_CATEGORY_RELEASE,
		                                               only_floor, rand);

		g_assert_nonnull(exercise);
		g_assert_cmpstr(exercise->id, ==, "floor-stretch");
	}
	g_assert_null(gb_catalogue_next(catalogue, 0, NULL, rand));
	g_assert_null(gb_catalogue_next(catalogue, GB_CATEGORY_RELEASE, everything, rand));
	/* an entry without tags survives any tag filter */
	g_assert_cmpstr(gb_catalogue_next(catalogue, GB_CATEGORY_ALL, everything, rand)->id, ==,
	                "march");
}

static void
test_filter_counts(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("base", NULL);
	const char *const floor[] = { "floor", NULL };
	const char *const floor_equipment[] = { "floor", "equipment", NULL };
	const char *const standing[] = { "standing", NULL };
	const char *const seated[] = { "seated", NULL };
	const char *const unknown[] = { "trampoline", NULL };

	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_ALL, NULL), ==, 8);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_RELEASE, NULL), ==, 3);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_STRENGTHEN, NULL), ==,
	                 3);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_MOVE, NULL), ==, 2);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue,
	                                             GB_CATEGORY_RELEASE | GB_CATEGORY_MOVE, NULL),
	                 ==, 5);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, 0, NULL), ==, 0);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_ALL, floor), ==, 6);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_ALL, floor_equipment),
	                 ==, 5);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_ALL, standing), ==, 5);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_STRENGTHEN, seated),
	                 ==, 1);
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_ALL, unknown), ==, 8);
}

static void
test_filter_rotation(void)
{
	g_autoptr(GbCatalogue) strengthen = load_fixture("base", NULL);
	g_autoptr(GbCatalogue) no_floor = load_fixture("base", NULL);
	const char *const floor_equipment[] = { "floor", "equipment", NULL };

	/* check_rotation() asserts category and tags of every pick; a fresh
	 * catalogue each, so that the cycles line up with the blocks */
	check_rotation(strengthen, GB_CATEGORY_STRENGTHEN, NULL, 3, CYCLES);
	check_rotation(no_floor, GB_CATEGORY_ALL, floor_equipment, 4, CYCLES);
}

static void
test_filter_change_mid_cycle(void)
{
	for (guint32 seed = 1; seed <= 50; seed++) {
		g_autoptr(GbCatalogue) catalogue = load_fixture("base", NULL);
		g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
		g_autoptr(GHashTable) shown = g_hash_table_new(NULL, NULL);
		g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
		const GbExercise *exercise = NULL, *previous = NULL;
		guint release_left = 3, all_left;

		/* 1. three picks from everything */
		for (int i = 0; i < 3; i++) {
			exercise = gb_catalogue_next(catalogue, GB_CATEGORY_ALL, NULL, rand);
			g_assert_true(exercise != previous);
			g_assert_true(g_hash_table_add(shown, (gpointer) exercise));
			release_left -= exercise->category == GB_CATEGORY_RELEASE;
			previous = exercise;
		}

		/* 2. release only: first the release entries not shown yet ... */
		for (guint i = 0; i < release_left; i++) {
			exercise = gb_catalogue_next(catalogue, GB_CATEGORY_RELEASE, NULL, rand);
			g_assert_cmpint(exercise->category, ==, GB_CATEGORY_RELEASE);
			g_assert_true(exercise != previous);
			g_assert_true(g_hash_table_add(shown, (gpointer) exercise));
			previous = exercise;
		}
		/* ... then a new release cycle, not starting with the last one */
		exercise = gb_catalogue_next(catalogue, GB_CATEGORY_RELEASE, NULL, rand);
		g_assert_cmpint(exercise->category, ==, GB_CATEGORY_RELEASE);
		g_assert_true(exercise != previous);
		previous = exercise;
		for (guint i = 0; i < gb_catalogue_size(catalogue); i++) {
			const GbExercise *e = gb_catalogue_get(catalogue, i);

			if (e->category == GB_CATEGORY_RELEASE)
				g_hash_table_remove(shown, e);
		}
		g_hash_table_add(shown, (gpointer) exercise);

		/* 3. everything again: the rest of the first cycle, none of the
		 * shown ones (neither the first picks nor the new release one) */
		all_left = gb_catalogue_size(catalogue) - g_hash_table_size(shown);
		g_assert_cmpuint(all_left, >, 0);
		for (guint i = 0; i < all_left; i++) {
			exercise = gb_catalogue_next(catalogue, GB_CATEGORY_ALL, NULL, rand);
			g_assert_true(exercise != previous);
			g_assert_false(g_hash_table_contains(shown, exercise));
			g_assert_true(g_hash_table_add(seen, (gpointer) exercise));
			previous = exercise;
		}
		/* 4. then full cycles, still without a repeat at the boundary */
		g_hash_table_remove_all(seen);
		for (int c = 0; c < 3; c++) {
			for (guint i = 0; i < gb_catalogue_size(catalogue); i++) {
				exercise = gb_catalogue_next(catalogue, GB_CATEGORY_ALL, NULL,
				                             rand);
				g_assert_true(exercise != previous);
				g_assert_true(g_hash_table_add(seen, (gpointer) exercise));
				previous = exercise;
			}
			g_hash_table_remove_all(seen);
		}
	}
}

/* A reload builds a new catalogue; what was shown in this cycle stays shown. */
static void
test_rotation_survives_reload(void)
{
	g_autoptr(GbCatalogue) before = load_shipped();
	g_autoptr(GbCatalogue) after = load_shipped();
	g_autoptr(GRand) rand = g_rand_new_with_seed(7);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	guint total = gb_catalogue_size(before);
	const GbExercise *last = NULL;

	for (guint i = 0; i < total / 2; i++) {
		last = gb_catalogue_next(before, GB_CATEGORY_ALL, NULL, rand);
		g_hash_table_add(seen, last->id);
	}
	gb_catalogue_keep_rotation(after, before);
	for (guint i = total / 2; i < total; i++) {
		const GbExercise *e = gb_catalogue_next(after, GB_CATEGORY_ALL, NULL, rand);

		g_assert_false(g_hash_table_contains(seen, e->id));
		g_hash_table_add(seen, e->id);
		last = e;
	}
	g_assert_cmpuint(g_hash_table_size(seen), ==, total);
	/* the next cycle starts without repeating the last one */
	g_assert_cmpstr(gb_catalogue_next(after, GB_CATEGORY_ALL, NULL, rand)->id, !=, last->id);
}

static void
test_user_overrides(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("base", "user");
	const GbExercise *bridge = gb_catalogue_lookup(catalogue, "bridge");
	const GbExercise *walk = gb_catalogue_lookup(catalogue, "walk");
	const GbExercise *clamshell = gb_catalogue_lookup(catalogue, "clamshell");
	guint size = gb_catalogue_size(catalogue);

	g_assert_cmpuint(size, ==, 8); /* 8 - march + clamshell */
	/* one key overridden, the rest kept */
	g_assert_cmpstr(bridge->dose, ==, "20 reps");
	g_assert_cmpstr(bridge->name, ==, "Bridge");
	g_assert_cmpstr(bridge->steps, ==,
	                "Lie on your back, knees bent.\nLift your hips.\nLower slowly.");
	/* steps are replaced, not appended to */
	g_assert_cmpstr(walk->steps, ==,
	                "Walk to the far end of the building.\nTake the long way back.\n"
	                "Swing your arms.");
	g_assert_cmpstr(walk->name, ==, "Walk");
	/* disabled, and disabling an unknown id is fine */
	g_assert_null(gb_catalogue_lookup(catalogue, "march"));
	g_assert_null(gb_catalogue_lookup(catalogue, "no-such-exercise"));
	g_assert_cmpuint(gb_catalogue_count_eligible(catalogue, GB_CATEGORY_MOVE, NULL), ==, 1);
	/* added, at the end */
	g_assert_nonnull(clamshell);
	g_assert_true(gb_catalogue_get(catalogue, size - 1) == clamshell);
	g_assert_cmpint(clamshell->category, ==, GB_CATEGORY_STRENGTHEN);
	g_assert_cmpstr(clamshell->steps, ==,
	                "Lie on your side with your knees bent.\n"
	                "Keep your feet together and lift the top knee.");
	/* each pick is found by gb_catalogue_lookup(), so never "march" */
	check_rotation(catalogue, GB_CATEGORY_ALL, NULL, 11, CYCLES);
}

static void
test_format_body(void)
{
	g_autoptr(GbCatalogue) catalogue = load_fixture("base", NULL);
	g_autofree char *bridge = gb_exercise_format_body(gb_catalogue_lookup(catalogue, "bridge"));
	g_autofree char *walk = gb_exercise_format_body(gb_catalogue_lookup(catalogue, "walk"));

	g_assert_cmpstr(bridge, ==,
	                "Bridge \u2014 12 reps\n"
	                "Lie on your back, knees bent.\nLift your hips.\nLower slowly.\n"
	                "Why: Wakes up the glutes.");
	g_assert_cmpstr(walk, ==,
	                "Walk \u2014 3-5 min\nWalk a lap of the floor.\n"
	                "Why: Glutes are made for walking.");
	g_assert_true(g_utf8_validate(bridge, -1, NULL));
}

static void
test_names(void)
{
	GbCategory category = 0;

	g_assert_true(gb_category_from_string("release", &category));
	g_assert_cmpint(category, ==, GB_CATEGORY_RELEASE);
	g_assert_true(gb_category_from_string("strengthen", &category));
	g_assert_cmpint(category, ==, GB_CATEGORY_STRENGTHEN);
	g_assert_true(gb_category_from_string("move", &category));
	g_assert_cmpint(category, ==, GB_CATEGORY_MOVE);
	g_assert_true(gb_category_from_string("move", NULL));
	category = GB_CATEGORY_MOVE;
	g_assert_false(gb_category_from_string("strength", &category));
	g_assert_false(gb_category_from_string("Release", &category));
	g_assert_false(gb_category_from_string("", &category));
	g_assert_cmpint(category, ==, GB_CATEGORY_MOVE); /* untouched */

	g_assert_cmpstr(gb_category_to_string(GB_CATEGORY_RELEASE), ==, "release");
	g_assert_cmpstr(gb_category_to_string(GB_CATEGORY_STRENGTHEN), ==, "strengthen");
	g_assert_cmpstr(gb_category_to_string(GB_CATEGORY_MOVE), ==, "move");
	g_assert_null(gb_category_to_string(GB_CATEGORY_ALL));

	g_assert_true(gb_exercise_tag_known("seated"));
	g_assert_true(gb_exercise_tag_known("standing"));
	g_assert_true(gb_exercise_tag_known("floor"));
	g_assert_true(gb_exercise_tag_known("equipment"));
	g_assert_false(gb_exercise_tag_known("desk"));
	g_assert_false(gb_exercise_tag_known("Floor"));
	g_assert_false(gb_exercise_tag_known(""));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

	g_test_add_func("/exercises/shipped/rotation", test_shipped_rotation);
	g_test_add_func("/exercises/rotation/cycles", test_rotation_cycles);
	g_test_add_func("/exercises/rotation/two-alternate", test_rotation_two_alternate);
	g_test_add_func("/exercises/rotation/survives-reload", test_rotation_survives_reload);
	g_test_add_func("/exercises/rotation/one-or-none", test_rotation_one_or_none);
	g_test_add_func("/exercises/filter/counts", test_filter_counts);
	g_test_add_func("/exercises/filter/rotation", test_filter_rotation);
	g_test_add_func("/exercises/filter/change-mid-cycle", test_filter_change_mid_cycle);
	g_test_add_func("/exercises/user/overrides", test_user_overrides);
	g_test_add_func("/exercises/format-body", test_format_body);
	g_test_add_func("/exercises/names", test_names);

	return g_test_run();
}

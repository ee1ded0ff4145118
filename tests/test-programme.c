/* SPDX-License-Identifier: MIT */
/* The programme's levels and its state file (src/programme.c, src/programme-file.c), over
 * literal days: GbDay 739951 is 2026-12-01 (g_date_new_dmy(1, 12, 2026) as a Julian day). */
#include "errors.h"
#include "programme-test.h"

/* bridge L1-5, single-bridge L1-5 (hard from 4, unlocked at bridge 3), squat L1-6 (hard from
 * 5), squeeze (no levels), stretch (release), walk (move) */
static const TestExercise exercises[] = {
	{ "bridge", GB_CATEGORY_STRENGTHEN, 5, 0, NULL, 0, "floor" },
	{ "single-bridge", GB_CATEGORY_STRENGTHEN, 5, 4, "bridge", 3, "floor" },
	{ "squat", GB_CATEGORY_STRENGTHEN, 6, 5, NULL, 0, "standing" },
	{ "squeeze", GB_CATEGORY_STRENGTHEN, 0, 0, NULL, 0, "seated" },
	{ "stretch", GB_CATEGORY_RELEASE, 0, 0, NULL, 0, "seated" },
	{ "walk", GB_CATEGORY_MOVE, 0, 0, NULL, 0, "standing" },
};

static GbCatalogue *
test_catalogue(void)
{
	return test_catalogue_new(exercises, G_N_ELEMENTS(exercises));
}

static const GbExercise *
exercise(const GbCatalogue *catalogue, const char *id)
{
	const GbExercise *exercise = gb_catalogue_lookup(catalogue, id);

	g_assert_nonnull(exercise);
	return exercise;
}

/* Done on @id on @day: TRUE if the level changed */
static gboolean
done(GbProgramme *programme, const GbCatalogue *catalogue, const char *id, GbDay day)
{
	GbLevelChange change = { 0 };
	gboolean changed = gb_programme_done(programme, exercise(catalogue, id), day, &change);

	if (changed) {
		g_assert_cmpstr(change.id, ==, id);
		g_assert_cmpint(change.kind, ==, GB_LEVEL_UP);
		g_assert_cmpuint(change.to, ==, change.from + 1);
	}
	return changed;
}

/* Done on @id on @n days from @day on (one a day), every one but the last without a
 * level change, the last with one */
static void
climb(GbProgramme *programme, const GbCatalogue *catalogue, const char *id, GbDay day, guint n)
{
	for (guint i = 0; i + 1 < n; i++)
		g_assert_false(done(programme, catalogue, id, day + i));
	g_assert_true(done(programme, catalogue, id, day + n - 1));
}

static const GbProgress *
progress(const GbProgramme *programme, const char *id)
{
	const GbProgress *progress = gb_programme_lookup(programme, id);

	g_assert_nonnull(progress);
	return progress;
}

static void
test_once_a_day(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();

	g_assert_null(gb_programme_lookup(programme, "bridge"));
	for (int i = 0; i < 3; i++)
		g_assert_false(done(programme, catalogue, "bridge", DEC_1));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 1);
	g_assert_cmpuint(progress(programme, "bridge")->days_at_level, ==, 1);
	g_assert_cmpuint(progress(programme, "bridge")->last_done, ==, DEC_1);
	/* the next two days make three */
	g_assert_false(done(programme, catalogue, "bridge", DEC_1 + 1));
	g_assert_true(done(programme, catalogue, "bridge", DEC_1 + 2));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 2);
}

static void
test_three_days(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	const GbExercise *bridge = exercise(catalogue, "bridge");
	GbLevelChange change = { 0 };

	/* separate days need not be in a row */
	g_assert_false(done(programme, catalogue, "bridge", DEC_1));
	g_assert_false(done(programme, catalogue, "bridge", DEC_1 + 4));
	g_assert_cmpuint(gb_programme_level(programme, bridge), ==, 1);
	g_assert_true(gb_programme_done(programme, bridge, DEC_1 + 9, &change));
	g_assert_cmpstr(change.id, ==, "bridge");
	g_assert_cmpint(change.kind, ==, GB_LEVEL_UP);
	g_assert_cmpuint(change.from, ==, 1);
	g_assert_cmpuint(change.to, ==, 2);
	g_assert_cmpuint(gb_programme_level(programme, bridge), ==, 2);
	g_assert_cmpuint(progress(programme, "bridge")->best_level, ==, 2);
	/* the counter starts again at the new level: three more days to level 3 */
	g_assert_cmpuint(progress(programme, "bridge")->days_at_level, ==, 0);
	g_assert_cmpuint(gb_programme_days_needed(progress(programme, "bridge")), ==, 3);
	climb(programme, catalogue, "bridge", DEC_1 + 10, 3);
	g_assert_cmpuint(gb_programme_level(programme, bridge), ==, 3);
}

static void
test_four_from_level_3(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();

	climb(programme, catalogue, "squat", DEC_1, 3);
	climb(programme, catalogue, "squat", DEC_1 + 3, 3);
	g_assert_cmpuint(progress(programme, "squat")->level, ==, 3);
	g_assert_cmpuint(gb_programme_days_needed(progress(programme, "squat")), ==, 4);
	climb(programme, catalogue, "squat", DEC_1 + 6, 4);
	g_assert_cmpuint(progress(programme, "squat")->level, ==, 4);
	climb(programme, catalogue, "squat", DEC_1 + 10, 4);
	g_assert_cmpuint(progress(programme, "squat")->level, ==, 5);
}

static void
test_top_level(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	const GbExercise *squeeze = exercise(catalogue, "squeeze");
	GbDay day = DEC_1;

	for (guint level = 1; level < 5; level++) {
		guint needed = gb_programme_days_needed(gb_programme_get(programme, "bridge"));

		climb(programme, catalogue, "bridge", day, needed);
		day += needed;
	}
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 5);
	for (guint i = 0; i < 10; i++)
		g_assert_false(done(programme, catalogue, "bridge", day + i));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 5);
	g_assert_cmpuint(gb_programme_level(programme, exercise(catalogue, "bridge")), ==, 5);
	g_assert_cmpuint(progress(programme, "bridge")->last_done, ==, day + 9);
	/* no levels: level 1 for good, shown as 0 (the dose), Done still counts as done */
	for (guint i = 0; i < 10; i++)
		g_assert_false(gb_programme_done(programme, squeeze, DEC_1 + i, NULL));
	g_assert_cmpuint(progress(programme, "squeeze")->level, ==, 1);
	g_assert_cmpuint(progress(programme, "squeeze")->last_done, ==, DEC_1 + 9);
	g_assert_cmpuint(gb_programme_level(programme, squeeze), ==, 0);
	/* release and move have no progress */
	for (guint i = 0; i < 3; i++) {
		g_assert_false(gb_programme_done(programme, exercise(catalogue, "walk"), DEC_1 + i,
		                                 NULL));
		g_assert_false(gb_programme_too_hard(programme, exercise(catalogue, "stretch"),
		                                     DEC_1 + i, NULL));
	}
	g_assert_null(gb_programme_lookup(programme, "walk"));
	g_assert_null(gb_programme_lookup(programme, "stretch"));
}

/* bridge at level 3, last done on DEC_1 + 5 */
static GbProgramme *
at_level_3(const GbCatalogue *catalogue)
{
	GbProgramme *programme = gb_programme_new();

	climb(programme, catalogue, "bridge", DEC_1, 3);
	climb(programme, catalogue, "bridge", DEC_1 + 3, 3);
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 3);
	return programme;
}

/* catch_up on @day: the one change it reports (NULL: none) */
static const GbLevelChange *
catch_up(GbProgramme *programme, const GbCatalogue *catalogue, GbDay day, GPtrArray *changes)
{
	g_ptr_array_set_size(changes, 0);
	gb_programme_catch_up(programme, catalogue, day, changes);
	g_assert_cmpuint(changes->len, <=, 1);
	return changes->len > 0 ? g_ptr_array_index(changes, 0) : NULL;
}

static void
test_lapse(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = at_level_3(catalogue);
	g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_free);
	GbDay last = DEC_1 + 5;
	const GbLevelChange *change;

	g_assert_null(catch_up(programme, catalogue, last + 13, changes));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 3);
	change = catch_up(programme, catalogue, last + 14, changes);
	g_assert_nonnull(change);
	g_assert_cmpstr(change->id, ==, "bridge");
	g_assert_cmpint(change->kind, ==, GB_LEVEL_DOWN);
	g_assert_cmpuint(change->from, ==, 3);
	g_assert_cmpuint(change->to, ==, 2);
	g_assert_cmpuint(progress(programme, "bridge")->lapse_from, ==, last + 14);
	/* idempotent: the same day, or the next, changes nothing */
	g_assert_null(catch_up(programme, catalogue, last + 14, changes));
	g_assert_null(catch_up(programme, catalogue, last + 27, changes));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 2);
	change = catch_up(programme, catalogue, last + 28, changes);
	g_assert_nonnull(change);
	g_assert_cmpuint(change->from, ==, 2);
	g_assert_cmpuint(change->to, ==, 1);
	/* never below 1, and the best level is kept */
	g_assert_null(catch_up(programme, catalogue, last + 200, changes));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 1);
	g_assert_cmpuint(progress(programme, "bridge")->best_level, ==, 3);
	g_assert_cmpuint(progress(programme, "bridge")->last_done, ==, last);
}

static void
test_lapse_28_days(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = at_level_3(catalogue);
	g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_free);
	const GbLevelChange *change;

	/* two levels in one go, and again the same day changes nothing */
	change = catch_up(programme, catalogue, DEC_1 + 5 + 28, changes);
	g_assert_nonnull(change);
	g_assert_cmpuint(change->from, ==, 3);
	g_assert_cmpuint(change->to, ==, 1);
	g_assert_null(catch_up(programme, catalogue, DEC_1 + 5 + 28, changes));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 1);

	/* three levels' worth of lapse from level 3 stops at 1 */
	g_clear_pointer(&programme, gb_programme_free);
	programme = at_level_3(catalogue);
	change = catch_up(programme, catalogue, DEC_1 + 5 + 42, changes);
	g_assert_nonnull(change);
	g_assert_cmpuint(change->to, ==, 1);
	/* a Done restarts the clock */
	g_assert_false(done(programme, catalogue, "bridge", DEC_1 + 50));
	g_assert_cmpuint(progress(programme, "bridge")->lapse_from, ==, DEC_1 + 50);
	g_assert_null(catch_up(programme, catalogue, DEC_1 + 63, changes));
}

static void
test_reclimb(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = at_level_3(catalogue);
	g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_free);
	GbDay day = DEC_1 + 5 + 28;

	g_assert_nonnull(catch_up(programme, catalogue, day, changes));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 1);
	/* back to the best level, 2 days a level; above it the usual 4 */
	g_assert_cmpuint(gb_programme_days_needed(progress(programme, "bridge")), ==, 2);
	climb(programme, catalogue, "bridge", day, 2);
	climb(programme, catalogue, "bridge", day + 2, 2);
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 3);
	g_assert_cmpuint(gb_programme_days_needed(progress(programme, "bridge")), ==, 4);
	climb(programme, catalogue, "bridge", day + 4, 4);
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 4);
	g_assert_cmpuint(progress(programme, "bridge")->best_level, ==, 4);
}

static void
test_unlocks(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_free);
	const GbExercise *single = exercise(catalogue, "single-bridge");
	static const TestExercise orphan[] = {
		{ "lunge", GB_CATEGORY_STRENGTHEN, 5, 0, "squat", 3, NULL },
	};
	g_autoptr(GbCatalogue) without = test_catalogue_new(orphan, G_N_ELEMENTS(orphan));

	g_assert_true(gb_programme_unlocked(programme, catalogue, exercise(catalogue, "bridge")));
	g_assert_false(gb_programme_unlocked(programme, catalogue, single));
	climb(programme, catalogue, "bridge", DEC_1, 3);
	g_assert_false(gb_programme_unlocked(programme, catalogue, single));
	climb(programme, catalogue, "bridge", DEC_1 + 3, 3);
	g_assert_true(gb_programme_unlocked(programme, catalogue, single));
	/* a lapse keeps it: the best level counts */
	gb_programme_catch_up(programme, catalogue, DEC_1 + 5 + 28, changes);
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 1);
	g_assert_true(gb_programme_unlocked(programme, catalogue, single));
	/* a requirement not in the catalogue (disabled) would hide it for good: none */
	g_assert_true(gb_programme_unlocked(programme, without, exercise(without, "lunge")));
}

static void
test_too_hard(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = at_level_3(catalogue);
	const GbExercise *bridge = exercise(catalogue, "bridge");
	const GbExercise *single = exercise(catalogue, "single-bridge");
	GbLevelChange change = { 0 };
	GbDay day = DEC_1 + 6;

	g_assert_true(gb_programme_unlocked(programme, catalogue, single));
	/* one day, however often, is one day; it is no Done */
	g_assert_false(gb_programme_too_hard(programme, bridge, day, &change));
	g_assert_false(gb_programme_too_hard(programme, bridge, day, &change));
	g_assert_cmpuint(progress(programme, "bridge")->too_hard_days, ==, 1);
	g_assert_cmpuint(progress(programme, "bridge")->last_done, ==, DEC_1 + 5);
	g_assert_cmpuint(progress(programme, "bridge")->days_at_level, ==, 0);
	g_assert_true(gb_programme_too_hard(programme, bridge, day + 3, &change));
	g_assert_cmpstr(change.id, ==, "bridge");
	g_assert_cmpint(change.kind, ==, GB_LEVEL_EASED);
	g_assert_cmpuint(change.from, ==, 3);
	g_assert_cmpuint(change.to, ==, 2);
	g_assert_cmpuint(progress(programme, "bridge")->too_hard_days, ==, 0);
	/* level 3 was too hard: no fast re-climb to it, and what it unlocked waits again */
	g_assert_cmpuint(gb_programme_days_needed(progress(programme, "bridge")), ==, 3);
	g_assert_false(gb_programme_unlocked(programme, catalogue, single));

	/* two more days to level 1, two at level 1 retire it */
	g_assert_false(gb_programme_too_hard(programme, bridge, day + 4, NULL));
	g_assert_true(gb_programme_too_hard(programme, bridge, day + 5, NULL));
	g_assert_cmpuint(progress(programme, "bridge")->level, ==, 1);
	g_assert_false(gb_programme_too_hard(programme, bridge, day + 6, NULL));
	g_assert_true(gb_programme_too_hard(programme, bridge, day + 7, &change));
	g_assert_cmpint(change.kind, ==, GB_LEVEL_RETIRED);
	g_assert_true(progress(programme, "bridge")->retired);
	g_assert_false(gb_programme_too_hard(programme, bridge, day + 8, NULL));

	/* a Done brings it back at level 1, and counts as that level's first day */
	g_assert_true(gb_programme_done(programme, bridge, day + 9, &change));
	g_assert_cmpint(change.kind, ==, GB_LEVEL_RESUMED);
	g_assert_cmpuint(change.to, ==, 1);
	g_assert_false(progress(programme, "bridge")->retired);
	g_assert_cmpuint(progress(programme, "bridge")->days_at_level, ==, 1);
	g_assert_cmpuint(progress(programme, "bridge")->last_done, ==, day + 9);
	g_assert_false(gb_programme_done(programme, bridge, day + 9, NULL));
}

static void
test_strings(void)
{
	static const char *const names[] = { "both", "tight", "weak" };
	static const char *const changes[] = { "up", "down", "eased", "retired", "resumed" };
	GbFocus focus = GB_FOCUS_WEAK;

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_assert_true(gb_focus_from_string(names[i], &focus));
		g_assert_cmpstr(gb_focus_to_string(focus), ==, names[i]);
	}
	g_assert_true(gb_focus_from_string("both", &focus));
	g_assert_cmpint(focus, ==, GB_FOCUS_BOTH);
	g_assert_false(gb_focus_from_string("Both", &focus));
	g_assert_false(gb_focus_from_string("unsure", &focus));
	g_assert_false(gb_focus_from_string("", NULL));
	g_assert_cmpint(focus, ==, GB_FOCUS_BOTH);
	for (gsize i = 0; i < G_N_ELEMENTS(changes); i++)
		g_assert_cmpstr(gb_level_change_to_string((GbLevelChangeKind) i), ==, changes[i]);
}

static void
test_list(void)
{
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GPtrArray) list = NULL;

	gb_programme_get(programme, "squat");
	gb_programme_get(programme, "bridge");
	gb_programme_get(programme, "single-bridge");
	g_assert_true(gb_programme_get(programme, "squat") ==
	              gb_programme_lookup(programme, "squat"));
	list = gb_programme_list(programme);
	g_assert_cmpuint(list->len, ==, 3);
	g_assert_cmpstr(((GbProgress *) g_ptr_array_index(list, 0))->id, ==, "bridge");
	g_assert_cmpstr(((GbProgress *) g_ptr_array_index(list, 1))->id, ==, "single-bridge");
	g_assert_cmpstr(((GbProgress *) g_ptr_array_index(list, 2))->id, ==, "squat");
	g_assert_cmpuint(((GbProgress *) g_ptr_array_index(list, 2))->level, ==, 1);
}

/* @programme in its key file's text */
static char *
saved(const GbProgramme *programme)
{
	g_autoptr(GKeyFile) file = g_key_file_new();

	gb_programme_save(programme, file);
	return g_key_file_to_data(file, NULL, NULL);
}

static void
load(GbProgramme *programme, const char *text, GError **error)
{
	g_autoptr(GKeyFile) file = g_key_file_new();

	g_assert_true(g_key_file_load_from_data(file, text, -1, G_KEY_FILE_NONE, NULL));
	if (gb_programme_load(programme, file, error))
		g_assert_true(error == NULL || *error == NULL);
}

static void
test_file_round_trip(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = at_level_3(catalogue);
	g_autoptr(GbProgramme) loaded = gb_programme_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	g_autofree char *again = NULL;
	const GbExercise *squeeze = exercise(catalogue, "squeeze");

	text = saved(programme);
	g_assert_cmpstr(text, ==, "[programme]\nbridge=3;3;0;739956;739956;0;0;0;0\n"
	                          "_mix=0;0;0;0;0;0;0;0;0;0\n");
	/* every field something other than its default */
	gb_programme_shown(programme, exercise(catalogue, "squat"), DEC_1 + 6, at(DEC_1 + 6, 9, 0));
	gb_programme_shown(programme, exercise(catalogue, "stretch"), DEC_1 + 6,
	                   at(DEC_1 + 6, 10, 0));
	g_assert_false(done(programme, catalogue, "squat", DEC_1 + 6));
	g_assert_false(done(programme, catalogue, "bridge", DEC_1 + 6));
	g_assert_false(gb_programme_too_hard(programme, exercise(catalogue, "squat"), DEC_1 + 6,
	                                     NULL));
	g_assert_false(gb_programme_too_hard(programme, squeeze, DEC_1, NULL));
	g_assert_true(gb_programme_too_hard(programme, squeeze, DEC_1 + 1, NULL));
	g_clear_pointer(&text, g_free);
	text = saved(programme);
	g_assert_cmpstr(text, ==, "[programme]\nbridge=3;3;1;739957;739957;0;0;0;0\n"
	                          "squat=1;1;1;739957;739957;739957;1;739957;0\n"
	                          "squeeze=1;1;0;0;0;0;0;739952;1\n"
	                          "_mix=739957;2;1;1;2;1;1796634000000000;0;0;0\n");
	load(loaded, text, &error);
	g_assert_no_error(error);
	again = saved(loaded);
	g_assert_cmpstr(again, ==, text);
	g_assert_true(progress(loaded, "squeeze")->retired);
	g_assert_cmpuint(gb_programme_get_mix(loaded)->last, ==, GB_CATEGORY_RELEASE);
	/* a load replaces everything */
	load(loaded, "[programme]\nsquat=2;2;0;5;5;0;0;0;0\n", &error);
	g_assert_no_error(error);
	g_assert_null(gb_programme_lookup(loaded, "bridge"));
	g_assert_cmpuint(progress(loaded, "squat")->level, ==, 2);
	g_assert_cmpuint(gb_programme_get_mix(loaded)->day, ==, GB_DAY_NONE);
	/* a file from before the programme: nobody has progress */
	load(loaded, "[state]\nversion=2\n", &error);
	g_assert_no_error(error);
	g_assert_null(gb_programme_lookup(loaded, "squat"));
}

static void
test_file_invalid(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "bridge=1;1;0;0;0;0;0;0", "[programme] bridge: 8 values instead of 9 (write "
		  "level;best-level;days-at-level;last-done;lapse-from;last-shown;too-hard-days;"
		  "last-too-hard;retired)" },
		{ "bridge=1;1;0;0;0;0;0;0;0;", "[programme] bridge: 10 values instead of 9 (write "
		  "level;best-level;days-at-level;last-done;lapse-from;last-shown;too-hard-days;"
		  "last-too-hard;retired)" },
		{ "bridge=0;1;0;0;0;0;0;0;0",
		  "[programme] bridge: invalid level '0' (use a number from 1 to 9)" },
		{ "bridge=10;10;0;0;0;0;0;0;0",
		  "[programme] bridge: invalid level '10' (use a number from 1 to 9)" },
		{ "bridge=1;1;0;x;x;0;0;0;0",
		  "[programme] bridge: invalid last-done 'x' (use a number from 0 to 4294967295)" },
		{ "bridge=1;1;0;5; 5;0;0;0;0",
		  "[programme] bridge: invalid lapse-from ' 5' (use a number from 0 to 4294967295)" },
		{ "bridge=1;1;0;0;0;-1;0;0;0",
		  "[programme] bridge: invalid last-shown '-1' (use a number from 0 to 4294967295)" },
		{ "bridge=1;1;0;0;0;4294967296;0;0;0", "[programme] bridge: invalid last-shown "
		  "'4294967296' (use a number from 0 to 4294967295)" },
		{ "bridge=1;1;0;0;0;0;2;0;0",
		  "[programme] bridge: invalid too-hard-days '2' (use a number from 0 to 1)" },
		{ "bridge=1;1;0;0;0;0;0;0;yes",
		  "[programme] bridge: invalid retired 'yes' (use a number from 0 to 1)" },
		{ "bridge=3;2;0;0;0;0;0;0;0", "[programme] bridge: best-level 2 below level 3" },
		{ "bridge=1;1;3;0;0;0;0;0;0",
		  "[programme] bridge: days-at-level 3, but 3 days already move level 1 up" },
		{ "bridge=1;3;2;0;0;0;0;0;0",
		  "[programme] bridge: days-at-level 2, but 2 days already move level 1 up" },
		{ "bridge=1;1;0;5;0;0;0;0;0", "[programme] bridge: lapse-from 0 with last-done 5 "
		  "(it is 0 with it, else no earlier)" },
		{ "bridge=1;1;0;9;5;0;0;0;0", "[programme] bridge: lapse-from 5 with last-done 9 "
		  "(it is 0 with it, else no earlier)" },
		{ "bridge=2;2;0;0;0;0;0;0;1",
		  "[programme] bridge: retired at level 2 (only level 1 retires)" },
		{ "Bridge=1;1;0;0;0;0;0;0;0",
		  "[programme] Bridge: unknown key (use an exercise id or _mix)" },
		{ "glute--bridge=1;1;0;0;0;0;0;0;0",
		  "[programme] glute--bridge: unknown key (use an exercise id or _mix)" },
		{ "mix=1;1;0;0;0;0;0;0;0", NULL }, /* "mix" is an id: fine */
		{ "_mix=1;1;0;0;0;0", "[programme] _mix: 6 values instead of 10 (write day;reminders;"
		  "strengthen;release;since-move;last;last-strengthen-us;past-reminders;past-strengthen;"
		  "past-release)" },
		{ "_mix=1;1;0;0;0;3;0;0;0;0", "[programme] _mix: invalid last 3 (use 0, 1, 2 or 4)" },
		{ "_mix=1;1;0;0;0;8;0;0;0;0",
		  "[programme] _mix: invalid last '8' (use a number from 0 to 7)" },
		{ "_mix=5;2;1;2;0;0;0;0;0;0",
		  "[programme] _mix: 1 strengthen and 2 release of 2 reminders on day 5" },
		{ "_mix=0;1;0;0;0;0;0;0;0;0",
		  "[programme] _mix: 0 strengthen and 0 release of 1 reminders on day 0" },
		{ "_mix=1;100001;0;0;0;0;0;0;0;0",
		  "[programme] _mix: invalid reminders '100001' (use a number from 0 to 100000)" },
		{ "_mix=1;0;0;0;0;0;9223372036854775808;0;0;0", "[programme] _mix: invalid "
		  "last-strengthen-us '9223372036854775808' (use a number from 0 to "
		  "9223372036854775807)" },
		{ "_mix=1;0;0;0;0;0;0;200;150;100",
		  "[programme] _mix: 150 strengthen and 100 release of 200 past reminders" },
		{ "_mix=1;0;0;0;0;0;0;40000001;0;0", "[programme] _mix: invalid past-reminders "
		  "'40000001' (use a number from 0 to 40000000)" },
	};
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = at_level_3(catalogue);
	g_autofree char *before = saved(programme);

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf("[programme]\nsquat=1;1;0;0;0;0;0;0;0\n%s\n",
		                                        cases[i].text);
		g_autoptr(GbProgramme) scratch = gb_programme_new();
		g_autoptr(GError) error = NULL;
		g_autofree char *after = NULL;

		g_test_message("%s", cases[i].text);
		if (cases[i].message == NULL) {
			load(scratch, text, &error);
			g_assert_no_error(error);
			continue;
		}
		load(programme, text, &error);
		g_assert_error(error, GB_ERROR, GB_ERROR_FAILED);
		g_assert_cmpstr(error->message, ==, cases[i].message);
		after = saved(programme);
		g_assert_cmpstr(after, ==, before); /* untouched */
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/programme/done/once-a-day", test_once_a_day);
	g_test_add_func("/programme/done/three-days", test_three_days);
	g_test_add_func("/programme/done/four-from-level-3", test_four_from_level_3);
	g_test_add_func("/programme/done/top-level", test_top_level);
	g_test_add_func("/programme/lapse/one-level-per-14-days", test_lapse);
	g_test_add_func("/programme/lapse/28-days", test_lapse_28_days);
	g_test_add_func("/programme/reclimb", test_reclimb);
	g_test_add_func("/programme/unlocks", test_unlocks);
	g_test_add_func("/programme/too-hard", test_too_hard);
	g_test_add_func("/programme/strings", test_strings);
	g_test_add_func("/programme/list", test_list);
	g_test_add_func("/programme/file/round-trip", test_file_round_trip);
	g_test_add_func("/programme/file/invalid", test_file_invalid);
	return g_test_run();
}

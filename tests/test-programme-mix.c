/* SPDX-License-Identifier: MIT */
/* The programme's daily mix and pick (src/programme-mix.c) over literal days and times, and a
 * simulated month per focus against the shares of shared/reference/programme.md §2. */
#include "catalogue-test.h"
#include "programme-test.h"

#define MINUTES(m) ((gint64) (m) * 60 * G_USEC_PER_SEC)
#define S GB_CATEGORY_STRENGTHEN
#define R GB_CATEGORY_RELEASE
#define M GB_CATEGORY_MOVE

static const TestExercise exercises[] = {
	{ "bridge", S, 5, 0, NULL, 0, "floor" },
	{ "single-bridge", S, 5, 4, "bridge", 3, "floor" },
	{ "squat", S, 6, 5, NULL, 0, "standing" },
	{ "squeeze", S, 0, 0, NULL, 0, "seated" },
	{ "stretch", R, 0, 0, NULL, 0, "seated" },
	{ "walk", M, 0, 0, NULL, 0, "standing" },
};

static GbCatalogue *
test_catalogue(void)
{
	return test_catalogue_new(exercises, G_N_ELEMENTS(exercises));
}

/* a reminder with @id shown on @day at @hour:@minute */
static void
shown(GbProgramme *programme, const GbCatalogue *catalogue, const char *id, GbDay day, int hour,
      int minute)
{
	const GbExercise *exercise = gb_catalogue_lookup(catalogue, id);

	g_assert_nonnull(exercise);
	gb_programme_shown(programme, exercise, day, at(day, hour, minute));
}

/* next_category() with every seed in 1..20 (the ties are random): always @expected */
static void
assert_next(const GbProgramme *programme, GbFocus focus, GbCategory available, GbDay day,
            gint64 now, GbCategory expected)
{
	for (guint32 seed = 1; seed <= 20; seed++) {
		g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
		GbCategory category;

		category = gb_programme_next_category(programme, focus, available, day, now, rand);
		g_assert_cmpint(category, ==, expected);
	}
}

static void
test_move_every_third(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();

	/* tight: after two releases release is furthest below its share, but a move is due */
	shown(programme, catalogue, "stretch", DEC_1, 9, 0);
	shown(programme, catalogue, "stretch", DEC_1, 10, 0);
	g_assert_cmpuint(gb_programme_get_mix(programme)->since_move, ==, 2);
	assert_next(programme, GB_FOCUS_TIGHT, R | M, DEC_1, at(DEC_1, 11, 0), M);
	/* it carries over to the next day */
	assert_next(programme, GB_FOCUS_TIGHT, R | M, DEC_1 + 1, at(DEC_1 + 1, 9, 0), M);
	/* without move the rule is dropped */
	assert_next(programme, GB_FOCUS_TIGHT, R, DEC_1, at(DEC_1, 11, 0), R);
	/* a reminder without an exercise said get up: it counts as a move */
	gb_programme_shown(programme, NULL, DEC_1, at(DEC_1, 11, 0));
	g_assert_cmpuint(gb_programme_get_mix(programme)->since_move, ==, 0);
	g_assert_cmpuint(gb_programme_get_mix(programme)->reminders, ==, 3);
	g_assert_cmpuint(gb_programme_get_mix(programme)->release, ==, 2);
	shown(programme, catalogue, "walk", DEC_1, 12, 0);
	shown(programme, catalogue, "walk", DEC_1, 12, 30);
	assert_next(programme, GB_FOCUS_TIGHT, R | M, DEC_1, at(DEC_1, 13, 0), R);
}

static void
test_strengthen_spacing(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();

	/* weak: a day's first reminder is a strengthen (45 % is the largest share) ... */
	assert_next(programme, GB_FOCUS_WEAK, S | R | M, DEC_1, at(DEC_1, 9, 0), S);
	/* ... but not right after one, even a day later */
	shown(programme, catalogue, "bridge", DEC_1, 9, 0);
	assert_next(programme, GB_FOCUS_WEAK, S | R | M, DEC_1 + 1, at(DEC_1 + 1, 9, 0), M);
	/* nor within 90 min of one, across midnight; the counts start again each day (a day
	 * with one reminder, a move, wants its strengthen next) */
	shown(programme, catalogue, "squat", DEC_1, 23, 0);
	g_assert_cmpuint(gb_programme_get_mix(programme)->strengthen, ==, 2);
	shown(programme, catalogue, "walk", DEC_1 + 1, 0, 0);
	g_assert_cmpuint(gb_programme_get_mix(programme)->strengthen, ==, 0);
	assert_next(programme, GB_FOCUS_WEAK, S | M, DEC_1 + 1, at(DEC_1 + 1, 0, 29), M);
	assert_next(programme, GB_FOCUS_WEAK, S | M, DEC_1 + 1, at(DEC_1 + 1, 0, 30), S);
}

static void
test_strengthen_by_second(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();

	/* tight: release and move share the first place, then a strengthen comes second */
	for (guint32 seed = 1; seed <= 20; seed++) {
		g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
		GbCategory first = gb_programme_next_category(programme, GB_FOCUS_TIGHT, S | R | M,
		                                              DEC_1, at(DEC_1, 9, 0), rand);

		g_assert_true(first == R || first == M);
	}
	shown(programme, catalogue, "stretch", DEC_1, 9, 0);
	assert_next(programme, GB_FOCUS_TIGHT, S | R | M, DEC_1, at(DEC_1, 9, 55), S);
}

/* Without move in the categories, the caps give way before the spacing: never two strengthen
 * reminders in a row or within 90 min, even 50 min apart all day. */
static void
test_spacing_without_move(void)
{
	for (guint32 seed = 1; seed <= 10; seed++) {
		g_autoptr(GbCatalogue) catalogue = test_catalogue();
		g_autoptr(GbProgramme) programme = gb_programme_new();
		g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
		GbCategory before = 0;
		gint64 last_strengthen = 0;

		for (guint i = 0; i < 12; i++) {
			gint64 now = at(DEC_1, 8, 0) + i * MINUTES(50);
			GbCategory category = gb_programme_next_category(programme, GB_FOCUS_BOTH,
			                                                 S | R, DEC_1, now, rand);

			g_assert_true(category == S || category == R);
			if (category == S) {
				g_assert_cmpint(before, !=, S);
				g_assert_true(last_strengthen == 0 ||
				              now - last_strengthen >= MINUTES(90));
				last_strengthen = now;
			}
			gb_programme_shown(programme,
			                   gb_catalogue_lookup(catalogue,
			                                       category == S ? "squat" : "stretch"),
			                   DEC_1, now);
			before = category;
		}
		g_assert_cmpuint(gb_programme_get_mix(programme)->strengthen, >=, 3);
	}
}

/* Days and times after today come from a clock that was wrong: they hold nothing back. */
static void
test_clock_was_ahead(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	const GbExercise *squat = gb_catalogue_lookup(catalogue, "squat");
	GbProgress *progress;

	shown(programme, catalogue, "squat", DEC_1 + 300, 9, 0);
	shown(programme, catalogue, "walk", DEC_1 + 300, 10, 0);
	progress = gb_programme_get(programme, "squat");
	progress->last_done = progress->lapse_from = DEC_1 + 300;
	progress->last_too_hard = DEC_1 + 300;
	/* today is DEC_1 again: a strengthen may come, a Done counts, and so does too hard */
	assert_next(programme, GB_FOCUS_WEAK, S | M, DEC_1, at(DEC_1, 9, 0), S);
	gb_programme_catch_up(programme, catalogue, DEC_1, NULL);
	g_assert_cmpuint(progress->last_shown, ==, DEC_1);
	g_assert_false(gb_programme_done(programme, squat, DEC_1, NULL)); /* today's already */
	g_assert_false(gb_programme_done(programme, squat, DEC_1 + 1, NULL));
	g_assert_cmpuint(progress->days_at_level, ==, 1);
	g_assert_false(gb_programme_too_hard(programme, squat, DEC_1 + 1, NULL));
	g_assert_cmpuint(progress->too_hard_days, ==, 1);
}

/* An exercise unlocked by one that exclude-tags keep away is offered: the other could never
 * reach the level. */
static void
test_unlock_by_excluded(void)
{
	static const TestExercise two[] = {
		{ "bridge", S, 5, 0, NULL, 0, "floor" },
		{ "lunge", S, 5, 0, "bridge", 3, "standing" },
	};
	g_autoptr(GbCatalogue) catalogue = test_catalogue_new(two, G_N_ELEMENTS(two));
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GRand) rand = g_rand_new_with_seed(1);
	const char *const no_floor[] = { "floor", NULL };

	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1, rand) ==
	              gb_catalogue_lookup(catalogue, "bridge"));
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, no_floor, DEC_1, rand) ==
	              gb_catalogue_lookup(catalogue, "lunge"));
}

static void
test_caps(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) weak = gb_programme_new();
	g_autoptr(GbProgramme) tight = gb_programme_new();

	/* weak, no release: strengthen and move take turns 2 h apart up to the cap of 4 */
	for (int i = 0; i < 4; i++) {
		assert_next(weak, GB_FOCUS_WEAK, S | M, DEC_1, at(DEC_1, 6 + 4 * i, 0), S);
		shown(weak, catalogue, "squeeze", DEC_1, 6 + 4 * i, 0);
		shown(weak, catalogue, "walk", DEC_1, 8 + 4 * i, 0);
	}
	assert_next(weak, GB_FOCUS_WEAK, S | M, DEC_1, at(DEC_1, 22, 0), M);
	shown(weak, catalogue, "walk", DEC_1, 22, 0);
	assert_next(weak, GB_FOCUS_WEAK, S | M, DEC_1, at(DEC_1, 23, 59), M);
	/* the next day may have some again */
	assert_next(weak, GB_FOCUS_WEAK, S | M, DEC_1 + 1, at(DEC_1 + 1, 9, 0), S);

	/* tight: release up to 4 a day */
	for (int i = 0; i < 4; i++) {
		shown(tight, catalogue, "stretch", DEC_1, 9 + 2 * i, 0);
		shown(tight, catalogue, "walk", DEC_1, 10 + 2 * i, 0);
	}
	shown(tight, catalogue, "walk", DEC_1, 17, 0);
	g_assert_cmpuint(gb_programme_get_mix(tight)->release, ==, 4);
	/* 4 of 10 is release's share and 5 of 10 more than move's: the cap keeps release out */
	assert_next(tight, GB_FOCUS_TIGHT, R | M, DEC_1, at(DEC_1, 18, 0), M);
	assert_next(tight, GB_FOCUS_TIGHT, R, DEC_1, at(DEC_1, 18, 0), R); /* dropped: only R */
}

static void
test_available(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GRand) rand = g_rand_new_with_seed(1);

	g_assert_cmpint(gb_programme_next_category(programme, GB_FOCUS_BOTH, 0, DEC_1,
	                                           at(DEC_1, 9, 0), rand), ==, 0);
	assert_next(programme, GB_FOCUS_WEAK, M, DEC_1, at(DEC_1, 9, 0), M);
	assert_next(programme, GB_FOCUS_WEAK, R, DEC_1, at(DEC_1, 9, 0), R);
	/* only strengthen, right after one: the spacing rule needs another category */
	shown(programme, catalogue, "squat", DEC_1, 9, 0);
	assert_next(programme, GB_FOCUS_WEAK, S, DEC_1, at(DEC_1, 9, 5), S);
	/* release turned off: a day of eight never has one */
	for (int i = 1; i < 8; i++) {
		GbCategory category = gb_programme_next_category(programme, GB_FOCUS_TIGHT, S | M,
		                                                 DEC_1, at(DEC_1, 9 + i, 0), rand);

		g_assert_true(category == S || category == M);
		shown(programme, catalogue, category == S ? "bridge" : "walk", DEC_1, 9 + i, 0);
	}
}

static void
test_pick(void)
{
	g_autoptr(GbCatalogue) catalogue = test_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GRand) rand = g_rand_new_with_seed(7);
	const char *const no_floor[] = { "floor", NULL };
	const GbExercise *squat = gb_catalogue_lookup(catalogue, "squat");
	const GbExercise *squeeze = gb_catalogue_lookup(catalogue, "squeeze");
	const GbExercise *bridge = gb_catalogue_lookup(catalogue, "bridge");
	const GbExercise *single = gb_catalogue_lookup(catalogue, "single-bridge");

	/* shown least recently first, never twice a day; single-bridge is locked */
	shown(programme, catalogue, "squeeze", DEC_1, 9, 0);
	shown(programme, catalogue, "bridge", DEC_1 + 1, 9, 0);
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 2, rand) ==
	              squat);
	shown(programme, catalogue, "squat", DEC_1 + 2, 9, 0);
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 2, rand) ==
	              squeeze);
	shown(programme, catalogue, "squeeze", DEC_1 + 2, 11, 0);
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 2, rand) ==
	              bridge);
	shown(programme, catalogue, "bridge", DEC_1 + 2, 13, 0);
	g_assert_null(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 2, rand));

	/* among those shown as long ago, the one done least recently */
	g_assert_false(gb_programme_done(programme, squat, DEC_1 + 2, NULL));
	g_assert_false(gb_programme_done(programme, squeeze, DEC_1 + 1, NULL));
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 3, rand) ==
	              bridge);
	/* excluded tags */
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, no_floor, DEC_1 + 3,
	                                           rand) == squeeze);

	/* unlocked, single-bridge is the one never shown */
	gb_programme_get(programme, "bridge")->best_level = 3;
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 3, rand) ==
	              single);
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, no_floor, DEC_1 + 3,
	                                           rand) == squeeze);

	/* retired: never */
	g_assert_false(gb_programme_too_hard(programme, squeeze, DEC_1 + 3, NULL));
	g_assert_true(gb_programme_too_hard(programme, squeeze, DEC_1 + 4, NULL));
	g_assert_true(gb_programme_lookup(programme, "squeeze")->retired);
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, no_floor, DEC_1 + 5,
	                                           rand) == squat);
}

static void
test_pick_hard_level(void)
{
	static const TestExercise two[] = {
		{ "squat", S, 6, 5, NULL, 0, NULL },
		{ "squeeze", S, 0, 0, NULL, 0, NULL },
	};
	g_autoptr(GbCatalogue) catalogue = test_catalogue_new(two, G_N_ELEMENTS(two));
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GRand) rand = g_rand_new_with_seed(3);
	const GbExercise *squat = gb_catalogue_lookup(catalogue, "squat");
	GbProgress *progress = gb_programme_get(programme, "squat");

	/* squeeze shown more recently, so squat comes first when it may */
	shown(programme, catalogue, "squeeze", DEC_1 + 9, 9, 0);
	progress->level = progress->best_level = 4;
	g_assert_false(gb_programme_done(programme, squat, DEC_1 + 10, NULL));
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 11, rand) ==
	              squat);
	/* from level 5 on (hard_from), not on the day after a Done */
	progress->level = progress->best_level = 5;
	g_assert_cmpuint(gb_programme_level(programme, squat), ==, 5);
	g_assert_cmpstr(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 11,
	                                             rand)->id, ==, "squeeze");
	g_assert_true(gb_programme_pick_strengthen(programme, catalogue, NULL, DEC_1 + 12, rand) ==
	              squat);
}

/* The shares and caps of programme.md §2, in % */
typedef struct {
	const char *name;
	GbFocus focus;
	GbCategory categories; /* the user's [exercises] categories */
	guint share[3];        /* strengthen, release, move */
	guint strengthen_cap, release_cap;
} Reference;

static const Reference references[] = {
	{ "weak", GB_FOCUS_WEAK, S | R | M, { 45, 15, 40 }, 4, 2 },
	{ "both", GB_FOCUS_BOTH, S | R | M, { 35, 25, 40 }, 3, 3 },
	{ "tight", GB_FOCUS_TIGHT, S | R | M, { 20, 40, 40 }, 2, 4 },
	/* release turned off: the others' shares in proportion (35:40 is 47:53), but the cap
	 * of 3 a day holds strengthen to 3 of 8 */
	{ "both-without-release", GB_FOCUS_BOTH, S | M, { 38, 0, 62 }, 3, 0 },
};

static guint
slot(GbCategory category)
{
	return category == S ? 0 : category == R ? 1 : 2;
}

/* 30 days of 8 reminders 55 min apart from 09:00, Done on every one, with the shipped
 * catalogue: the hard rules hold at every reminder and the month's shares are within 5
 * percentage points of the reference's. */
static void
simulate_month(gconstpointer data)
{
	const Reference *reference = data;
	const guint days = 30, per_day = 8;
	double low[3] = { 100, 100, 100 }, high[3] = { 0, 0, 0 };

	for (guint32 seed = 1; seed <= 10; seed++) {
		g_autoptr(GbCatalogue) catalogue = load_shipped();
		g_autoptr(GbProgramme) programme = gb_programme_new();
		g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
		g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_free);
		guint total[3] = { 0 };
		GbCategory before[2] = { 0, 0 }; /* the two reminders before, oldest first */
		gint64 last_strengthen = 0;

		for (GbDay day = DEC_1; day < DEC_1 + days; day++) {
			g_autoptr(GHashTable) today = g_hash_table_new(g_str_hash, g_str_equal);
			guint count[3] = { 0 };

			gb_programme_catch_up(programme, catalogue, day, changes);
			g_assert_cmpuint(changes->len, ==, 0); /* a Done every day: no lapse */
			for (guint i = 0; i < per_day; i++) {
				gint64 now = at(day, 9, 0) + i * MINUTES(55);
				const GbExercise *strengthen, *exercise;
				GbCategory available = reference->categories & (R | M), category;

				strengthen = gb_programme_pick_strengthen(programme, catalogue, NULL,
				                                          day, rand);
				if (strengthen != NULL && (reference->categories & S))
					available |= S;
				category = gb_programme_next_category(programme, reference->focus,
				                                      available, day, now, rand);
				g_assert_true(category & available);
				exercise = category == S ? strengthen
				                         : gb_catalogue_next(catalogue, category, NULL,
				                                             rand);
				g_assert_nonnull(exercise);
				g_assert_cmpint(exercise->category, ==, category);
				gb_programme_shown(programme, exercise, day, now);
				if (category == S) {
					g_assert_cmpint(before[1], !=, S);
					g_assert_true(last_strengthen == 0 ||
					              now - last_strengthen >= MINUTES(90));
					g_assert_true(g_hash_table_add(today, exercise->id));
					gb_programme_done(programme, exercise, day, NULL);
					last_strengthen = now;
				}
				if (before[0] != 0 && before[0] != M && before[1] != M)
					g_assert_cmpint(category, ==, M);
				before[0] = before[1];
				before[1] = category;
				count[slot(category)]++;
			}
			g_assert_cmpuint(count[0], >=, 1);
			g_assert_cmpuint(count[0], <=, reference->strengthen_cap);
			g_assert_cmpuint(count[1], <=, reference->release_cap);
			for (guint c = 0; c < 3; c++)
				total[c] += count[c];
		}
		for (guint c = 0; c < 3; c++) {
			double share = 100.0 * total[c] / (days * per_day);

			low[c] = MIN(low[c], share);
			high[c] = MAX(high[c], share);
		}
	}
	/* the measure: each category's share of the month's 240 reminders, in percentage
	 * points off the reference's, for every seed. The issue asks for 10 %; the mix does
	 * better (weak is the furthest: a strengthen at most every other reminder and a move
	 * at least every third make 41.7 % of its 45 %), and a change that made it worse than
	 * 5 points should be noticed. */
	for (guint c = 0; c < 3; c++) {
		g_test_message("%s: %s %.1f-%.1f %% over 10 seeds (reference %u %%)", reference->name,
		               gb_category_to_string(c == 0 ? S : c == 1 ? R : M), low[c], high[c],
		               reference->share[c]);
		g_assert_cmpfloat(ABS(low[c] - reference->share[c]), <=, 5.0);
		g_assert_cmpfloat(ABS(high[c] - reference->share[c]), <=, 5.0);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/programme-mix/move-every-third", test_move_every_third);
	g_test_add_func("/programme-mix/strengthen-spacing", test_strengthen_spacing);
	g_test_add_func("/programme-mix/strengthen-by-second", test_strengthen_by_second);
	g_test_add_func("/programme-mix/caps", test_caps);
	g_test_add_func("/programme-mix/spacing-without-move", test_spacing_without_move);
	g_test_add_func("/programme-mix/clock-was-ahead", test_clock_was_ahead);
	g_test_add_func("/programme-mix/unlock-by-excluded", test_unlock_by_excluded);
	g_test_add_func("/programme-mix/available", test_available);
	g_test_add_func("/programme-mix/pick", test_pick);
	g_test_add_func("/programme-mix/pick-hard-level", test_pick_hard_level);
	for (gsize i = 0; i < G_N_ELEMENTS(references); i++) {
		g_autofree char *path = g_strdup_printf("/programme-mix/month/%s",
		                                        references[i].name);

		g_test_add_data_func(path, &references[i], simulate_month);
	}
	return g_test_run();
}

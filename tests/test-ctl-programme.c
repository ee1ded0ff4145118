/* SPDX-License-Identifier: MIT */
/* glutebreakctl programme: the listing of the levels (pure), as text and as JSON, on a small
 * catalogue of its own (level fields set directly, not the shipped levels) and a programme
 * set up by hand, on literal days. */
#include <string.h>

#include "ctl-programme.h"
#include "programme-test.h"

#define TODAY (DEC_1 + 9) /* 2026-12-10 */

/* What the listing shows of each exercise: its name, dose and levels' doses. */
typedef struct {
	const char *name, *dose;
	const char *levels[5];
} Text;

static void
set_text(GbCatalogue *catalogue, const char *id, const Text *text)
{
	GbExercise *exercise = (GbExercise *) gb_catalogue_lookup(catalogue, id);

	g_assert_nonnull(exercise);
	g_free(exercise->name);
	exercise->name = g_strdup(text->name);
	g_free(exercise->dose);
	exercise->dose = g_strdup(text->dose);
	for (guint i = 0; i < exercise->n_levels; i++) {
		g_assert_nonnull(text->levels[i]);
		g_free(exercise->levels[i].dose);
		exercise->levels[i].dose = g_strdup(text->levels[i]);
	}
}

/* A walk (not listed: a move), then four strengthen exercises: one locked until the first
 * reaches level 3, one without levels. */
static GbCatalogue *
load_catalogue(void)
{
	static const TestExercise exercises[] = {
		{ "walk", GB_CATEGORY_MOVE },
		{ "glute-bridge", GB_CATEGORY_STRENGTHEN, .n_levels = 5 },
		{ "single-leg-bridge", GB_CATEGORY_STRENGTHEN, .n_levels = 2,
		  .requires = "glute-bridge", .requires_level = 3 },
		{ "wall-sit", GB_CATEGORY_STRENGTHEN, .n_levels = 3 },
		{ "squeeze", GB_CATEGORY_STRENGTHEN },
	};
	GbCatalogue *catalogue = test_catalogue_new(exercises, G_N_ELEMENTS(exercises));

	set_text(catalogue, "glute-bridge", &(Text) {
		"Glute bridge", "12 reps, 2 s hold",
		{ "10 reps, 1 s hold at the top", "12 reps, 2 s hold", "15 reps, 2 s hold",
		  "12 reps, 5 s hold, 3 s lowering",
		  "12 reps, 3 s hold, then hold the last rep 30 s" } });
	set_text(catalogue, "single-leg-bridge", &(Text) {
		"Single-leg bridge", "8 each side", { "5 each side", "8 each side" } });
	set_text(catalogue, "wall-sit", &(Text) {
		"Wall sit", "30 s", { "20 s, shallow", "30 s", "45 s" } });
	set_text(catalogue, "squeeze", &(Text) { "Squeeze", "10 x 5 s", { NULL } });
	return catalogue;
}

static GbProgress *
progress(GbProgramme *programme, const char *id, guint level, guint days, GbDay last_done)
{
	GbProgress *progress = gb_programme_get(programme, id);

	progress->level = progress->best_level = level;
	progress->days_at_level = days;
	progress->last_done = progress->lapse_from = last_done;
	return progress;
}

static void
test_text(void)
{
	g_autoptr(GbCatalogue) catalogue = load_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autofree char *text = NULL;
	g_autofree char *unlocked = NULL;

	progress(programme, "glute-bridge", 2, 1, TODAY - 1);
	progress(programme, "wall-sit", 3, 2, TODAY - 5);
	progress(programme, "squeeze", 1, 0, TODAY);
	text = gb_ctl_programme_format(programme, catalogue, TODAY, FALSE);
	g_assert_cmpstr(text, ==,
		"Glute bridge · level 2 of 5 · 12 reps, 2 s hold · 1 of 3 days to level 3 · "
		"last done yesterday\n"
		"Single-leg bridge · level 1 of 2 · 5 each side · "
		"locked: glute bridge level 3 first · never done\n"
		"Wall sit · level 3 of 3 · 45 s · top level · last done 5 days ago\n"
		"Squeeze · 10 x 5 s · last done today\n"
		"\n"
		GB_SAFETY_LINE "\n"
		"Before you start, read the safety note in " DOCDIR "/README.md.\n");

	/* the bridge at level 3 (4 days from there) unlocks the single-leg bridge */
	progress(programme, "glute-bridge", 3, 2, TODAY - 2);
	unlocked = gb_ctl_programme_format(programme, catalogue, TODAY, FALSE);
	g_assert_nonnull(strstr(unlocked, "Glute bridge · level 3 of 5 · 15 reps, 2 s hold · "
	                                  "2 of 4 days to level 4 · last done 2 days ago\n"));
	g_assert_nonnull(strstr(unlocked, "Single-leg bridge · level 1 of 2 · 5 each side · "
	                                  "0 of 3 days to level 2 · never done\n"));
}

static void
test_retired_and_reclimb(void)
{
	g_autoptr(GbCatalogue) catalogue = load_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autofree char *text = NULL;
	GbProgress *wall_sit;

	wall_sit = progress(programme, "wall-sit", 1, 0, TODAY - 3);
	wall_sit->retired = TRUE;
	/* back at level 1 after a lapse, level 2 reached before: 2 days to re-climb */
	progress(programme, "glute-bridge", 1, 1, TODAY - 40)->best_level = 2;
	text = gb_ctl_programme_format(programme, catalogue, TODAY, FALSE);
	g_assert_nonnull(strstr(text, "Wall sit · level 1 of 3 · 20 s, shallow · eased off: too "
	                              "hard at level 1; glutebreakctl exercise wall-sit and Done bring "
	                              "it back · last "
	                              "done 3 days ago\n"));
	g_assert_nonnull(strstr(text, "Glute bridge · level 1 of 5 · 10 reps, 1 s hold at the "
	                              "top · 1 of 2 days to level 2 · last done 40 days ago\n"));
}

static void
test_json(void)
{
	g_autoptr(GbCatalogue) catalogue = load_catalogue();
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autofree char *json = NULL;

	progress(programme, "glute-bridge", 2, 1, TODAY - 1);
	progress(programme, "wall-sit", 3, 0, TODAY - 9)->retired = TRUE;
	json = gb_ctl_programme_format(programme, catalogue, TODAY, TRUE);
	g_assert_cmpstr(json, ==,
		"[\n"
		"{\"id\":\"glute-bridge\",\"name\":\"Glute bridge\",\"level\":2,\"levels\":5,"
		"\"dose\":\"12 reps, 2 s hold\",\"days_done\":1,\"days_needed\":3,"
		"\"last_done\":\"2026-12-09\",\"locked\":false,\"requires\":null,"
		"\"retired\":false},\n"
		"{\"id\":\"single-leg-bridge\",\"name\":\"Single-leg bridge\",\"level\":1,"
		"\"levels\":2,\"dose\":\"5 each side\",\"days_done\":0,\"days_needed\":3,"
		"\"last_done\":null,\"locked\":true,"
		"\"requires\":{\"id\":\"glute-bridge\",\"level\":3},\"retired\":false},\n"
		"{\"id\":\"wall-sit\",\"name\":\"Wall sit\",\"level\":3,\"levels\":3,"
		"\"dose\":\"45 s\",\"days_done\":0,\"days_needed\":null,"
		"\"last_done\":\"2026-12-01\",\"locked\":false,\"requires\":null,"
		"\"retired\":true},\n"
		"{\"id\":\"squeeze\",\"name\":\"Squeeze\",\"level\":null,\"levels\":0,"
		"\"dose\":\"10 x 5 s\",\"days_done\":0,\"days_needed\":null,\"last_done\":null,"
		"\"locked\":false,\"requires\":null,\"retired\":false}\n"
		"]\n");
}

static void
test_empty(void)
{
	static const TestExercise walk[] = { { "walk", GB_CATEGORY_MOVE } };
	g_autoptr(GbCatalogue) catalogue = test_catalogue_new(walk, 1);
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autofree char *text = gb_ctl_programme_format(programme, catalogue, TODAY, FALSE);
	g_autofree char *json = gb_ctl_programme_format(programme, catalogue, TODAY, TRUE);

	g_assert_cmpstr(text, ==, "No strengthen exercise in the catalogue.\n");
	g_assert_cmpstr(json, ==, "[]\n");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/ctl-programme/text", test_text);
	g_test_add_func("/ctl-programme/retired-and-reclimb", test_retired_and_reclimb);
	g_test_add_func("/ctl-programme/json", test_json);
	g_test_add_func("/ctl-programme/empty", test_empty);
	return g_test_run();
}

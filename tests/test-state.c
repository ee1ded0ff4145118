/* SPDX-License-Identifier: MIT */
/* The state file that carries a bout and the programme's levels across a daemon restart. */
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "errors.h"
#include "state.h"

static const GbSavedState sample = {
	.boot_id = "0f6c2f3e-4c5a-4e0c-9a7b-3d2f1e0a9b8c",
	.in_bout = TRUE,
	.bout_start_boot = -120000000, /* from before this boot */
	.bout_start_wall = 1700000000000000,
	.saved_boot = 5000000,
	.saved_wall = 1700000060000000,
	.running = TRUE,
};

static void
assert_same(const GbSavedState *a, const GbSavedState *b)
{
	g_assert_cmpstr(a->boot_id, ==, b->boot_id);
	g_assert_cmpint(a->in_bout, ==, b->in_bout);
	g_assert_cmpint(a->bout_start_boot, ==, b->bout_start_boot);
	g_assert_cmpint(a->bout_start_wall, ==, b->bout_start_wall);
	g_assert_cmpint(a->saved_boot, ==, b->saved_boot);
	g_assert_cmpint(a->saved_wall, ==, b->saved_wall);
	g_assert_cmpint(a->running, ==, b->running);
}

static void
test_round_trip(void)
{
	g_autofree char *path = gb_state_default_path();
	g_autoptr(GError) error = NULL;
	GbSavedState saved = sample;
	GbSavedState loaded = { 0 };
	GStatBuf st;

	/* the directory does not exist yet: it is created */
	g_assert_true(g_str_has_prefix(path, g_get_user_state_dir()));
	g_assert_true(gb_state_save(path, &saved, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_assert_true(gb_state_load(path, &loaded, &error));
	g_assert_no_error(error);
	assert_same(&loaded, &saved);

	/* no bout, a clean exit */
	saved.in_bout = FALSE;
	saved.bout_start_boot = saved.bout_start_wall = 0;
	saved.running = FALSE;
	g_assert_true(gb_state_save(path, &saved, NULL, &error));
	g_assert_true(gb_state_load(path, &loaded, &error));
	assert_same(&loaded, &saved);
}

/* A good [state] group, for files that put a [programme] group after it. */
#define STATE_GROUP "[state]\nversion=2\nboot-id=abc\nin-bout=true\nbout-start-boot=1\n" \
	"bout-start-wall=1700000000000000\nsaved-boot=2\nsaved-wall=1700000060000000\n" \
	"running=true\n"

static void
test_programme_round_trip(void)
{
	g_autofree char *path = gb_state_default_path();
	g_autoptr(GError) error = NULL;
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GbProgramme) loaded = gb_programme_new();
	g_autoptr(GPtrArray) list = NULL;
	GbProgress *bridge = gb_programme_get(programme, "glute-bridge");
	GbSavedState state = { 0 };
	const GbProgress *got;

	bridge->level = 3;
	bridge->best_level = 3;
	bridge->days_at_level = 2;
	bridge->last_done = bridge->lapse_from = 739959;
	bridge->last_shown = 739960;
	gb_programme_get(programme, "wall-sit")->retired = TRUE;
	g_assert_true(gb_state_save(path, &sample, programme, &error));
	g_assert_no_error(error);

	/* the levels, and the bout beside them */
	g_assert_true(gb_state_load_programme(path, loaded, &error));
	g_assert_no_error(error);
	list = gb_programme_list(loaded);
	g_assert_cmpuint(list->len, ==, 2);
	got = gb_programme_lookup(loaded, "glute-bridge");
	g_assert_nonnull(got);
	g_assert_cmpuint(got->level, ==, 3);
	g_assert_cmpuint(got->best_level, ==, 3);
	g_assert_cmpuint(got->days_at_level, ==, 2);
	g_assert_cmpuint(got->last_done, ==, 739959);
	g_assert_cmpuint(got->last_shown, ==, 739960);
	g_assert_true(gb_programme_lookup(loaded, "wall-sit")->retired);
	g_assert_true(gb_state_load(path, &state, &error));
	assert_same(&state, &sample);

	/* saved without a programme (the programme off): loads as none, and a programme that
	 * had levels is emptied, everyone at level 1 */
	g_assert_true(gb_state_save(path, &sample, NULL, &error));
	g_assert_true(gb_state_load_programme(path, loaded, &error));
	g_assert_no_error(error);
	g_clear_pointer(&list, g_ptr_array_unref);
	list = gb_programme_list(loaded);
	g_assert_cmpuint(list->len, ==, 0);
}

static void
test_programme_missing(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GPtrArray) list = NULL;

	gb_programme_get(programme, "glute-bridge")->level = 4;
	g_assert_true(gb_state_load_programme("/nonexistent/state", programme, &error));
	g_assert_no_error(error);
	list = gb_programme_list(programme);
	g_assert_cmpuint(list->len, ==, 0);
}

static void
test_programme_corrupt(void)
{
	static const char *const bad[] = {
		"garbage\n",                                           /* the whole file */
		STATE_GROUP "[programme]\nglute-bridge=3;3\n",          /* torn */
		STATE_GROUP "[programme]\nglute-bridge=x;3;0;0;0;0;0;0;0\n",
		STATE_GROUP "[programme]\nGlute Bridge=1;1;0;0;0;0;0;0;0\n",
		STATE_GROUP "[programme]\nglute-bridge=1;1;0;0;0;0;0;0;0\nmix=a\n",
		STATE_GROUP "[programme]\nglute-bridge=\\x\n",
	};
	g_autofree char *path = g_build_filename(g_get_user_state_dir(), "state", NULL);

	g_mkdir_with_parents(g_get_user_state_dir(), 0700);
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GbProgramme) programme = gb_programme_new();
		g_autoptr(GPtrArray) list = NULL;
		GbSavedState state = { 0 };

		g_test_message("bad programme %" G_GSIZE_FORMAT, i);
		g_assert_true(g_file_set_contents(path, bad[i], -1, NULL));
		gb_programme_get(programme, "wall-sit")->level = 2;
		g_assert_false(gb_state_load_programme(path, programme, &error));
		g_assert_error(error, GB_ERROR, GB_ERROR_FAILED);
		g_assert_true(g_str_has_prefix(error->message, path));
		/* everyone at level 1: nothing of what was there, nothing half-read */
		list = gb_programme_list(programme);
		g_assert_cmpuint(list->len, ==, 0);
		/* a bad programme costs the bout nothing */
		if (i > 0) {
			g_assert_true(gb_state_load(path, &state, NULL));
			g_assert_true(state.in_bout);
			g_assert_cmpint(state.bout_start_wall, ==, 1700000000000000);
		}
	}
}

static void
test_programme_survives_bad_state(void)
{
	g_autofree char *path = g_build_filename(g_get_user_state_dir(), "state", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbProgramme) programme = gb_programme_new();
	GbSavedState state = { 0 };

	/* a bad bout costs the levels nothing */
	g_mkdir_with_parents(g_get_user_state_dir(), 0700);
	g_assert_true(g_file_set_contents(path, "[state]\nversion=9\n[programme]\n"
	                                  "glute-bridge=4;4;1;739959;739959;0;0;0;0\n", -1, NULL));
	g_assert_false(gb_state_load(path, &state, &error));
	g_assert_error(error, GB_ERROR, GB_ERROR_FAILED);
	g_clear_error(&error);
	g_assert_true(gb_state_load_programme(path, programme, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(gb_programme_lookup(programme, "glute-bridge")->level, ==, 4);
}

static void
test_version_1(void)
{
	g_autofree char *path = g_build_filename(g_get_user_state_dir(), "state", NULL);
	g_autoptr(GError) error = NULL;
	GbSavedState loaded = { 0 };

	/* written by glutebreak 0.1: wall clock only, and never "running" */
	g_mkdir_with_parents(g_get_user_state_dir(), 0700);
	g_assert_true(g_file_set_contents(path, "[state]\nversion=1\nbout-start=1700000000000000\n"
	                                  "saved=1700000060000000\n", -1, NULL));
	g_assert_true(gb_state_load(path, &loaded, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(loaded.boot_id, ==, "");
	g_assert_true(loaded.in_bout);
	g_assert_cmpint(loaded.bout_start_wall, ==, 1700000000000000);
	g_assert_cmpint(loaded.saved_wall, ==, 1700000060000000);
	g_assert_false(loaded.running);
}

static void
test_missing(void)
{
	g_autoptr(GError) error = NULL;
	GbSavedState loaded = { .bout_start_wall = 42 };

	g_assert_false(gb_state_load("/nonexistent/state", &loaded, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_cmpint(loaded.bout_start_wall, ==, 42);
}

static void
test_corrupt(void)
{
	static const char *const bad[] = {
		"",
		"garbage\n",
		"[state]\nversion=1\nbout-start=12\n",           /* torn: no saved= */
		"[state]\nversion=3\nbout-start=1\nsaved=2\n",   /* a newer format */
		"[state]\nversion=1\nbout-start=x\nsaved=2\n",
		"[state]\nversion=2\nboot-id=a\nin-bout=true\nbout-start-boot=1\n", /* torn */
		"[state]\nversion=2\nboot-id=0123456789012345678901234567890123456789xx\n"
		"in-bout=false\nsaved-boot=1\nsaved-wall=2\nrunning=false\n",
		"[state]\nversion=2\nboot-id=a\nin-bout=maybe\nsaved-boot=1\nsaved-wall=2\n"
		"running=false\n",
		/* found by fuzz-state: GLib returns a string and an error for a bad escape */
		"[state]\nversion=2\nboot-id=a\\x\nin-bout=maybe\n",
		/* and GLib 2.74 sets one error over another for a bad escape and a lone '\'
		 * at the end of the line (a warning, an abort with fatal-warnings) */
		"[state]\nversion=2\nboot-id=\\S\\\nin-bout=false\nsaved-boot=1\nsaved-wall=2\n"
		"running=false\n",
		"[state]\nversion=2\nboot-id=A-B\nin-bout=false\nsaved-boot=1\nsaved-wall=2\n"
		"running=false\n",
	};
	g_autofree char *path = g_build_filename(g_get_user_state_dir(), "state", NULL);

	g_mkdir_with_parents(g_get_user_state_dir(), 0700);
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		GbSavedState loaded = { .bout_start_wall = 42, .saved_wall = 43 };

		g_assert_true(g_file_set_contents(path, bad[i], -1, NULL));
		g_assert_false(gb_state_load(path, &loaded, &error));
		g_assert_error(error, GB_ERROR, GB_ERROR_FAILED);
		g_assert_true(g_str_has_prefix(error->message, path));
		g_assert_cmpint(loaded.bout_start_wall, ==, 42);
		g_assert_cmpint(loaded.saved_wall, ==, 43);
	}
}

static void
test_unwritable_warns_once(void)
{
	/* a file where the directory should be */
	g_autofree char *blocker = g_build_filename(g_get_user_state_dir(), "blocker", NULL);
	g_autofree char *path = g_build_filename(blocker, "state", NULL);
	g_autoptr(GbStateFile) file = gb_state_file_new(path);

	g_mkdir_with_parents(g_get_user_state_dir(), 0700);
	g_assert_true(g_file_set_contents(blocker, "", -1, NULL));
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
	                      "cannot save the state (a restart will lose the bout and the latest levels): *");
	g_assert_false(gb_state_file_save(file, &sample, NULL));
	g_test_assert_expected_messages();
	/* the same failure again: no second warning (fatal-warnings would abort here) */
	g_assert_false(gb_state_file_save(file, &sample, NULL));
	g_assert_false(gb_state_file_save(file, &sample, NULL));
	/* fixed: saved, and the next failure is news again */
	g_assert_cmpint(g_remove(blocker), ==, 0);
	g_assert_true(gb_state_file_save(file, &sample, NULL));
	g_assert_cmpint(g_remove(path), ==, 0);
	g_assert_cmpint(g_rmdir(blocker), ==, 0);
	g_assert_true(g_file_set_contents(blocker, "", -1, NULL));
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
	                      "cannot save the state (a restart will lose the bout and the latest levels): *");
	g_assert_false(gb_state_file_save(file, &sample, NULL));
	g_test_assert_expected_messages();
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/state/round-trip", test_round_trip);
	g_test_add_func("/state/version-1", test_version_1);
	g_test_add_func("/state/missing", test_missing);
	g_test_add_func("/state/corrupt", test_corrupt);
	g_test_add_func("/state/unwritable-warns-once", test_unwritable_warns_once);
	g_test_add_func("/state/programme/round-trip", test_programme_round_trip);
	g_test_add_func("/state/programme/missing", test_programme_missing);
	g_test_add_func("/state/programme/corrupt", test_programme_corrupt);
	g_test_add_func("/state/programme/survives-bad-state", test_programme_survives_bad_state);
	return g_test_run();
}

/* SPDX-License-Identifier: MIT */
/* The state file that carries a bout across a daemon restart. */
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "errors.h"
#include "state.h"

static void
test_round_trip(void)
{
	g_autofree char *path = gb_state_default_path();
	g_autoptr(GError) error = NULL;
	GbSavedState saved = { .bout_start_wall = 1700000000000000, .saved_wall = 1700000060000000 };
	GbSavedState loaded = { 0 };
	GStatBuf st;

	/* the directory does not exist yet: it is created */
	g_assert_true(g_str_has_prefix(path, g_get_user_state_dir()));
	g_assert_true(gb_state_save(path, &saved, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_assert_true(gb_state_load(path, &loaded, &error));
	g_assert_no_error(error);
	g_assert_cmpint(loaded.bout_start_wall, ==, saved.bout_start_wall);
	g_assert_cmpint(loaded.saved_wall, ==, saved.saved_wall);

	/* no bout */
	saved.bout_start_wall = -1;
	g_assert_true(gb_state_save(path, &saved, &error));
	g_assert_true(gb_state_load(path, &loaded, &error));
	g_assert_cmpint(loaded.bout_start_wall, ==, -1);
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
		"[state]\nversion=2\nbout-start=1\nsaved=2\n",   /* a newer format */
		"[state]\nversion=1\nbout-start=x\nsaved=2\n",
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
test_unwritable(void)
{
	g_autoptr(GError) error = NULL;
	GbSavedState saved = { .bout_start_wall = 1, .saved_wall = 2 };
	/* a file where the directory should be */
	g_autofree char *blocker = g_build_filename(g_get_user_state_dir(), "blocker", NULL);
	g_autofree char *path = g_build_filename(blocker, "state", NULL);

	g_mkdir_with_parents(g_get_user_state_dir(), 0700);
	g_assert_true(g_file_set_contents(blocker, "", -1, NULL));
	g_assert_false(gb_state_save(path, &saved, &error));
	g_assert_nonnull(error);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/state/round-trip", test_round_trip);
	g_test_add_func("/state/missing", test_missing);
	g_test_add_func("/state/corrupt", test_corrupt);
	g_test_add_func("/state/unwritable", test_unwritable);
	return g_test_run();
}

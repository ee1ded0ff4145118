/* SPDX-License-Identifier: MIT */
/* The state file that carries a bout across a daemon restart. */
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
	g_assert_true(gb_state_save(path, &saved, &error));
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
	g_assert_true(gb_state_save(path, &saved, &error));
	g_assert_true(gb_state_load(path, &loaded, &error));
	assert_same(&loaded, &saved);
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
	                      "cannot save the state (a restart will lose the bout): *");
	g_assert_false(gb_state_file_save(file, &sample));
	g_test_assert_expected_messages();
	/* the same failure again: no second warning (fatal-warnings would abort here) */
	g_assert_false(gb_state_file_save(file, &sample));
	g_assert_false(gb_state_file_save(file, &sample));
	/* fixed: saved, and the next failure is news again */
	g_assert_cmpint(g_remove(blocker), ==, 0);
	g_assert_true(gb_state_file_save(file, &sample));
	g_assert_cmpint(g_remove(path), ==, 0);
	g_assert_cmpint(g_rmdir(blocker), ==, 0);
	g_assert_true(g_file_set_contents(blocker, "", -1, NULL));
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
	                      "cannot save the state (a restart will lose the bout): *");
	g_assert_false(gb_state_file_save(file, &sample));
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
	return g_test_run();
}

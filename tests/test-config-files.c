/* SPDX-License-Identifier: MIT */
/* The config transaction and file watching. */
#include <gio/gio.h>

#include "config-files.h"
#include "errors.h"

static const char one_exercise[] = "[walk]\n"
                                   "name = Walk\n"
                                   "category = move\n"
                                   "steps = Walk around.\n"
                                   "dose = 2 min\n"
                                   "why = Moves everything.\n";

static void
write_file(const char *path, const char *text)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
}

/* the test's own data dir: isolated per test by G_TEST_OPTION_ISOLATE_DIRS */
static char *
installed_catalogue_path(void)
{
	return g_build_filename(g_get_system_data_dirs()[0], "glutebreak", "exercises.ini", NULL);
}

/* Settings and catalogue are one transaction: filters that leave nothing fail
 * it with the config file's line, and nothing is returned. */
static void
test_transaction(void)
{
	g_autofree char *config = g_build_filename(g_get_user_config_dir(), "glutebreak",
	                                           "config.ini", NULL);
	g_autofree char *installed = installed_catalogue_path();
	g_autoptr(GbConfigFiles) files = gb_config_files_new(NULL, NULL, NULL);
	GbSettings *settings = NULL;
	GbCatalogue *catalogue = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *expected = NULL;
	g_autofree char *checked = NULL;

	write_file(installed, one_exercise);
	write_file(config, "[exercises]\ncategories = release\n");
	g_assert_false(gb_config_files_load(files, &settings, &catalogue, &error));
	g_assert_null(settings);
	g_assert_null(catalogue);
	expected = g_strdup_printf("%s:2: [exercises] categories: no exercise matches these "
	                           "categories and exclude-tags (allow more categories or "
	                           "exclude fewer tags)", config);
	g_assert_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
	g_assert_cmpstr(error->message, ==, expected);
	g_clear_error(&error);

	g_assert_false(gb_config_files_check(NULL, &checked, &error));
	g_assert_cmpstr(error->message, ==, expected);
	g_clear_error(&error);

	write_file(config, "[exercises]\ncategories = move\n");
	g_assert_true(gb_config_files_check(NULL, &checked, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(checked, ==, config);
}

static void
on_changed(gpointer user_data)
{
	int *calls = user_data;

	(*calls)++;
}

static gboolean
on_give_up(gpointer user_data)
{
	gboolean *gave_up = user_data;

	*gave_up = TRUE;
	return G_SOURCE_REMOVE;
}

/* A loaded config is watched, and the user's catalogue even before it exists. */
static void
test_watch(void)
{
	g_autofree char *config = g_build_filename(g_get_user_config_dir(), "glutebreak",
	                                           "config.ini", NULL);
	g_autofree char *user = g_build_filename(g_get_user_config_dir(), "glutebreak",
	                                         "exercises.ini", NULL);
	const char *const targets[] = { config, user };
	int calls = 0;
	g_autoptr(GbConfigFiles) files = gb_config_files_new(NULL, on_changed, &calls);
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;
	g_autoptr(GError) error = NULL;

	write_file(config, "[timing]\nsit-limit = 30m\n");
	g_assert_true(gb_config_files_load(files, &settings, &catalogue, &error));
	g_assert_no_error(error);
	for (gsize i = 0; i < G_N_ELEMENTS(targets); i++) {
		gboolean gave_up = FALSE;
		guint give_up_id = g_timeout_add_seconds(10, on_give_up, &gave_up);

		calls = 0;
		write_file(targets[i], i == 0 ? "[timing]\nsit-limit = 20m\n" : one_exercise);
		while (calls == 0 && !gave_up)
			g_main_context_iteration(NULL, TRUE);
		if (!gave_up)
			g_source_remove(give_up_id);
		g_assert_cmpint(calls, ==, 1);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/config-files/transaction", test_transaction);
	g_test_add_func("/config-files/watch", test_watch);
	return g_test_run();
}

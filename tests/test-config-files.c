/* SPDX-License-Identifier: MIT */
/* The config transaction, where the shipped catalogue comes from (an installed
 * file first, else the copy built into the binary), and file watching. */
#include <string.h>
#include <gio/gio.h>

#include "config-files.h"
#include "errors.h"

#define BUILT_IN_NAME "resource://" GB_CATALOGUE_RESOURCE

static const char one_exercise[] = "[walk]\n"
                                   "name = Walk\n"
                                   "category = move\n"
                                   "steps = Walk around.\n"
                                   "dose = 2 min\n"
                                   "why = Moves everything.\n";

static GbCatalogue *
load_shipped_file(void)
{
	const char *path = g_test_get_filename(G_TEST_DIST, "..", "data", "exercises.ini", NULL);
	g_autoptr(GError) error = NULL;
	GbCatalogue *catalogue = gb_catalogue_load(path, NULL, &error);

	g_assert_no_error(error);
	return catalogue;
}

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

static gboolean
skip_if_installed(void)
{
	g_autofree char *installed = gb_config_files_find_catalogue();

	if (installed == NULL)
		return FALSE;
	/* only PKGDATADIR can have one here: `make install` put it there */
	g_test_skip_printf("an installed catalogue takes precedence: %s", installed);
	return TRUE;
}

/* No exercises.ini anywhere: the daemon still gets the whole shipped catalogue. */
static void
test_built_in_when_none_installed(void)
{
	g_autoptr(GbConfigFiles) files = gb_config_files_new(NULL, NULL, NULL);
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;
	g_autoptr(GbCatalogue) shipped = load_shipped_file();
	g_autoptr(GError) error = NULL;

	if (skip_if_installed())
		return;
	g_test_expect_message("glutebreak", G_LOG_LEVEL_INFO,
	                      "exercises from the copy built into glutebreak*");
	g_assert_true(gb_config_files_load(files, &settings, &catalogue, &error));
	g_assert_no_error(error);
	g_test_assert_expected_messages();
	g_assert_null(settings->path);
	g_assert_cmpuint(gb_catalogue_size(catalogue), ==, gb_catalogue_size(shipped));
	for (guint i = 0; i < gb_catalogue_size(shipped); i++)
		g_assert_cmpstr(gb_catalogue_get(catalogue, i)->id, ==,
		                gb_catalogue_get(shipped, i)->id);
}

/* The built-in copy is data/exercises.ini as it is now (make rebuilds it). */
static void
test_built_in_is_the_shipped_file(void)
{
	const char *path = g_test_get_filename(G_TEST_DIST, "..", "data", "exercises.ini", NULL);
	g_autofree char *text = NULL;
	gsize length;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GBytes) file = NULL;
	g_autoptr(GError) error = NULL;

	g_file_get_contents(path, &text, &length, &error);
	g_assert_no_error(error);
	file = g_bytes_new_take(g_steal_pointer(&text), length);
	data = g_resources_lookup_data(GB_CATALOGUE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(data, file));
}

/* An installed file is read first, and the user's catalogue still goes on top
 * of the built-in copy. */
static void
test_installed_first(void)
{
	g_autofree char *installed = installed_catalogue_path();
	g_autofree char *user = g_build_filename(g_get_user_config_dir(), "glutebreak",
	                                         "exercises.ini", NULL);
	g_autoptr(GbConfigFiles) files = gb_config_files_new(NULL, NULL, NULL);
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;
	g_autoptr(GbCatalogue) shipped = load_shipped_file();
	g_autoptr(GError) error = NULL;
	g_autofree char *found = NULL;

	if (skip_if_installed())
		return;
	write_file(user, "[walk-upstairs]\nname = Stairs\ncategory = move\nsteps = Go up.\n"
	                 "dose = 2 floors\nwhy = Climbing uses the glutes.\n");
	g_assert_true(gb_config_files_load(files, &settings, &catalogue, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(gb_catalogue_size(catalogue), ==, gb_catalogue_size(shipped) + 1);
	g_clear_pointer(&settings, gb_settings_free);
	g_clear_pointer(&catalogue, gb_catalogue_free);

	write_file(installed, one_exercise);
	found = gb_config_files_find_catalogue();
	g_assert_cmpstr(found, ==, installed);
	g_assert_true(gb_config_files_load(files, &settings, &catalogue, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(gb_catalogue_size(catalogue), ==, 2);
	g_assert_nonnull(gb_catalogue_lookup(catalogue, "walk"));
	g_assert_nonnull(gb_catalogue_lookup(catalogue, "walk-upstairs"));
}

/* Text in memory counts lines like a file and names itself in errors. */
static void
test_data_errors_have_lines(void)
{
	const char *path = g_test_get_filename(G_TEST_DIST, "data", "exercises-unknown-key.ini",
	                                       NULL);
	g_autofree char *text = NULL;
	gsize length;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GError) file_error = NULL;
	g_autoptr(GError) data_error = NULL;
	g_autoptr(GbCatalogue) from_file = NULL;
	g_autoptr(GbCatalogue) from_data = NULL;

	g_assert_true(g_file_get_contents(path, &text, &length, NULL));
	data = g_bytes_new_take(g_steal_pointer(&text), length);
	from_file = gb_catalogue_load(path, NULL, &file_error);
	from_data = gb_catalogue_load_data(BUILT_IN_NAME, data, NULL, &data_error);
	g_assert_null(from_file);
	g_assert_null(from_data);
	g_assert_error(data_error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
	g_assert_cmpstr(data_error->message, ==,
	                BUILT_IN_NAME ":5: [bridge] colour: unknown key "
	                "(use name, category, steps, dose, tags, why, enabled, levels, "
	                "level<N>-steps, hard-from, requires or caution)");
	g_assert_cmpstr(file_error->message + strlen(path), ==,
	                data_error->message + strlen(BUILT_IN_NAME));
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
	g_test_add_func("/config-files/catalogue/built-in-when-none-installed",
	                test_built_in_when_none_installed);
	g_test_add_func("/config-files/catalogue/built-in-is-the-shipped-file",
	                test_built_in_is_the_shipped_file);
	g_test_add_func("/config-files/catalogue/installed-first", test_installed_first);
	g_test_add_func("/config-files/catalogue/data-errors-have-lines",
	                test_data_errors_have_lines);
	g_test_add_func("/config-files/transaction", test_transaction);
	g_test_add_func("/config-files/watch", test_watch);
	return g_test_run();
}

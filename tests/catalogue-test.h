/* SPDX-License-Identifier: MIT */
/* Shared by the catalogue tests: the fixtures under tests/data and the shipped file. */
#pragma once

#include "errors.h"
#include "exercises.h"

static inline char *
fixture(const char *name)
{
	g_autofree char *file = g_strdup_printf("exercises-%s.ini", name);

	return g_test_build_filename(G_TEST_DIST, "data", file, NULL);
}

static inline GbCatalogue *
load_fixture(const char *name, const char *user)
{
	g_autofree char *path = fixture(name);
	g_autofree char *user_path = user != NULL ? fixture(user) : NULL;
	g_autoptr(GError) error = NULL;
	GbCatalogue *catalogue = gb_catalogue_load(path, user_path, &error);

	g_assert_no_error(error);
	g_assert_nonnull(catalogue);
	return catalogue;
}

static inline GbCatalogue *
load_shipped(void)
{
	const char *path = g_test_get_filename(G_TEST_DIST, "..", "data", "exercises.ini", NULL);
	g_autoptr(GError) error = NULL;
	GbCatalogue *catalogue = gb_catalogue_load(path, NULL, &error);

	g_assert_no_error(error);
	g_assert_nonnull(catalogue);
	return catalogue;
}

static inline int
count_lines(const char *text)
{
	int lines = 1;

	for (const char *p = text; *p != '\0'; p++)
		lines += *p == '\n';
	return lines;
}

/* Loads @text as the shipped file and asserts it fails with "PATH:@message". Too big to
 * inline, and not every test program calls it. */
G_GNUC_UNUSED static void
assert_text_error(const char *text, const char *message)
{
	g_autofree char *path = g_build_filename(g_get_user_runtime_dir(), "exercises.ini", NULL);
	g_autofree char *expected = g_strdup_printf("%s:%s", path, message);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;

	g_mkdir_with_parents(g_get_user_runtime_dir(), 0700);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	catalogue = gb_catalogue_load(path, NULL, &error);
	g_assert_null(catalogue);
	g_assert_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
	g_assert_cmpstr(error->message, ==, expected);
}

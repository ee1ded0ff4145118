/* SPDX-License-Identifier: MIT */
/* Finding, loading and watching the files the daemon reads: the config file
 * and the exercise catalogues.
 *
 * The shipped catalogue is read from an installed file when there is one (a
 * distribution or an administrator may have changed it), else from the copy
 * compiled into the binary, so that a daemon run from the build tree, or
 * installed without its data, still starts. */
#include <errno.h>
#include <gio/gio.h>

#include "config-files.h"
#include "errors.h"
#include "glutebreak-resources.h"

/* Editors save in steps (rename the old file away, write the new one): let
 * the file settle before reading it, or the defaults would apply in between. */
#define SETTLE_DELAY_MS 500

struct _GbConfigFiles {
	char *config_path;      /* --config, or NULL */
	GbConfigFilesFunc on_changed;
	gpointer user_data;
	GPtrArray *monitors;    /* GFileMonitor: config and user catalogue */
	guint settle_id;        /* one-shot: a watched file changed */
};

static char *
user_catalogue_path(void)
{
	return g_build_filename(g_get_user_config_dir(), "glutebreak", "exercises.ini", NULL);
}

char *
gb_config_files_find_catalogue(void)
{
	const char *const *dirs = g_get_system_data_dirs();
	g_autofree char *path = NULL;

	for (gsize i = 0; dirs[i] != NULL; i++) {
		path = g_build_filename(dirs[i], "glutebreak", "exercises.ini", NULL);
		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return g_steal_pointer(&path);
		g_clear_pointer(&path, g_free);
	}
	path = g_build_filename(PKGDATADIR, "exercises.ini", NULL);
	return g_file_test(path, G_FILE_TEST_EXISTS) ? g_steal_pointer(&path) : NULL;
}

static GbCatalogue *
load_catalogue(const char *user_path, GError **error)
{
	g_autofree char *path = gb_config_files_find_catalogue();
	g_autoptr(GBytes) data = NULL;

	if (path != NULL) {
		g_info("exercises from %s", path);
		return gb_catalogue_load(path, user_path, error);
	}
	/* gb_get_resource() rather than the global registry: it is what links
	 * the resource from the static library into the binary */
	data = g_resource_lookup_data(gb_get_resource(), GB_CATALOGUE_RESOURCE,
	                              G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	if (data == NULL)
		return NULL;
	g_info("exercises from the copy built into glutebreak (no installed exercises.ini)");
	return gb_catalogue_load_data("resource://" GB_CATALOGUE_RESOURCE, data, user_path, error);
}

static gboolean
on_files_settled(gpointer user_data)
{
	GbConfigFiles *files = user_data;

	files->settle_id = 0;
	files->on_changed(files->user_data);
	return G_SOURCE_REMOVE;
}

static void
on_file_changed(GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event,
                gpointer user_data)
{
	GbConfigFiles *files = user_data;
	g_autofree char *path = g_file_get_path(file);

	(void) monitor;
	(void) other;
	if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && event != G_FILE_MONITOR_EVENT_DELETED)
		return;
	g_info("'%s' changed on disk: reloading", path);
	g_clear_handle_id(&files->settle_id, g_source_remove);
	files->settle_id = g_timeout_add(SETTLE_DELAY_MS, on_files_settled, files);
	g_source_set_name_by_id(files->settle_id, "[glutebreak] config reload");
}

/* @settings_path: the config file the settings came from, or NULL. */
static void
watch(GbConfigFiles *files, const char *settings_path)
{
	g_autofree char *config = files->config_path != NULL
	        ? g_strdup(files->config_path)
	        : g_build_filename(g_get_user_config_dir(), "glutebreak", "config.ini", NULL);
	g_autofree char *catalogue = user_catalogue_path();
	const char *paths[] = { config, catalogue, settings_path };
	g_autofree char *user_dir = g_build_filename(g_get_user_config_dir(), "glutebreak", NULL);

	/* GLib re-checks a watched file whose directory is missing every 4 s;
	 * with the directory in place inotify does the work and we sleep. */
	if (g_mkdir_with_parents(user_dir, 0700) != 0)
		g_debug("cannot create '%s': %s", user_dir, g_strerror(errno));
	g_ptr_array_set_size(files->monitors, 0);
	for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GFile) file = NULL;
		g_autoptr(GError) error = NULL;
		GFileMonitor *monitor;

		if (paths[i] == NULL || (i == 2 && g_str_equal(paths[i], config)))
			continue;
		file = g_file_new_for_path(paths[i]);
		monitor = g_file_monitor_file(file, G_FILE_MONITOR_NONE, NULL, &error);
		if (monitor == NULL) {
			g_warning("cannot watch '%s' for changes: %s", paths[i], error->message);
			continue;
		}
		g_signal_connect(monitor, "changed", G_CALLBACK(on_file_changed), files);
		g_ptr_array_add(files->monitors, monitor);
	}
}

GbConfigFiles *
gb_config_files_new(const char *config_path, GbConfigFilesFunc on_changed, gpointer user_data)
{
	GbConfigFiles *files = g_new0(GbConfigFiles, 1);

	files->config_path = g_strdup(config_path);
	files->on_changed = on_changed;
	files->user_data = user_data;
	files->monitors = g_ptr_array_new_with_free_func(g_object_unref);
	return files;
}

void
gb_config_files_free(GbConfigFiles *files)
{
	if (files == NULL)
		return;
	g_clear_handle_id(&files->settle_id, g_source_remove);
	g_clear_pointer(&files->monitors, g_ptr_array_unref);
	g_free(files->config_path);
	g_free(files);
}

gboolean
gb_config_files_load(GbConfigFiles *files, GbSettings **out_settings, GbCatalogue **out_catalogue,
                     GError **error)
{
	g_autofree char *path = gb_settings_find_path(files->config_path);
	g_autofree char *user_path = user_catalogue_path();
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;

	settings = path != NULL ? gb_settings_load(path, error) : gb_settings_new_default();
	if (settings == NULL)
		return FALSE;
	catalogue = load_catalogue(user_path, error);
	if (catalogue == NULL)
		return FALSE;
	if (gb_catalogue_count_eligible(catalogue, settings->categories,
	                                (const char *const *) settings->exclude_tags) == 0) {
		gboolean tags = settings->exclude_tags_line > settings->categories_line;
		int line = MAX(settings->exclude_tags_line, settings->categories_line);
		g_autofree char *where = line > 0
		        ? g_strdup_printf("%s:%d: [exercises] %s", path, line,
		                          tags ? "exclude-tags" : "categories")
		        : g_strdup_printf("%s: [exercises]", path != NULL ? path : user_path);

		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "%s: no exercise matches these categories and exclude-tags (allow "
		            "more categories or exclude fewer tags)", where);
		return FALSE;
	}
	if (files->on_changed != NULL)
		watch(files, settings->path);
	*out_settings = g_steal_pointer(&settings);
	*out_catalogue = g_steal_pointer(&catalogue);
	return TRUE;
}

gboolean
gb_config_files_check(const char *config_path, char **out_path, GError **error)
{
	g_autoptr(GbConfigFiles) files = gb_config_files_new(config_path, NULL, NULL);
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;

	if (!gb_config_files_load(files, &settings, &catalogue, error))
		return FALSE;
	*out_path = g_strdup(settings->path);
	return TRUE;
}

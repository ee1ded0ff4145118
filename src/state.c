/* SPDX-License-Identifier: MIT */
/* The state file: a tiny key file, replaced atomically. */
#include <errno.h>
#include <glib/gstdio.h>

#include "errors.h"
#include "state.h"

#define GROUP "state"
#define STATE_VERSION 1

char *
gb_state_default_path(void)
{
	return g_build_filename(g_get_user_state_dir(), "glutebreak", "state", NULL);
}

gboolean
gb_state_save(const char *path, const GbSavedState *state, GError **error)
{
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *data = NULL;
	gsize length;

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		int saved_errno = errno;

		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved_errno), "%s: %s",
		            dir, g_strerror(saved_errno));
		return FALSE;
	}
	g_key_file_set_integer(file, GROUP, "version", STATE_VERSION);
	g_key_file_set_int64(file, GROUP, "bout-start", state->bout_start_wall);
	g_key_file_set_int64(file, GROUP, "saved", state->saved_wall);
	data = g_key_file_to_data(file, &length, NULL);
	return g_file_set_contents_full(path, data, (gssize) length,
	                                G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
gb_state_load(const char *path, GbSavedState *state, GError **error)
{
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autoptr(GError) local_error = NULL;
	GbSavedState loaded;

	if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &local_error)) {
		if (g_error_matches(local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_propagate_error(error, g_steal_pointer(&local_error));
			return FALSE;
		}
		goto invalid;
	}
	if (g_key_file_get_integer(file, GROUP, "version", &local_error) != STATE_VERSION)
		goto invalid;
	loaded.bout_start_wall = g_key_file_get_int64(file, GROUP, "bout-start", &local_error);
	if (local_error != NULL)
		goto invalid;
	loaded.saved_wall = g_key_file_get_int64(file, GROUP, "saved", &local_error);
	if (local_error != NULL)
		goto invalid;
	*state = loaded;
	return TRUE;

invalid:
	g_set_error(error, GB_ERROR, GB_ERROR_FAILED, "%s: unreadable state file, ignored%s%s",
	            path, local_error != NULL ? ": " : "",
	            local_error != NULL ? local_error->message : "");
	return FALSE;
}

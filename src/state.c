/* SPDX-License-Identifier: MIT */
/* The state file: a tiny key file, replaced atomically (no reader ever sees half of it). */
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "errors.h"
#include "state.h"

#define GROUP "state"
#define PROGRAMME_GROUP "programme" /* written and read by gb_programme_save() and _load() */
#define STATE_VERSION 2

struct _GbStateFile {
	char *path;
	gboolean failing;       /* the last save failed and said so */
};

char *
gb_state_default_path(void)
{
	return g_build_filename(g_get_user_state_dir(), "glutebreak", "state", NULL);
}

gboolean
gb_state_save(const char *path, const GbSavedState *state, const GbProgramme *programme,
              GError **error)
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
	g_key_file_set_string(file, GROUP, "boot-id", state->boot_id);
	g_key_file_set_boolean(file, GROUP, "in-bout", state->in_bout);
	if (state->in_bout) {
		g_key_file_set_int64(file, GROUP, "bout-start-boot", state->bout_start_boot);
		g_key_file_set_int64(file, GROUP, "bout-start-wall", state->bout_start_wall);
	}
	g_key_file_set_int64(file, GROUP, "saved-boot", state->saved_boot);
	g_key_file_set_int64(file, GROUP, "saved-wall", state->saved_wall);
	g_key_file_set_boolean(file, GROUP, "running", state->running);
	if (programme != NULL)
		gb_programme_save(programme, file);
	data = g_key_file_to_data(file, &length, NULL);
	return g_file_set_contents_full(path, data, (gssize) length,
	                                G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* GKeyFile's getters can return a value and set an error (a bad escape, say): every read
 * below stops at the first error. */
static gint64
read_int64(GKeyFile *file, const char *key, GError **error)
{
	return *error == NULL ? g_key_file_get_int64(file, GROUP, key, error) : 0;
}

static gboolean
read_boolean(GKeyFile *file, const char *key, GError **error)
{
	return *error == NULL ? g_key_file_get_boolean(file, GROUP, key, error) : FALSE;
}

/* Version 1 (before 0.2): the bout start and the last save on the wall clock only, written at
 * every change and at exit. */
static void
load_version_1(GKeyFile *file, GbSavedState *state, GError **error)
{
	state->bout_start_wall = read_int64(file, "bout-start", error);
	state->in_bout = state->bout_start_wall >= 0;
	state->saved_wall = read_int64(file, "saved", error);
}

static void
load_version_2(GKeyFile *file, GbSavedState *state, GError **error)
{
	/* the raw value: a boot id needs no unescaping, and GLib 2.74's unescaping sets one
	 * error over another for a bad escape and a lone '\' at the end (newer GLib does not) */
	g_autofree char *boot_id = g_key_file_get_value(file, GROUP, "boot-id", error);

	if (*error != NULL)
		return;
	if (strlen(boot_id) >= sizeof(state->boot_id) ||
	    boot_id[strspn(boot_id, "0123456789abcdef-")] != '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_FAILED, "invalid boot-id");
		return;
	}
	strcpy(state->boot_id, boot_id);
	state->in_bout = read_boolean(file, "in-bout", error);
	if (state->in_bout) {
		state->bout_start_boot = read_int64(file, "bout-start-boot", error);
		state->bout_start_wall = read_int64(file, "bout-start-wall", error);
	}
	state->saved_boot = read_int64(file, "saved-boot", error);
	state->saved_wall = read_int64(file, "saved-wall", error);
	state->running = read_boolean(file, "running", error);
}

gboolean
gb_state_load(const char *path, GbSavedState *state, GError **error)
{
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autoptr(GError) local_error = NULL;
	GbSavedState loaded = { 0 };
	int version;

	if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &local_error)) {
		if (g_error_matches(local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_propagate_error(error, g_steal_pointer(&local_error));
			return FALSE;
		}
		goto invalid;
	}
	version = g_key_file_get_integer(file, GROUP, "version", &local_error);
	if (local_error != NULL)
		goto invalid;
	if (version == 1)
		load_version_1(file, &loaded, &local_error);
	else if (version == STATE_VERSION)
		load_version_2(file, &loaded, &local_error);
	else
		g_set_error(&local_error, GB_ERROR, GB_ERROR_FAILED, "unknown version %d", version);
	if (local_error != NULL)
		goto invalid;
	*state = loaded;
	return TRUE;

invalid:
	g_set_error(error, GB_ERROR, GB_ERROR_FAILED, "%s: unreadable state file, ignored: %s",
	            path, local_error->message);
	return FALSE;
}

/* No progress at all: what gb_programme_load() makes of a file without the group. */
static void
empty_programme(GbProgramme *programme)
{
	g_autoptr(GKeyFile) none = g_key_file_new();

	if (!gb_programme_load(programme, none, NULL))
		g_assert_not_reached();
}

gboolean
gb_state_load_programme(const char *path, GbProgramme *programme, GError **error)
{
	g_autoptr(GKeyFile) file = g_key_file_new();
	g_autoptr(GError) local_error = NULL;

	/* the whole file is read again rather than shared with gb_state_load(): the bout and the
	 * levels are read at different times, and a bad [state] must not cost the levels */
	if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &local_error)) {
		if (g_error_matches(local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			empty_programme(programme);
			return TRUE;
		}
	} else if (!g_key_file_has_group(file, PROGRAMME_GROUP)) {
		empty_programme(programme);  /* written before the programme, or with it off */
		return TRUE;
	} else if (gb_programme_load(programme, file, &local_error)) {
		return TRUE;
	}
	empty_programme(programme);
	g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
	            "%s: unreadable programme, everyone starts at level 1: %s", path,
	            local_error->message);
	return FALSE;
}

GbStateFile *
gb_state_file_new(const char *path)
{
	GbStateFile *self = g_new0(GbStateFile, 1);

	self->path = path != NULL ? g_strdup(path) : gb_state_default_path();
	return self;
}

void
gb_state_file_free(GbStateFile *file)
{
	if (file == NULL)
		return;
	g_free(file->path);
	g_free(file);
}

const char *
gb_state_file_get_path(const GbStateFile *file)
{
	return file->path;
}

gboolean
gb_state_file_save(GbStateFile *self, const GbSavedState *state, const GbProgramme *programme)
{
	g_autoptr(GError) error = NULL;

	if (!gb_state_save(self->path, state, programme, &error)) {
		/* a full disk or a read-only home: say it once, not at every bout */
		if (!self->failing)
			g_warning("cannot save the state (a restart will lose the bout and the "
			          "latest levels): %s", error->message);
		self->failing = TRUE;
		return FALSE;
	}
	if (self->failing)
		g_message("the state is saved again: '%s'", self->path);
	self->failing = FALSE;
	return TRUE;
}

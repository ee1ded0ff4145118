/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What survives the daemon (DESIGN.md rules 8 and 11): the bout, on the clock of the boot it
 * ran in and on the wall clock (CLOCK_BOOTTIME restarts with the machine), and when and how
 * the file was last written. */
typedef struct {
	char boot_id[40];        /* the boot the *_boot values belong to; "" if unknown */
	gboolean in_bout;
	gint64 bout_start_boot;  /* CLOCK_BOOTTIME µs of that boot; only while in_bout */
	gint64 bout_start_wall;  /* CLOCK_REALTIME µs; only while in_bout */
	gint64 saved_boot;       /* when this was written */
	gint64 saved_wall;
	gboolean running;        /* written by a daemon that went on running: if it is the last
	                          * word, that daemon died without a clean exit */
} GbSavedState;

typedef struct _GbStateFile GbStateFile;

/* $XDG_STATE_HOME/glutebreak/state. Caller frees. */
char *gb_state_default_path(void);

/* FALSE with G_FILE_ERROR_NOENT when there is none yet, GB_ERROR_FAILED (naming the file)
 * when it cannot be understood; @state is then untouched. */
gboolean gb_state_load(const char *path, GbSavedState *state, GError **error);
/* Replaces the file atomically (write + rename), mode 0600, creating the directory 0700. */
gboolean gb_state_save(const char *path, const GbSavedState *state, GError **error);

/* The daemon's state file: gb_state_save() that logs one warning when saving fails, and no
 * more until a save succeeds again. @path: NULL for the default. */
GbStateFile *gb_state_file_new(const char *path);
void gb_state_file_free(GbStateFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbStateFile, gb_state_file_free)
const char *gb_state_file_get_path(const GbStateFile *file);
gboolean gb_state_file_save(GbStateFile *file, const GbSavedState *state);

G_END_DECLS

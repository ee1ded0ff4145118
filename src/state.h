/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "programme.h"

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
/* Replaces the file atomically (write + rename), mode 0600, creating the directory 0700; with
 * @programme (nullable: none written) in its own group (gb_programme_save()). */
gboolean gb_state_save(const char *path, const GbSavedState *state,
                       const GbProgramme *programme, GError **error);
/* The programme of the state file into @programme (DESIGN.md rule 14). No file, or a file
 * without a programme: TRUE with @programme empty (everyone at level 1). A file or a programme
 * that cannot be understood: FALSE with GB_ERROR_FAILED naming the file, and @programme
 * empty too, so the caller warns and goes on. Independent of gb_state_load(): a bad
 * programme does not lose the bout, nor a bad bout the levels. */
gboolean gb_state_load_programme(const char *path, GbProgramme *programme, GError **error);

/* The daemon's state file: gb_state_save() that logs one warning when saving fails, and no
 * more until a save succeeds again. @path: NULL for the default. */
GbStateFile *gb_state_file_new(const char *path);
void gb_state_file_free(GbStateFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbStateFile, gb_state_file_free)
const char *gb_state_file_get_path(const GbStateFile *file);
gboolean gb_state_file_save(GbStateFile *file, const GbSavedState *state,
                            const GbProgramme *programme);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What survives a daemon restart (DESIGN.md rule 8). Wall-clock µs
 * (CLOCK_REALTIME), because CLOCK_BOOTTIME restarts with the machine. */
typedef struct {
	gint64 bout_start_wall; /* -1: no bout running */
	gint64 saved_wall;      /* when the daemon last ran */
} GbSavedState;

/* $XDG_STATE_HOME/glutebreak/state. Caller frees. */
char *gb_state_default_path(void);
/* Atomic (write + rename), mode 0600, creating the directory 0700. */
gboolean gb_state_save(const char *path, const GbSavedState *state, GError **error);
/* FALSE with G_FILE_ERROR_NOENT when there is none yet, GB_ERROR_FAILED
 * (naming the file) when it cannot be understood. */
gboolean gb_state_load(const char *path, GbSavedState *state, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "exercises.h"
#include "programme.h"

G_BEGIN_DECLS

/* glutebreakctl programme (DESIGN.md rule 14): each strengthen exercise's level, dose,
 * progress toward the next level and when it was last done, from the state file and the
 * catalogues, without the daemon. */

/* One row per enabled strengthen exercise of @catalogue, in catalogue order, as @programme
 * has it on @today (the caller applies gb_programme_catch_up() first, on its own copy). Text:
 * "Glute bridge · level 3 of 5 · 15 reps, 2 s hold · 2 of 4 days to level 4 · last done
 * yesterday", then the safety note. @json: an array of objects (id, name, level, levels, dose,
 * days_done, days_needed, last_done, locked, requires, retired). Caller frees. */
char *gb_ctl_programme_format(const GbProgramme *programme, const GbCatalogue *catalogue,
                              GbDay today, gboolean json);

/* The command: @argv[0] is "programme", the options [--json] [--help]. Reads the state file
 * (gb_state_default_path(); missing or unreadable: everyone at level 1, with a warning for the
 * latter) and the catalogues as the daemon does. Returns the exit status: 0 ok, 1 the config
 * or the catalogue cannot be read (or the output written), 2 usage. */
int gb_ctl_programme(int argc, char **argv);

G_END_DECLS

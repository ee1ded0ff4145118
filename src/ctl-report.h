/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* glutebreakctl stats and history (DESIGN.md §3): they read the history file themselves
 * ($XDG_STATE_HOME/glutebreak/history; a missing file is an empty history), so they work
 * without the daemon. @argv[0] is the subcommand's name; the options are
 * [--days N] [--json | --csv] [--help]. Output goes to stdout; errors and the history's
 * warnings to stderr as "glutebreakctl: MESSAGE". Returns the exit status: 0 ok, 1 the
 * history cannot be read (or the output written), 2 usage. Call setlocale() first: the chart
 * uses block characters only on a UTF-8 terminal. */
int gb_ctl_stats(int argc, char **argv);
/* Writes @text to stdout: 0, or 1 with a message when it cannot. */
int gb_ctl_print(const char *text);
int gb_ctl_history(int argc, char **argv);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GbDaemon GbDaemon;

/* The daemon cannot go on (another one owns the D-Bus name): the caller should exit with
 * status 1 from its main loop. */
typedef void (*GbDaemonQuitFunc)(gpointer user_data);

/* @config_path: --config, or NULL to look in the XDG config dirs. Fails with
 * the config file's "FILE:LINE: ..." error, or when no session bus. */
GbDaemon *gb_daemon_new(const char *config_path, GbDaemonQuitFunc quit, gpointer quit_data,
                        GError **error);
/* Saves the state for a restart and withdraws the reminder. */
void gb_daemon_free(GbDaemon *daemon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbDaemon, gb_daemon_free)

/* Re-reads the config and the exercise catalogue. On error the running
 * settings stay in force and @error says "FILE:LINE: ...". */
gboolean gb_daemon_reload(GbDaemon *daemon, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "exercises.h"
#include "settings.h"

G_BEGIN_DECLS

/* The shipped catalogue as built into the binary (a GResource path); errors in
 * it are reported as "resource://" GB_CATALOGUE_RESOURCE ":LINE: ...". */
#define GB_CATALOGUE_RESOURCE "/org/glutebreak/Glutebreak/exercises.ini"

/* The files the daemon reads: the config file and the exercise catalogues. */
typedef struct _GbConfigFiles GbConfigFiles;

/* Called from the main loop once a watched file has changed and settled. */
typedef void (*GbConfigFilesFunc)(gpointer user_data);

/* @config_path: --config, or NULL to look in the XDG config dirs. With
 * @on_changed (may be NULL) every successful load watches the files it read
 * or would read if they existed: the config file, the user's catalogue. */
GbConfigFiles *gb_config_files_new(const char *config_path, GbConfigFilesFunc on_changed,
                                   gpointer user_data);
void gb_config_files_free(GbConfigFiles *files); /* NULL is fine */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbConfigFiles, gb_config_files_free)

/* Everything the config decides, loaded and checked as one transaction: the
 * settings, the shipped catalogue with the user's on top, and whether the
 * filters leave any exercise. Either both outputs are set (caller frees) or
 * neither, with "FILE:LINE: ..." in @error. */
gboolean gb_config_files_load(GbConfigFiles *files, GbSettings **out_settings,
                              GbCatalogue **out_catalogue, GError **error);

/* --check-config: loads and validates what the daemon would load, watching
 * nothing. On success @out_path is the config file checked (NULL: no file,
 * defaults); caller frees. */
gboolean gb_config_files_check(const char *config_path, char **out_path, GError **error);

/* The installed shipped catalogue: the first glutebreak/exercises.ini in the
 * system data dirs, else the one in PKGDATADIR. NULL when none exists: the
 * copy built into the binary applies. Caller frees. */
char *gb_config_files_find_catalogue(void);

G_END_DECLS

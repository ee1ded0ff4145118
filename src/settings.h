/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "core.h"
#include "exercises.h"
#include "programme.h"
#include "schedule.h"

G_BEGIN_DECLS

/* The config file of DESIGN.md §2. */
typedef struct {
	GbTimings timings;
	guint escalate_after; /* unanswered reminders before critical urgency; 0 = never */
	gboolean sound;
	GbCategory categories;
	char **exclude_tags; /* NULL-terminated, never NULL */
	GbFocus focus;        /* [exercises] focus: the daily mix of the programme */
	gboolean programme;   /* [programme] enabled: levels and the mix (DESIGN.md rule 14) */
	char *idle_backend;
	guint skip_limit;     /* Skips since the last break before Skip is no longer offered; 0 = none */
	/* [hold]: which sensors hold reminders back (DESIGN.md rule 10) */
	gboolean hold_dnd, hold_fullscreen, hold_inhibitors, hold_camera;
	char **mako_modes;   /* mako modes that mean do-not-disturb; never NULL */
	GbSchedule *schedule; /* [schedule] active; never NULL (always: empty) */
	char *path;          /* the file these came from; NULL for built-in defaults */
	int categories_line; /* where [exercises] keys were set, for errors; 0: not set */
	int exclude_tags_line;
} GbSettings;

GbSettings *gb_settings_new_default(void);
/* Parses and validates @path. Errors (GB_ERROR_INVALID_CONFIG) read
 * "PATH:LINE: [section] key: problem", or G_FILE_ERROR if it cannot be read. */
GbSettings *gb_settings_load(const char *path, GError **error);
/* --config if given, else $XDG_CONFIG_HOME/glutebreak/config.ini, else the
 * first glutebreak/config.ini in $XDG_CONFIG_DIRS. NULL: no file, use defaults.
 * Caller frees. */
char *gb_settings_find_path(const char *explicit_path);
void gb_settings_free(GbSettings *settings);
/* Whether a reminder with @unanswered unanswered ones before it (itself included) is shown
 * with critical urgency ([reminder] escalate-after). */
gboolean gb_settings_is_critical(const GbSettings *settings, guint unanswered);
/* Whether the reminder offers Skip after @skips Skips since the last break. */
gboolean gb_settings_offers_skip(const GbSettings *settings, guint skips);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbSettings, gb_settings_free)

G_END_DECLS

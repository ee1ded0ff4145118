/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	GB_CATEGORY_RELEASE    = 1 << 0, /* stretch or release tight glutes */
	GB_CATEGORY_STRENGTHEN = 1 << 1, /* wake up and strengthen weak glutes */
	GB_CATEGORY_MOVE       = 1 << 2, /* just get up and move */
} GbCategory;

#define GB_CATEGORY_ALL (GB_CATEGORY_RELEASE | GB_CATEGORY_STRENGTHEN | GB_CATEGORY_MOVE)

/* Lists for error messages, so every file that names them says the same. */
#define GB_CATEGORY_HINT     "release, strengthen or move"
#define GB_EXERCISE_TAG_HINT "seated, standing, floor or equipment"

/* One level of a strengthen exercise (the programme, DESIGN.md rule 14). */
typedef struct {
	char *dose;  /* e.g. "15 reps, 2 s hold" */
	char *steps; /* a harder variant's own steps ('\n'-joined); NULL: the exercise's */
} GbLevel;

#define GB_MAX_LEVELS 9

typedef struct {
	char *id;    /* the section name, lowercase-hyphenated */
	char *name;  /* short title, e.g. "Glute bridge" */
	char *steps; /* 1-3 lines joined with '\n' */
	char *dose;  /* e.g. "12 reps", "30 s each side" */
	char *why;   /* one line */
	GbCategory category; /* exactly one bit */
	char **tags; /* NULL-terminated, never NULL; known tags only */
	/* The programme's fields; only strengthen exercises have levels. */
	GbLevel *levels;      /* n_levels of them; NULL when the file sets none */
	guint n_levels;       /* 0: no levels (the dose at every level), else 1..GB_MAX_LEVELS */
	guint hard_from;      /* levels >= this at most every other day; 0: none */
	char *requires;       /* unlocked by this exercise's level requires_level; NULL: none */
	guint requires_level;
	char *caution;        /* one line shown with the steps; NULL: none */
} GbExercise;

typedef struct _GbCatalogue GbCatalogue;

/* Loads the shipped catalogue at @path, then @user_path on top (NULL or a
 * missing file is fine): a section with a new id adds an entry (all required
 * keys), a section with an existing id overrides only the keys it sets, and
 * `enabled = no` removes the entry. Errors: G_FILE_ERROR when a file cannot be
 * read, GB_ERROR_INVALID_CONFIG as "FILE:LINE: [id] key: problem" or
 * "FILE:LINE: [id]: missing key 'dose'". */
GbCatalogue *gb_catalogue_load(const char *path, const char *user_path, GError **error);
/* The same with the shipped catalogue's text in @data (e.g. the copy built into
 * the binary); @name stands for its file in errors. */
GbCatalogue *gb_catalogue_load_data(const char *name, GBytes *data, const char *user_path,
                                    GError **error);
void gb_catalogue_free(GbCatalogue *catalogue); /* NULL is fine */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbCatalogue, gb_catalogue_free)

/* Number of enabled entries. */
guint gb_catalogue_size(const GbCatalogue *catalogue);

/* The @index'th enabled entry (< size), in file order. Owned by @catalogue. */
const GbExercise *gb_catalogue_get(const GbCatalogue *catalogue, guint index);

/* NULL if @id is unknown or disabled. Owned by @catalogue. */
const GbExercise *gb_catalogue_lookup(const GbCatalogue *catalogue, const char *id);

/* Entries whose category is in @categories and that carry none of
 * @exclude_tags (NULL-terminated; NULL means none). */
guint gb_catalogue_count_eligible(const GbCatalogue *catalogue, GbCategory categories,
                                  const char *const *exclude_tags);

/* Rotation: a random eligible entry (as for count_eligible) not shown since the
 * eligible set was last exhausted; never the same twice in a row when more than
 * one is eligible. The filters may change from call to call. NULL if nothing is
 * eligible. @rand is the caller's (tests seed it); the rotation state lives in
 * @catalogue, so a newly loaded catalogue starts a fresh rotation. The result
 * is owned by @catalogue. */
const GbExercise *gb_catalogue_next(GbCatalogue *catalogue, GbCategory categories,
                                    const char *const *exclude_tags, GRand *rand);

/* Parsing helpers shared with the config file ([exercises] categories and
 * exclude-tags). Names are lowercase: "release", "strengthen", "move". */
/* Carries the rotation over to a reloaded catalogue: entries shown in this
 * cycle (matched by id) stay shown, so a reload does not repeat them. */
void gb_catalogue_keep_rotation(GbCatalogue *catalogue, const GbCatalogue *previous);

gboolean gb_category_from_string(const char *name, GbCategory *out);
/* "release" etc. for a single category; NULL for anything else. */
const char *gb_category_to_string(GbCategory category);
/* An exercise id as the catalogue spells them: [a-z0-9]+(-[a-z0-9]+)*. */
gboolean gb_exercise_id_valid(const char *id);
/* TRUE for seated, standing, floor and equipment. */
gboolean gb_exercise_tag_known(const char *tag);

/* Notification body, plain text (no markup escaping; the caller escapes if the
 * server wants markup): "Glute bridge — 12 reps\n<steps>\nWhy: <why>", then the
 * caution line if any. Caller frees. */
char *gb_exercise_format_body(const GbExercise *exercise);
/* The same at programme level @level (1..n_levels, a higher one is taken as n_levels; 0 or
 * no levels: the title as above):
 * "Glute bridge · level 3 of 5 · 15 reps, 2 s hold\n<that level's steps>\nWhy: <why>",
 * then the caution line if any and, for strengthen exercises, GB_SAFETY_LINE. */
char *gb_exercise_format_level_body(const GbExercise *exercise, guint level);

#define GB_SAFETY_LINE "Stop if it hurts sharply, tingles or makes you dizzy. Keep breathing. " \
                       "Not medical advice."

G_END_DECLS

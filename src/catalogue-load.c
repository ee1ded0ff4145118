/* SPDX-License-Identifier: MIT */
/* The catalogue's file format: the shipped file with the user's file on top (a new id adds
 * an entry, a known one overrides the keys it sets, enabled = no removes it), every problem a
 * FILE:LINE error. */
#include <string.h>

#include "catalogue-levels.h"
#include "errors.h"
#include "ini-reader.h"

typedef enum {
	KEY_NAME,
	KEY_CATEGORY,
	KEY_STEPS,
	KEY_DOSE,
	KEY_TAGS,
	KEY_WHY,
	KEY_ENABLED,
	/* the programme's (catalogue-levels.c) */
	KEY_LEVELS,
	KEY_LEVEL_STEPS, /* level<N>-steps: one key per level, see Section */
	KEY_HARD_FROM,
	KEY_REQUIRES,
	KEY_CAUTION,
	N_KEYS
} Key;

#define KEY_BIT(key)   (1u << (key))
#define REQUIRED_KEYS                                                                      \
	(KEY_BIT(KEY_NAME) | KEY_BIT(KEY_CATEGORY) | KEY_BIT(KEY_STEPS) | KEY_BIT(KEY_DOSE) | \
	 KEY_BIT(KEY_WHY))
#define MAX_STEP_LINES 3

#define STRING_FIELD(field) G_STRUCT_OFFSET(GbExercise, field)
#define PARSED              (-1)

static const struct {
	const char *name;
	const char *empty_hint; /* NULL: the value may be empty */
	long offset;            /* of the char * it sets as is, or PARSED */
} keys[N_KEYS] = {
	[KEY_NAME] = { "name", "write a short title, e.g. 'Glute bridge'", STRING_FIELD(name) },
	[KEY_CATEGORY] = { "category", "use " GB_CATEGORY_HINT, PARSED },
	[KEY_STEPS] = { "steps", "write the first step on this line", STRING_FIELD(steps) },
	[KEY_DOSE] = { "dose", "e.g. '10 reps', '30 s each side' or '2 min'", STRING_FIELD(dose) },
	[KEY_TAGS] = { "tags", NULL, PARSED },
	[KEY_WHY] = { "why", "write one line on why it helps", STRING_FIELD(why) },
	[KEY_ENABLED] = { "enabled", "use yes or no", PARSED },
	[KEY_LEVELS] = { "levels", "write the first level's dose, e.g. '10 reps'", PARSED },
	[KEY_LEVEL_STEPS] = { "level<N>-steps", "write the level's first step on this line",
			      PARSED },
	[KEY_HARD_FROM] = { "hard-from", "write a level number, e.g. 4", PARSED },
	[KEY_REQUIRES] = { "requires", NULL, PARSED },
	[KEY_CAUTION] = { "caution", NULL, STRING_FIELD(caution) },
};

#define KEY_HINT                                                                         \
	"use name, category, steps, dose, tags, why, enabled, levels, level<N>-steps, " \
	"hard-from, requires or caution"

/* A level<N>-steps key of one section. Its level may come later in the file, so the
 * steps wait here until the file is complete. */
typedef struct {
	char *text;  /* '\n'-joined; NULL: not set */
	int line;    /* of the key; 0: not set */
	int n_lines;
} LevelSteps;

/* One section of the file being loaded. */
typedef struct {
	Entry *entry;
	int first_line;    /* its first key line: where a missing key is reported */
	int lines[N_KEYS]; /* where this section sets each key; 0 if it does not */
	int n_steps;       /* step lines seen in this section */
	LevelSteps level_steps[GB_MAX_LEVELS]; /* level<N>-steps at [N - 1] */
} Section;

typedef struct {
	GbCatalogue *catalogue;
	const char *path;     /* the file, for errors found later */
	GPtrArray *sections;  /* Section *, in file order */
	GHashTable *by_id;    /* id -> Section *, this file only */
	Section *current;     /* section of the previous key line */
	int current_line;     /* the "[id]" line of @current */
	gboolean failed;      /* an error was reported: ignore the rest */
} LoadContext;

static void
entry_free(gpointer data)
{
	Entry *entry = data;

	g_free(entry->exercise.id);
	g_free(entry->exercise.name);
	g_free(entry->exercise.steps);
	g_free(entry->exercise.dose);
	g_free(entry->exercise.why);
	g_strfreev(entry->exercise.tags);
	gb_levels_clear(&entry->exercise);
	g_free(entry->exercise.requires);
	g_free(entry->exercise.caution);
	g_free(entry->requires_path);
	g_free(entry);
}

static void
section_free(gpointer data)
{
	Section *section = data;

	for (guint i = 0; i < GB_MAX_LEVELS; i++)
		g_free(section->level_steps[i].text);
	g_free(section);
}

static Entry *
entry_new(const char *id)
{
	Entry *entry = g_new0(Entry, 1);

	entry->exercise.id = g_strdup(id);
	entry->exercise.tags = g_new0(char *, 1);
	entry->enabled = TRUE;
	return entry;
}

/* -1: unknown; KEY_LEVEL_STEPS with its number in @level */
static int
find_key(const char *name, guint *level)
{
	for (int key = 0; key < N_KEYS; key++) {
		if (key != KEY_LEVEL_STEPS && g_str_equal(keys[key].name, name))
			return key;
	}
	return gb_levels_steps_key(name, level) ? KEY_LEVEL_STEPS : -1;
}

static char **
parse_tags(const char *value, GError **error)
{
	g_auto(GStrv) items = g_strsplit(value, ",", -1);
	g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func(g_free);

	for (char **item = items; *value != '\0' && *item != NULL; item++) {
		const char *tag = g_strstrip(*item);

		if (*tag == '\0') {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "empty tag in '%s' (remove the extra ',')", value);
			return NULL;
		}
		if (!gb_exercise_tag_known(tag)) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "unknown tag '%s' (use " GB_EXERCISE_TAG_HINT ")", tag);
			return NULL;
		}
		if (g_ptr_array_find_with_equal_func(tags, tag, g_str_equal, NULL)) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "duplicate tag '%s' (list each tag once)", tag);
			return NULL;
		}
		g_ptr_array_add(tags, g_strdup(tag));
	}
	g_ptr_array_add(tags, NULL);
	return (char **) g_ptr_array_free(g_steal_pointer(&tags), FALSE);
}

static gboolean
set_value(const LoadContext *ctx, Section *section, int key, guint level, const char *value,
          int line, GError **error)
{
	Entry *entry = section->entry;
	GbExercise *exercise = &entry->exercise;
	char **tags;

	if (keys[key].offset != PARSED) {
		char **field = G_STRUCT_MEMBER_P(exercise, keys[key].offset);

		/* a user section that sets steps replaces all of them; an empty
		 * value (where allowed) removes the text */
		g_free(*field);
		*field = *value != '\0' ? g_strdup(value) : NULL;
		if (key == KEY_STEPS)
			section->n_steps = 1;
		return TRUE;
	}
	switch (key) {
	case KEY_LEVELS:
		/* a user section that sets levels replaces all of them, with the
		 * old levels' steps and the hard-from that went with them */
		gb_levels_reset(exercise, value);
		if (section->lines[KEY_HARD_FROM] == 0)
			exercise->hard_from = 0;
		return TRUE;
	case KEY_LEVEL_STEPS:
		section->level_steps[level - 1].text = g_strdup(value);
		section->level_steps[level - 1].n_lines = 1;
		return TRUE;
	case KEY_HARD_FROM:
		return gb_levels_parse_hard_from(value, &exercise->hard_from, error);
	case KEY_REQUIRES:
		g_clear_pointer(&exercise->requires, g_free);
		g_clear_pointer(&entry->requires_path, g_free);
		exercise->requires_level = 0;
		if (*value == '\0') /* a user's file unlocks a shipped exercise */
			return TRUE;
		if (!gb_levels_parse_requires(value, &exercise->requires,
		                              &exercise->requires_level, error))
			return FALSE;
		entry->requires_path = g_strdup(ctx->path);
		entry->requires_line = line;
		return TRUE;
	case KEY_CATEGORY:
		if (gb_category_from_string(value, &exercise->category))
			return TRUE;
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "unknown category '%s' (use " GB_CATEGORY_HINT ")", value);
		return FALSE;
	case KEY_TAGS:
		tags = parse_tags(value, error);
		if (tags == NULL)
			return FALSE;
		g_strfreev(exercise->tags);
		exercise->tags = tags;
		return TRUE;
	case KEY_ENABLED:
		if (g_str_equal(value, "yes") || g_str_equal(value, "no")) {
			section->entry->enabled = g_str_equal(value, "yes");
			return TRUE;
		}
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "invalid value '%s' (use yes or no)", value);
		return FALSE;
	default:
		break;
	}
	g_assert_not_reached();
	return FALSE;
}

/* A continuation line of steps or level<N>-steps: @value becomes line @n_lines + 1 of
 * @steps. */
static gboolean
add_step(char **steps, int *n_lines, const char *value, GError **error)
{
	char *joined;

	if (*n_lines >= MAX_STEP_LINES) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "too many step lines (at most %d; shorten or merge them)",
		            MAX_STEP_LINES);
		return FALSE;
	}
	joined = g_strconcat(*steps, "\n", value, NULL);
	g_free(*steps);
	*steps = joined;
	(*n_lines)++;
	return TRUE;
}

/* More of the previous key line's value: that line was accepted, so @key is known. */
static gboolean
continue_value(Section *section, int key, guint level, const char *value, GError **error)
{
	LevelSteps *level_steps;

	switch (key) {
	case KEY_STEPS:
		return add_step(&section->entry->exercise.steps, &section->n_steps, value, error);
	case KEY_LEVEL_STEPS:
		level_steps = &section->level_steps[level - 1];
		return add_step(&level_steps->text, &level_steps->n_lines, value, error);
	case KEY_LEVELS:
		return gb_levels_append(&section->entry->exercise, value, error);
	default:
		break;
	}
	g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
	                    "only steps, levels and level<N>-steps may continue on an indented "
	                    "line (remove the indentation)");
	return FALSE;
}

static gboolean
begin_section(LoadContext *ctx, const char *id, int line, GError **error)
{
	GbCatalogue *catalogue = ctx->catalogue;
	Section *section = g_hash_table_lookup(ctx->by_id, id);
	Entry *entry;

	if (section != NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "duplicate section (the first one sets keys from line %d; merge them)",
		            section->first_line);
		return FALSE;
	}
	if (!gb_exercise_id_valid(id)) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "invalid exercise id '%s' (use lowercase letters, digits and '-', "
		            "e.g. [glute-bridge])", id);
		return FALSE;
	}
	entry = g_hash_table_lookup(catalogue->by_id, id);
	if (entry == NULL) {
		entry = entry_new(id);
		g_ptr_array_add(catalogue->entries, entry);
		g_hash_table_insert(catalogue->by_id, entry->exercise.id, entry);
	}
	section = g_new0(Section, 1);
	section->entry = entry;
	section->first_line = line;
	g_ptr_array_add(ctx->sections, section);
	g_hash_table_insert(ctx->by_id, entry->exercise.id, section);
	ctx->current = section;
	return TRUE;
}

static gboolean
handle_pair(LoadContext *ctx, const char *id, const char *name, const char *value,
            gboolean continuation, int line, int section_line, GError **error)
{
	Section *section;
	guint level = 0;
	int *key_line;
	int key;

	if (*id == '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "key outside a section (add an '[exercise-id]' line above it)");
		return FALSE;
	}
	/* inih announces no section, so a key line under a new "[id]" line
	 * begins one (even with the id of the section before it) */
	if (ctx->current == NULL || section_line != ctx->current_line) {
		if (!begin_section(ctx, id, line, error))
			return FALSE;
		ctx->current_line = section_line;
	}
	section = ctx->current;
	key = find_key(name, &level);

	if (continuation)
		return continue_value(section, key, level, value, error);

	if (key < 0) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "unknown key (" KEY_HINT ")");
		return FALSE;
	}
	if (key == KEY_LEVEL_STEPS && (level == 0 || level > GB_MAX_LEVELS)) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "no such level (use level1-steps to level"
		                    G_STRINGIFY(GB_MAX_LEVELS) "-steps)");
		return FALSE;
	}
	key_line = key == KEY_LEVEL_STEPS ? &section->level_steps[level - 1].line
	                                  : &section->lines[key];
	if (*key_line != 0) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "duplicate key (already set at line %d)", *key_line);
		return FALSE;
	}
	if (*value == '\0' && keys[key].empty_hint != NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG, "empty value (%s)",
		            keys[key].empty_hint);
		return FALSE;
	}
	if (!set_value(ctx, section, key, level, value, line, error))
		return FALSE;
	*key_line = line;
	section->entry->set |= KEY_BIT(key);
	return TRUE;
}

static gboolean
on_pair(const char *section, const char *key, const char *value, gboolean continuation,
        int line, int section_line, gpointer user_data, GError **error)
{
	LoadContext *ctx = user_data;

	/* gb_ini_parse_file() reports the first error only, and after one
	 * our state may no longer match the file */
	if (ctx->failed)
		return TRUE;
	if (handle_pair(ctx, section, key, value, continuation, line, section_line, error))
		return TRUE;
	ctx->failed = TRUE;
	return FALSE;
}

/* Levels and requires are for strengthen exercises: the error goes to whichever of the
 * keys involved @section set. */
static gboolean
check_strengthen(const Section *section, const char *path, GError **error)
{
	const GbExercise *exercise = &section->entry->exercise;
	int key = exercise->n_levels > 0 ? KEY_LEVELS : KEY_REQUIRES;

	if (exercise->category == GB_CATEGORY_STRENGTHEN ||
	    (exercise->n_levels == 0 && exercise->requires == NULL))
		return TRUE;
	if (section->lines[key] != 0) {
		gb_levels_key_error(error, path, section->lines[key], exercise->id, keys[key].name,
		                    key == KEY_LEVELS
		                            ? "only strengthen exercises have levels (set category "
		                              "= strengthen, or remove levels)"
		                            : "only strengthen exercises can be locked (set "
		                              "category = strengthen, or remove requires)");
	} else {
		gb_levels_key_error(error, path, section->lines[KEY_CATEGORY], exercise->id,
		                    "category", "only strengthen exercises have %s (keep "
		                    "strengthen, or add this exercise under a new id)",
		                    key == KEY_LEVELS ? "levels" : "requires");
	}
	return FALSE;
}

/* The programme's keys of @section, now that the file is complete: its level<N>-steps
 * go to levels the exercise has, and hard-from is one of them. */
static gboolean
check_levels(Section *section, const char *path, GError **error)
{
	GbExercise *exercise = &section->entry->exercise;

	if (!check_strengthen(section, path, error))
		return FALSE;
	for (guint level = 1; level <= GB_MAX_LEVELS; level++) {
		LevelSteps *level_steps = &section->level_steps[level - 1];
		g_autofree char *key = NULL;

		if (level_steps->text == NULL)
			continue;
		if (level <= exercise->n_levels) {
			g_free(exercise->levels[level - 1].steps);
			exercise->levels[level - 1].steps = g_steal_pointer(&level_steps->text);
			continue;
		}
		key = g_strdup_printf("level%u-steps", level);
		if (exercise->n_levels == 0)
			gb_levels_key_error(error, path, level_steps->line, exercise->id, key,
			                    "the exercise has no levels (add a levels key)");
		else
			gb_levels_key_error(error, path, level_steps->line, exercise->id, key,
			                    "no level %u, the exercise has %u (add levels, or "
			                    "remove this key)", level, exercise->n_levels);
		return FALSE;
	}
	if (exercise->hard_from <= exercise->n_levels)
		return TRUE;
	/* a levels key without hard-from clears it, so this section set it */
	if (exercise->n_levels == 0)
		gb_levels_key_error(error, path, section->lines[KEY_HARD_FROM], exercise->id,
		                    "hard-from", "the exercise has no levels (add a levels key, "
		                    "or remove hard-from)");
	else
		gb_levels_key_error(error, path, section->lines[KEY_HARD_FROM], exercise->id,
		                    "hard-from", "no level %u, the exercise has %u (use 1 to %u)",
		                    exercise->hard_from, exercise->n_levels, exercise->n_levels);
	return FALSE;
}

/* Every entry still enabled after this file's sections must be complete. */
static gboolean
check_sections(const LoadContext *ctx, const char *path, GError **error)
{
	for (guint i = 0; i < ctx->sections->len; i++) {
		Section *section = g_ptr_array_index(ctx->sections, i);
		unsigned int missing = REQUIRED_KEYS & ~section->entry->set;

		if (!section->entry->enabled)
			continue;
		if (missing != 0) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "%s:%d: [%s]: missing key '%s'", path, section->first_line,
			            section->entry->exercise.id,
			            keys[g_bit_nth_lsf(missing, -1)].name);
			return FALSE;
		}
		if (!check_levels(section, path, error))
			return FALSE;
	}
	return TRUE;
}

/* @data: the file's text, or NULL to read @path */
static gboolean
load_file(GbCatalogue *catalogue, const char *path, GBytes *data, GError **error)
{
	g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func(section_free);
	g_autoptr(GHashTable) by_id = g_hash_table_new(g_str_hash, g_str_equal);
	LoadContext ctx = {
		.catalogue = catalogue,
		.path = path,
		.sections = sections,
		.by_id = by_id,
	};

	if (data != NULL ? !gb_ini_parse_data(path, data, on_pair, &ctx, error)
	                 : !gb_ini_parse_file(path, on_pair, &ctx, error))
		return FALSE;
	return check_sections(&ctx, path, error);
}

static void
drop_disabled(GbCatalogue *catalogue)
{
	for (guint i = catalogue->entries->len; i-- > 0;) {
		Entry *entry = g_ptr_array_index(catalogue->entries, i);

		if (entry->enabled)
			continue;
		g_hash_table_remove(catalogue->by_id, entry->exercise.id);
		g_ptr_array_remove_index(catalogue->entries, i); /* keeps the order */
	}
}

static GbCatalogue *
load(const char *path, GBytes *data, const char *user_path, GError **error)
{
	g_autoptr(GbCatalogue) catalogue = g_new0(GbCatalogue, 1);
	g_autoptr(GError) user_error = NULL;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	catalogue->entries = g_ptr_array_new_with_free_func(entry_free);
	catalogue->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	catalogue->shown = g_hash_table_new(NULL, NULL);

	if (!load_file(catalogue, path, data, error))
		return NULL;
	if (user_path != NULL && !load_file(catalogue, user_path, NULL, &user_error) &&
	    !g_error_matches(user_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		g_propagate_error(error, g_steal_pointer(&user_error));
		return NULL;
	}
	if (!gb_levels_check_requires(catalogue, error))
		return NULL;
	drop_disabled(catalogue);
	return g_steal_pointer(&catalogue);
}

GbCatalogue *
gb_catalogue_load(const char *path, const char *user_path, GError **error)
{
	return load(path, NULL, user_path, error);
}

GbCatalogue *
gb_catalogue_load_data(const char *name, GBytes *data, const char *user_path, GError **error)
{
	g_return_val_if_fail(data != NULL, NULL);
	return load(name, data, user_path, error);
}

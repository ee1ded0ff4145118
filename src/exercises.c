/* SPDX-License-Identifier: MIT */
/* The exercise catalogue: the shipped file with the user's file on top,
 * category and tag filters, and a rotation that shows every eligible entry
 * once before any comes back. */
#include <string.h>

#include "errors.h"
#include "exercises.h"
#include "ini-reader.h"

typedef enum {
	KEY_NAME,
	KEY_CATEGORY,
	KEY_STEPS,
	KEY_DOSE,
	KEY_TAGS,
	KEY_WHY,
	KEY_ENABLED,
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
};

#define KEY_HINT "use name, category, steps, dose, tags, why or enabled"

static const struct {
	const char *name;
	GbCategory category;
} category_names[] = {
	{ "release", GB_CATEGORY_RELEASE },
	{ "strengthen", GB_CATEGORY_STRENGTHEN },
	{ "move", GB_CATEGORY_MOVE },
};

static const char *const known_tags[] = { "seated", "standing", "floor", "equipment", NULL };

typedef struct {
	GbExercise exercise; /* first member: callers get &entry->exercise */
	gboolean enabled;
	unsigned int set; /* KEY_BIT() of every key some file has set */
} Entry;

struct _GbCatalogue {
	GPtrArray *entries; /* Entry *, in file order */
	GHashTable *by_id;  /* id -> Entry *, both borrowed from entries */
	GHashTable *shown;  /* Entry * shown since its eligible set was last exhausted */
	const Entry *last;  /* what gb_catalogue_next() returned last, or NULL */
};

/* One section of the file being loaded. */
typedef struct {
	Entry *entry;
	int first_line;    /* its first key line: where a missing key is reported */
	int lines[N_KEYS]; /* where this section sets each key; 0 if it does not */
	int n_steps;       /* step lines seen in this section */
} Section;

typedef struct {
	GbCatalogue *catalogue;
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
	g_free(entry);
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

static gboolean
id_valid(const char *id)
{
	/* [a-z0-9]+(-[a-z0-9]+)* */
	if (*id == '\0' || *id == '-')
		return FALSE;
	for (const char *p = id; *p != '\0'; p++) {
		if (*p == '-') {
			if (p[1] == '-' || p[1] == '\0')
				return FALSE;
		} else if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p)) {
			return FALSE;
		}
	}
	return TRUE;
}

static int
find_key(const char *name)
{
	for (int key = 0; key < N_KEYS; key++) {
		if (g_str_equal(keys[key].name, name))
			return key;
	}
	return -1;
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
set_value(Section *section, int key, const char *value, GError **error)
{
	GbExercise *exercise = &section->entry->exercise;
	char **tags;

	if (keys[key].offset != PARSED) {
		char **field = G_STRUCT_MEMBER_P(exercise, keys[key].offset);

		/* a user section that sets steps replaces all of them */
		g_free(*field);
		*field = g_strdup(value);
		if (key == KEY_STEPS)
			section->n_steps = 1;
		return TRUE;
	}
	switch (key) {
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

static gboolean
add_step(Section *section, const char *value, GError **error)
{
	GbExercise *exercise = &section->entry->exercise;
	char *steps;

	if (section->n_steps >= MAX_STEP_LINES) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "too many step lines (at most %d; shorten or merge them)",
		            MAX_STEP_LINES);
		return FALSE;
	}
	steps = g_strconcat(exercise->steps, "\n", value, NULL);
	g_free(exercise->steps);
	exercise->steps = steps;
	section->n_steps++;
	return TRUE;
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
	if (!id_valid(id)) {
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
	key = find_key(name);

	if (continuation) {
		/* more of the previous key line's value: that line was accepted,
		 * so @key is known */
		if (key != KEY_STEPS) {
			g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			                    "only steps may continue on an indented line "
			                    "(remove the indentation)");
			return FALSE;
		}
		return add_step(section, value, error);
	}

	if (key < 0) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "unknown key (" KEY_HINT ")");
		return FALSE;
	}
	if (section->lines[key] != 0) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "duplicate key (already set at line %d)", section->lines[key]);
		return FALSE;
	}
	if (*value == '\0' && keys[key].empty_hint != NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG, "empty value (%s)",
		            keys[key].empty_hint);
		return FALSE;
	}
	if (!set_value(section, key, value, error))
		return FALSE;
	section->lines[key] = line;
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

/* Every entry still enabled after this file's sections must be complete. */
static gboolean
check_sections(const LoadContext *ctx, const char *path, GError **error)
{
	for (guint i = 0; i < ctx->sections->len; i++) {
		const Section *section = g_ptr_array_index(ctx->sections, i);
		unsigned int missing = REQUIRED_KEYS & ~section->entry->set;

		if (!section->entry->enabled || missing == 0)
			continue;
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "%s:%d: [%s]: missing key '%s'", path, section->first_line,
		            section->entry->exercise.id, keys[g_bit_nth_lsf(missing, -1)].name);
		return FALSE;
	}
	return TRUE;
}

/* @data: the file's text, or NULL to read @path */
static gboolean
load_file(GbCatalogue *catalogue, const char *path, GBytes *data, GError **error)
{
	g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) by_id = g_hash_table_new(g_str_hash, g_str_equal);
	LoadContext ctx = {
		.catalogue = catalogue,
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

void
gb_catalogue_free(GbCatalogue *catalogue)
{
	if (catalogue == NULL)
		return;
	g_clear_pointer(&catalogue->shown, g_hash_table_unref);
	g_clear_pointer(&catalogue->by_id, g_hash_table_unref);
	g_clear_pointer(&catalogue->entries, g_ptr_array_unref);
	g_free(catalogue);
}

guint
gb_catalogue_size(const GbCatalogue *catalogue)
{
	g_return_val_if_fail(catalogue != NULL, 0);

	return catalogue->entries->len;
}

const GbExercise *
gb_catalogue_get(const GbCatalogue *catalogue, guint index)
{
	g_return_val_if_fail(catalogue != NULL, NULL);
	g_return_val_if_fail(index < catalogue->entries->len, NULL);

	return &((const Entry *) g_ptr_array_index(catalogue->entries, index))->exercise;
}

const GbExercise *
gb_catalogue_lookup(const GbCatalogue *catalogue, const char *id)
{
	const Entry *entry;

	g_return_val_if_fail(catalogue != NULL, NULL);
	g_return_val_if_fail(id != NULL, NULL);

	entry = g_hash_table_lookup(catalogue->by_id, id);
	return entry != NULL ? &entry->exercise : NULL;
}

static gboolean
is_eligible(const Entry *entry, GbCategory categories, const char *const *exclude_tags)
{
	if ((entry->exercise.category & categories) == 0)
		return FALSE;
	for (const char *const *tag = exclude_tags; tag != NULL && *tag != NULL; tag++) {
		if (g_strv_contains((const char *const *) entry->exercise.tags, *tag))
			return FALSE;
	}
	return TRUE;
}

static GPtrArray *
collect_eligible(const GbCatalogue *catalogue, GbCategory categories,
                 const char *const *exclude_tags)
{
	GPtrArray *eligible = g_ptr_array_new();

	for (guint i = 0; i < catalogue->entries->len; i++) {
		Entry *entry = g_ptr_array_index(catalogue->entries, i);

		if (is_eligible(entry, categories, exclude_tags))
			g_ptr_array_add(eligible, entry);
	}
	return eligible;
}

guint
gb_catalogue_count_eligible(const GbCatalogue *catalogue, GbCategory categories,
                            const char *const *exclude_tags)
{
	g_autoptr(GPtrArray) eligible = NULL;

	g_return_val_if_fail(catalogue != NULL, 0);

	eligible = collect_eligible(catalogue, categories, exclude_tags);
	return eligible->len;
}

/* The eligible entries not shown in this cycle, and never the last one shown
 * unless it is the only eligible entry. */
static GPtrArray *
collect_candidates(const GbCatalogue *catalogue, const GPtrArray *eligible)
{
	GPtrArray *candidates = g_ptr_array_new();

	for (guint i = 0; i < eligible->len; i++) {
		Entry *entry = g_ptr_array_index(eligible, i);

		if (g_hash_table_contains(catalogue->shown, entry))
			continue;
		if (entry == catalogue->last && eligible->len > 1)
			continue;
		g_ptr_array_add(candidates, entry);
	}
	return candidates;
}

const GbExercise *
gb_catalogue_next(GbCatalogue *catalogue, GbCategory categories,
                  const char *const *exclude_tags, GRand *rand)
{
	g_autoptr(GPtrArray) eligible = NULL;
	g_autoptr(GPtrArray) candidates = NULL;
	Entry *entry;

	g_return_val_if_fail(catalogue != NULL, NULL);
	g_return_val_if_fail(rand != NULL, NULL);

	eligible = collect_eligible(catalogue, categories, exclude_tags);
	if (eligible->len == 0)
		return NULL;
	candidates = collect_candidates(catalogue, eligible);
	if (candidates->len == 0) {
		/* Every eligible entry has been shown: start a new cycle over this
		 * set. Entries outside it (other filters) keep their state. */
		for (guint i = 0; i < eligible->len; i++)
			g_hash_table_remove(catalogue->shown, g_ptr_array_index(eligible, i));
		g_clear_pointer(&candidates, g_ptr_array_unref);
		candidates = collect_candidates(catalogue, eligible);
	}
	g_assert(candidates->len > 0);
	entry = g_ptr_array_index(candidates, g_rand_int_range(rand, 0, (gint32) candidates->len));
	g_hash_table_add(catalogue->shown, entry);
	catalogue->last = entry;
	return &entry->exercise;
}

void
gb_catalogue_keep_rotation(GbCatalogue *catalogue, const GbCatalogue *previous)
{
	GHashTableIter iter;
	gpointer key;

	g_return_if_fail(catalogue != NULL && previous != NULL);
	g_hash_table_iter_init(&iter, previous->shown);
	while (g_hash_table_iter_next(&iter, &key, NULL)) {
		Entry *entry = g_hash_table_lookup(catalogue->by_id,
		                                   ((const Entry *) key)->exercise.id);

		if (entry != NULL)
			g_hash_table_add(catalogue->shown, entry);
	}
	if (previous->last != NULL)
		catalogue->last = g_hash_table_lookup(catalogue->by_id, previous->last->exercise.id);
}

gboolean
gb_category_from_string(const char *name, GbCategory *out)
{
	g_return_val_if_fail(name != NULL, FALSE);

	for (gsize i = 0; i < G_N_ELEMENTS(category_names); i++) {
		if (g_str_equal(category_names[i].name, name)) {
			if (out != NULL)
				*out = category_names[i].category;
			return TRUE;
		}
	}
	return FALSE;
}

const char *
gb_category_to_string(GbCategory category)
{
	for (gsize i = 0; i < G_N_ELEMENTS(category_names); i++) {
		if (category_names[i].category == category)
			return category_names[i].name;
	}
	return NULL;
}

gboolean
gb_exercise_tag_known(const char *tag)
{
	g_return_val_if_fail(tag != NULL, FALSE);

	return g_strv_contains(known_tags, tag);
}

char *
gb_exercise_format_body(const GbExercise *exercise)
{
	g_return_val_if_fail(exercise != NULL, NULL);

	return g_strdup_printf("%s \u2014 %s\n%s\nWhy: %s", exercise->name, exercise->dose,
	                       exercise->steps, exercise->why);
}

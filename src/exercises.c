/* SPDX-License-Identifier: MIT */
/* The exercise catalogue in use: lookup, category and tag filters, and a rotation that shows
 * every eligible entry once before any comes back. Loading it is catalogue-load.c's. */
#include <string.h>

#include "exercises-private.h"

static const struct {
	const char *name;
	GbCategory category;
} category_names[] = {
	{ "release", GB_CATEGORY_RELEASE },
	{ "strengthen", GB_CATEGORY_STRENGTHEN },
	{ "move", GB_CATEGORY_MOVE },
};

static const char *const known_tags[] = { "seated", "standing", "floor", "equipment", NULL };

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
gb_exercise_id_valid(const char *id)
{
	g_return_val_if_fail(id != NULL, FALSE);

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

gboolean
gb_exercise_tag_known(const char *tag)
{
	g_return_val_if_fail(tag != NULL, FALSE);

	return g_strv_contains(known_tags, tag);
}

char *
gb_exercise_format_body(const GbExercise *exercise)
{
	const char *caution;

	g_return_val_if_fail(exercise != NULL, NULL);

	caution = exercise->caution;
	return g_strdup_printf("%s \u2014 %s\n%s\nWhy: %s%s%s", exercise->name, exercise->dose,
	                       exercise->steps, exercise->why, caution != NULL ? "\n" : "",
	                       caution != NULL ? caution : "");
}

char *
gb_exercise_format_level_body(const GbExercise *exercise, guint level)
{
	GString *body;
	const char *steps;

	g_return_val_if_fail(exercise != NULL, NULL);

	body = g_string_new(exercise->name);
	steps = exercise->steps;
	if (level == 0 || exercise->n_levels == 0) {
		g_string_append_printf(body, " \u2014 %s", exercise->dose);
	} else {
		const GbLevel *at;

		level = MIN(level, exercise->n_levels);
		at = &exercise->levels[level - 1];
		g_string_append_printf(body, " \u00b7 level %u of %u \u00b7 %s", level,
		                       exercise->n_levels, at->dose);
		if (at->steps != NULL)
			steps = at->steps;
	}
	g_string_append_printf(body, "\n%s\nWhy: %s", steps, exercise->why);
	if (exercise->caution != NULL)
		g_string_append_printf(body, "\n%s", exercise->caution);
	if (exercise->category == GB_CATEGORY_STRENGTHEN)
		g_string_append(body, "\n" GB_SAFETY_LINE);
	return g_string_free(body, FALSE);
}

/* SPDX-License-Identifier: MIT */
/* Shared by the programme tests: catalogues built in memory with the level fields set
 * directly, so the tests do not depend on the shipped file's levels. */
#pragma once

#include "exercises-private.h"
#include "programme.h"

#define DEC_1 ((GbDay) 739951) /* 2026-12-01: g_date_new_dmy(1, 12, 2026)'s Julian day */
#define UNIX_DAY_1 ((GbDay) 719163) /* 1970-01-01 */

/* Unix µs of @hour:@minute UTC on @day */
static inline gint64
at(GbDay day, int hour, int minute)
{
	return ((gint64) (day - UNIX_DAY_1) * 86400 + hour * 3600 + minute * 60) * G_USEC_PER_SEC;
}

typedef struct {
	const char *id;
	GbCategory category;
	guint n_levels, hard_from;
	const char *requires;
	guint requires_level;
	const char *tags; /* space-separated; NULL: none */
} TestExercise;

static inline void
test_entry_free(gpointer data)
{
	Entry *entry = data;
	GbExercise *exercise = &entry->exercise;

	for (guint i = 0; i < exercise->n_levels; i++) {
		g_free(exercise->levels[i].dose);
		g_free(exercise->levels[i].steps);
	}
	g_free(exercise->levels);
	g_free(exercise->requires);
	g_free(exercise->caution);
	g_free(exercise->id);
	g_free(exercise->name);
	g_free(exercise->steps);
	g_free(exercise->dose);
	g_free(exercise->why);
	g_strfreev(exercise->tags);
	g_free(entry);
}

/* A catalogue of @n entries, in this order; its entries free themselves (test_entry_free),
 * whatever the loader's own entries hold. */
static inline GbCatalogue *
test_catalogue_new(const TestExercise *exercises, gsize n)
{
	GbCatalogue *catalogue = g_new0(GbCatalogue, 1);

	catalogue->entries = g_ptr_array_new_with_free_func(test_entry_free);
	catalogue->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	catalogue->shown = g_hash_table_new(NULL, NULL);
	for (gsize i = 0; i < n; i++) {
		Entry *entry = g_new0(Entry, 1);
		GbExercise *exercise = &entry->exercise;

		entry->enabled = TRUE;
		exercise->id = g_strdup(exercises[i].id);
		exercise->name = g_strdup(exercises[i].id);
		exercise->steps = g_strdup("Do it.");
		exercise->dose = g_strdup("10 reps");
		exercise->why = g_strdup("Because.");
		exercise->category = exercises[i].category;
		exercise->tags = exercises[i].tags != NULL ? g_strsplit(exercises[i].tags, " ", -1)
		                                           : g_new0(char *, 1);
		exercise->n_levels = exercises[i].n_levels;
		exercise->levels = g_new0(GbLevel, exercise->n_levels); /* NULL for none */
		for (guint l = 0; l < exercise->n_levels; l++)
			exercise->levels[l].dose = g_strdup_printf("%u reps", 8 + 2 * l);
		exercise->hard_from = exercises[i].hard_from;
		exercise->requires = g_strdup(exercises[i].requires);
		exercise->requires_level = exercises[i].requires_level;
		g_ptr_array_add(catalogue->entries, entry);
		g_hash_table_insert(catalogue->by_id, exercise->id, entry);
	}
	return catalogue;
}

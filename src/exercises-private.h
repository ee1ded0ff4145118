/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by exercises.c (the catalogue in use: lookup, filters, rotation) and
 * catalogue-load.c (the file format); nothing else includes it. */

#include "exercises.h"

G_BEGIN_DECLS

typedef struct {
	GbExercise exercise; /* first member: callers get &entry->exercise */
	gboolean enabled;
	unsigned int set; /* KEY_BIT() of every key some file has set */
	char *requires_path; /* where exercise.requires was set, for errors; NULL: not set */
	int requires_line;
} Entry;

struct _GbCatalogue {
	GPtrArray *entries; /* Entry *, in file order */
	GHashTable *by_id;  /* id -> Entry *, both borrowed from entries */
	GHashTable *shown;  /* Entry * shown since its eligible set was last exhausted */
	const Entry *last;  /* what gb_catalogue_next() returned last, or NULL */
};

G_END_DECLS

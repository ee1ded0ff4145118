/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by programme.c (levels), programme-mix.c (the daily mix and the pick) and
 * programme-file.c (the state file's group); nothing else includes it. */

#include "programme.h"

G_BEGIN_DECLS

/* The mix's counts stop here (the state file allows no more). */
#define GB_PROGRAMME_MAX_COUNT 100000
/* GbMix's past_* stop here: 4 times a day's most, in hundredths (3/4 + 3/4² + ... = 3) */
#define GB_PROGRAMME_MAX_PAST (4u * GB_PROGRAMME_MAX_COUNT * 100u)

struct _GbProgramme {
	GHashTable *progress; /* id -> GbProgress *, the key is the progress's own id */
	GbMix mix;
};

/* A progress at level 1 that was never done, shown or found too hard. Caller frees. */
GbProgress *gb_progress_new(const char *id);
void gb_progress_free(GbProgress *progress); /* NULL is fine */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbProgress, gb_progress_free)


/* A new, empty table for struct _GbProgramme's progress. */
GHashTable *gb_programme_table_new(void);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
/* The glute programme's levels (shared/reference/programme.md §2): up with Done on separate
 * days, down after a lapse, eased or retired on "too hard", unlocked by another exercise's
 * level. The daily mix and the pick are programme-mix.c's, the state file programme-file.c's. */
#include <string.h>

#include "programme-private.h"

#define LAPSE_DAYS 14    /* a level down per 14 days without a Done */
#define TOO_HARD_DAYS 2  /* "too hard" on this many days at one level eases it */

static const char *const focus_names[] = {
	[GB_FOCUS_BOTH] = "both",
	[GB_FOCUS_TIGHT] = "tight",
	[GB_FOCUS_WEAK] = "weak",
};

static const char *const change_names[] = {
	[GB_LEVEL_UP] = "up",
	[GB_LEVEL_DOWN] = "down",
	[GB_LEVEL_EASED] = "eased",
	[GB_LEVEL_RETIRED] = "retired",
	[GB_LEVEL_RESUMED] = "resumed",
};

gboolean
gb_focus_from_string(const char *name, GbFocus *out)
{
	g_return_val_if_fail(name != NULL, FALSE);

	for (gsize i = 0; i < G_N_ELEMENTS(focus_names); i++) {
		if (g_str_equal(focus_names[i], name)) {
			if (out != NULL)
				*out = (GbFocus) i;
			return TRUE;
		}
	}
	return FALSE;
}

const char *
gb_focus_to_string(GbFocus focus)
{
	g_return_val_if_fail((gsize) focus < G_N_ELEMENTS(focus_names), NULL);

	return focus_names[focus];
}

const char *
gb_level_change_to_string(GbLevelChangeKind kind)
{
	g_return_val_if_fail((gsize) kind < G_N_ELEMENTS(change_names), NULL);

	return change_names[kind];
}

GbProgress *
gb_progress_new(const char *id)
{
	GbProgress *progress = g_new0(GbProgress, 1);

	progress->id = g_strdup(id);
	progress->level = 1;
	progress->best_level = 1;
	return progress;
}

void
gb_progress_free(GbProgress *progress)
{
	if (progress == NULL)
		return;
	g_free(progress->id);
	g_free(progress);
}

GHashTable *
gb_programme_table_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                             (GDestroyNotify) gb_progress_free);
}

GbProgramme *
gb_programme_new(void)
{
	GbProgramme *programme = g_new0(GbProgramme, 1);

	programme->progress = gb_programme_table_new();
	return programme;
}

void
gb_programme_free(GbProgramme *programme)
{
	if (programme == NULL)
		return;
	g_clear_pointer(&programme->progress, g_hash_table_unref);
	g_free(programme);
}

GbProgress *
gb_programme_get(GbProgramme *programme, const char *id)
{
	GbProgress *progress;

	g_return_val_if_fail(programme != NULL, NULL);
	g_return_val_if_fail(id != NULL && gb_exercise_id_valid(id), NULL);

	progress = g_hash_table_lookup(programme->progress, id);
	if (progress == NULL) {
		progress = gb_progress_new(id);
		g_hash_table_insert(programme->progress, progress->id, progress);
	}
	return progress;
}

const GbProgress *
gb_programme_lookup(const GbProgramme *programme, const char *id)
{
	g_return_val_if_fail(programme != NULL, NULL);
	g_return_val_if_fail(id != NULL, NULL);

	return g_hash_table_lookup(programme->progress, id);
}

const GbMix *
gb_programme_get_mix(const GbProgramme *programme)
{
	g_return_val_if_fail(programme != NULL, NULL);

	return &programme->mix;
}

guint
gb_programme_level(const GbProgramme *programme, const GbExercise *exercise)
{
	const GbProgress *progress;

	g_return_val_if_fail(programme != NULL && exercise != NULL, 0);

	if (exercise->n_levels == 0)
		return 0;
	progress = g_hash_table_lookup(programme->progress, exercise->id);
	return MIN(progress != NULL ? progress->level : 1, exercise->n_levels);
}

gboolean
gb_programme_unlocked(const GbProgramme *programme, const GbCatalogue *catalogue,
                      const GbExercise *exercise)
{
	const GbExercise *required;
	const GbProgress *progress;

	g_return_val_if_fail(programme != NULL && catalogue != NULL && exercise != NULL, FALSE);

	if (exercise->requires == NULL || exercise->requires_level <= 1)
		return TRUE;
	/* a requirement nobody can meet (the exercise was disabled, or has fewer levels) would
	 * hide this one for good */
	required = gb_catalogue_lookup(catalogue, exercise->requires);
	if (required == NULL || required->n_levels < exercise->requires_level)
		return TRUE;
	progress = g_hash_table_lookup(programme->progress, exercise->requires);
	return progress != NULL && progress->best_level >= exercise->requires_level;
}

guint
gb_programme_days_needed(const GbProgress *progress)
{
	g_return_val_if_fail(progress != NULL, 0);

	if (progress->level + 1 <= progress->best_level)
		return 2; /* re-climbing: retraining is faster */
	return progress->level >= 3 ? 4 : 3;
}

static int
compare_ids(gconstpointer a, gconstpointer b)
{
	return strcmp((*(const GbProgress *const *) a)->id, (*(const GbProgress *const *) b)->id);
}

GPtrArray *
gb_programme_list(const GbProgramme *programme)
{
	GPtrArray *list;
	GHashTableIter iter;
	gpointer value;

	g_return_val_if_fail(programme != NULL, NULL);

	list = g_ptr_array_sized_new(g_hash_table_size(programme->progress));
	g_hash_table_iter_init(&iter, programme->progress);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(list, value);
	g_ptr_array_sort(list, compare_ids);
	return list;
}

/* The highest level @exercise has: 1 when it has none. */
static guint
top_level(const GbExercise *exercise)
{
	return MAX(exercise->n_levels, 1);
}

/* Every level change starts the counters afresh. */
static void
set_level(GbProgress *progress, guint level)
{
	progress->level = level;
	progress->days_at_level = 0;
	progress->too_hard_days = 0;
}

/* A level above the exercise's top (its levels were shortened) is its top. */
static void
clamp_level(GbProgress *progress, const GbExercise *exercise)
{
	if (progress->level > top_level(exercise))
		set_level(progress, top_level(exercise));
}

static void
set_change(GbLevelChange *change, const GbProgress *progress, GbLevelChangeKind kind,
           guint from, guint to)
{
	if (change == NULL)
		return;
	change->id = progress->id;
	change->kind = kind;
	change->from = from;
	change->to = to;
}

void
gb_programme_catch_up(GbProgramme *programme, const GbCatalogue *catalogue, GbDay today,
                      GPtrArray *changes)
{
	g_autoptr(GPtrArray) list = NULL;

	g_return_if_fail(programme != NULL);

	list = gb_programme_list(programme); /* by id: the changes come in a stable order */
	for (guint i = 0; i < list->len; i++) {
		GbProgress *progress = g_ptr_array_index(list, i);
		const GbExercise *exercise = NULL;
		guint steps, from, taken;

		/* days after today come from a clock that was wrong: as if today, or they would
		 * keep every Done and "too hard" from counting until then */
		progress->last_done = MIN(progress->last_done, today);
		progress->lapse_from = MIN(progress->lapse_from, today);
		progress->last_shown = MIN(progress->last_shown, today);
		progress->last_too_hard = MIN(progress->last_too_hard, today);
		if (progress->lapse_from == GB_DAY_NONE || today <= progress->lapse_from)
			continue;
		steps = (today - progress->lapse_from) / LAPSE_DAYS;
		if (catalogue != NULL)
			exercise = gb_catalogue_lookup(catalogue, progress->id);
		from = progress->level;
		if (exercise != NULL)
			from = MIN(from, top_level(exercise));
		taken = MIN(steps, from - 1);
		if (taken == 0)
			continue;
		/* the clock moves on by the steps taken: catching up again changes nothing */
		progress->lapse_from += taken * LAPSE_DAYS;
		set_level(progress, from - taken);
		if (changes != NULL) {
			GbLevelChange *change = g_new0(GbLevelChange, 1);

			set_change(change, progress, GB_LEVEL_DOWN, from, progress->level);
			g_ptr_array_add(changes, change);
		}
	}
}

/* Counts a Done on @today (once a day); TRUE when that moved @progress up a level. */
static gboolean
count_done(GbProgress *progress, const GbExercise *exercise, GbDay today)
{
	if (progress->last_done >= today) /* counted already (or the calendar went back) */
		return FALSE;
	progress->last_done = progress->lapse_from = today;
	if (progress->level >= top_level(exercise))
		return FALSE;
	if (++progress->days_at_level < gb_programme_days_needed(progress))
		return FALSE;
	set_level(progress, progress->level + 1);
	progress->best_level = MAX(progress->best_level, progress->level);
	return TRUE;
}

/* The progress a Done or "too hard" on @exercise moves; NULL for anything but a strengthen
 * exercise (the programme is strengthen's: the others have no progress). */
static GbProgress *
answered(GbProgramme *programme, const GbExercise *exercise, GbDay today)
{
	GbProgress *progress;

	g_return_val_if_fail(programme != NULL && exercise != NULL, NULL);
	g_return_val_if_fail(today != GB_DAY_NONE, NULL);

	if (exercise->category != GB_CATEGORY_STRENGTHEN)
		return NULL;
	progress = gb_programme_get(programme, exercise->id);
	clamp_level(progress, exercise);
	return progress;
}

gboolean
gb_programme_done(GbProgramme *programme, const GbExercise *exercise, GbDay today,
                  GbLevelChange *change)
{
	GbProgress *progress = answered(programme, exercise, today);
	guint from;

	if (progress == NULL)
		return FALSE;
	from = progress->level;
	if (progress->retired) {
		/* retiring emptied the counter, so this Done (day 1) cannot also move it up */
		progress->retired = FALSE;
		count_done(progress, exercise, today);
		set_change(change, progress, GB_LEVEL_RESUMED, from, progress->level);
		return TRUE;
	}
	if (!count_done(progress, exercise, today))
		return FALSE;
	set_change(change, progress, GB_LEVEL_UP, from, progress->level);
	return TRUE;
}

gboolean
gb_programme_too_hard(GbProgramme *programme, const GbExercise *exercise, GbDay today,
                      GbLevelChange *change)
{
	GbProgress *progress = answered(programme, exercise, today);
	guint from;

	if (progress == NULL)
		return FALSE;
	if (progress->retired || progress->last_too_hard >= today)
		return FALSE;
	progress->last_too_hard = today;
	if (++progress->too_hard_days < TOO_HARD_DAYS)
		return FALSE;
	from = progress->level;
	if (from > 1) {
		set_level(progress, from - 1);
		/* the level it was eased from is not one to re-climb to in 2 days: the user
		 * could not do it (this also locks what it unlocked at that level again) */
		progress->best_level = progress->level;
		set_change(change, progress, GB_LEVEL_EASED, from, progress->level);
	} else {
		set_level(progress, 1);
		progress->retired = TRUE;
		set_change(change, progress, GB_LEVEL_RETIRED, 1, 1);
	}
	return TRUE;
}

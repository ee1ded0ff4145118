/* SPDX-License-Identifier: MIT */
/* The programme's daily mix (shared/reference/programme.md §2): which category the next
 * reminder is for a focus, and which strengthen exercise it shows. */
#include "programme-private.h"

#define STRENGTHEN_GAP_US ((gint64) 90 * 60 * G_USEC_PER_SEC)
#define MOVE_EVERY 3 /* at least every third reminder is a move */
#define PAST_MAX GB_PROGRAMME_MAX_PAST

/* Shares in % of a day's reminders and the daily caps, per focus (programme.md's table). */
static const struct {
	guint strengthen, release, move;
	guint strengthen_cap, release_cap;
} mixes[] = {
	[GB_FOCUS_BOTH] = { 35, 25, 40, 3, 3 },
	[GB_FOCUS_TIGHT] = { 20, 40, 40, 2, 4 },
	[GB_FOCUS_WEAK] = { 45, 15, 40, 4, 2 },
};

/* Of @allowed, the category furthest below its share after @reminders reminders (this one
 * included) when @strengthen, @release and @move of the others were for each, all in
 * hundredths of a reminder (the faded past days included); ties at random. */
static GbCategory
furthest_below(GbFocus focus, GbCategory allowed, guint reminders, guint strengthen,
               guint release, guint move, GRand *rand)
{
	const struct {
		GbCategory category;
		guint share, count;
	} categories[] = {
		{ GB_CATEGORY_STRENGTHEN, mixes[focus].strengthen, strengthen },
		{ GB_CATEGORY_RELEASE, mixes[focus].release, release },
		{ GB_CATEGORY_MOVE, mixes[focus].move, move },
	};
	GbCategory tied[G_N_ELEMENTS(categories)];
	guint n_tied = 0;
	gint64 best = G_MININT64;

	for (gsize i = 0; i < G_N_ELEMENTS(categories); i++) {
		/* in hundredths of a reminder twice over: whole numbers, so ties are exact */
		gint64 below = (gint64) categories[i].share * reminders -
		               (gint64) categories[i].count * 100;

		if ((allowed & categories[i].category) == 0 || below < best)
			continue;
		if (below > best)
			n_tied = 0;
		best = below;
		tied[n_tied++] = categories[i].category;
	}
	g_assert(n_tied > 0);
	return n_tied == 1 ? tied[0] : tied[g_rand_int_range(rand, 0, (gint32) n_tied)];
}

/* The day of @mix becomes part of its past. */
static guint
fade(guint past, guint day)
{
	return (guint) MIN((guint64) past / 4 * 3 + (guint64) day * 100, PAST_MAX);
}

static void
fade_into_past(GbMix *mix)
{
	mix->past_reminders = fade(mix->past_reminders, mix->reminders);
	mix->past_strengthen = fade(mix->past_strengthen, mix->strengthen);
	mix->past_release = fade(mix->past_release, mix->release);
}

static guint
past_moves(const GbMix *mix)
{
	/* never below 0, though the fading keeps strengthen + release <= reminders */
	return mix->past_reminders - MIN(mix->past_strengthen + mix->past_release,
	                                 mix->past_reminders);
}

GbCategory
gb_programme_next_category(const GbProgramme *programme, GbFocus focus, GbCategory available,
                           GbDay today, gint64 now_us, GRand *rand)
{
	GbMix mix_now;
	const GbMix *mix = &mix_now;
	guint reminders, strengthen, release;
	GbCategory allowed, spaced;

	g_return_val_if_fail(programme != NULL, 0);
	g_return_val_if_fail((gsize) focus < G_N_ELEMENTS(mixes), 0);
	g_return_val_if_fail(rand != NULL, 0);

	available &= GB_CATEGORY_ALL;
	if (available == 0)
		return 0;
	/* the counts are today's; since_move, last and last_strengthen_us carry over */
	mix_now = programme->mix;
	if (mix_now.day != today) {
		fade_into_past(&mix_now);
		mix_now.reminders = mix_now.strengthen = mix_now.release = 0;
	}
	reminders = mix->reminders;
	strengthen = mix->strengthen;
	release = mix->release;

	/* never two in a row or within 90 min (a last one in the future, from a clock that was
	 * wrong, does not hold them back for good) */
	spaced = available;
	if (mix->last == GB_CATEGORY_STRENGTHEN ||
	    (mix->last_strengthen_us != 0 && now_us >= mix->last_strengthen_us &&
	     now_us - mix->last_strengthen_us < STRENGTHEN_GAP_US))
		spaced &= ~GB_CATEGORY_STRENGTHEN;
	allowed = spaced;
	if (strengthen >= mixes[focus].strengthen_cap)
		allowed &= ~GB_CATEGORY_STRENGTHEN;
	if (release >= mixes[focus].release_cap)
		allowed &= ~GB_CATEGORY_RELEASE;

	/* a rule that needs a category that is not available is dropped */
	if ((available & GB_CATEGORY_MOVE) && mix->since_move >= MOVE_EVERY - 1)
		return GB_CATEGORY_MOVE;
	/* by the second reminder, so that a day with three has one even when the third must
	 * be a move */
	if ((allowed & GB_CATEGORY_STRENGTHEN) && strengthen == 0 && reminders >= 1)
		return GB_CATEGORY_STRENGTHEN;
	/* only capped (or spaced) categories are left: a cap gives way first */
	if (allowed == 0)
		allowed = spaced != 0 ? spaced : available;
	return furthest_below(focus, allowed, mix->past_reminders + (reminders + 1) * 100,
	                      mix->past_strengthen + strengthen * 100,
	                      mix->past_release + release * 100,
	                      past_moves(mix) + (reminders - strengthen - release) * 100, rand);
}

static gboolean
excluded(const GbExercise *exercise, const char *const *exclude_tags)
{
	for (const char *const *tag = exclude_tags; tag != NULL && *tag != NULL; tag++) {
		if (g_strv_contains((const char *const *) exercise->tags, *tag))
			return TRUE;
	}
	return FALSE;
}

/* Unlocked, or unlocked by an exercise that exclude-tags keep from being offered (it could
 * never reach the level). */
static gboolean
unlocked(const GbProgramme *programme, const GbCatalogue *catalogue,
         const GbExercise *exercise, const char *const *exclude_tags)
{
	const GbExercise *required;

	if (gb_programme_unlocked(programme, catalogue, exercise))
		return TRUE;
	required = gb_catalogue_lookup(catalogue, exercise->requires);
	return required != NULL && excluded(required, exclude_tags);
}

/* Whether @exercise may be the strengthen exercise on @today (pick_strengthen()'s rules). */
static gboolean
eligible(const GbProgramme *programme, const GbCatalogue *catalogue,
         const GbExercise *exercise, const char *const *exclude_tags, GbDay today)
{
	const GbProgress *progress;

	if (exercise->category != GB_CATEGORY_STRENGTHEN || excluded(exercise, exclude_tags) ||
	    !unlocked(programme, catalogue, exercise, exclude_tags))
		return FALSE;
	progress = gb_programme_lookup(programme, exercise->id);
	if (progress == NULL)
		return TRUE;
	if (progress->retired || progress->last_shown == today)
		return FALSE;
	/* a hard level at most every other day: not on the day after a Done (nor the day) */
	if (exercise->hard_from != 0 &&
	    gb_programme_level(programme, exercise) >= exercise->hard_from &&
	    progress->last_done != GB_DAY_NONE && (guint64) progress->last_done + 1 >= today)
		return FALSE;
	return TRUE;
}

const GbExercise *
gb_programme_pick_strengthen(const GbProgramme *programme, const GbCatalogue *catalogue,
                             const char *const *exclude_tags, GbDay today, GRand *rand)
{
	g_autoptr(GPtrArray) best = NULL;
	GbDay best_shown = GB_DAY_NONE, best_done = GB_DAY_NONE;

	g_return_val_if_fail(programme != NULL && catalogue != NULL, NULL);
	g_return_val_if_fail(rand != NULL, NULL);

	/* the one shown least recently, then done least recently: a lapse then means the user
	 * skipped it or was away, never that the rotation starved it */
	best = g_ptr_array_new();
	for (guint i = 0; i < gb_catalogue_size(catalogue); i++) {
		const GbExercise *exercise = gb_catalogue_get(catalogue, i);
		const GbProgress *progress;
		GbDay shown, done;

		if (!eligible(programme, catalogue, exercise, exclude_tags, today))
			continue;
		progress = gb_programme_lookup(programme, exercise->id);
		shown = progress != NULL ? progress->last_shown : GB_DAY_NONE;
		done = progress != NULL ? progress->last_done : GB_DAY_NONE;
		if (best->len > 0 &&
		    (shown > best_shown || (shown == best_shown && done > best_done)))
			continue;
		if (best->len == 0 || shown < best_shown || done < best_done) {
			g_ptr_array_set_size(best, 0);
			best_shown = shown;
			best_done = done;
		}
		g_ptr_array_add(best, (gpointer) exercise);
	}
	if (best->len == 0)
		return NULL;
	return g_ptr_array_index(best, g_rand_int_range(rand, 0, (gint32) best->len));
}

void
gb_programme_shown(GbProgramme *programme, const GbExercise *exercise, GbDay today,
                   gint64 now_us)
{
	GbMix *mix;
	GbCategory category;

	g_return_if_fail(programme != NULL);
	g_return_if_fail(now_us >= 0);

	mix = &programme->mix;
	category = exercise != NULL ? exercise->category : 0;
	if (mix->day != today) {
		fade_into_past(mix);
		mix->day = today;
		mix->reminders = mix->strengthen = mix->release = 0;
	}
	if (mix->reminders < GB_PROGRAMME_MAX_COUNT) {
		mix->reminders++;
		mix->strengthen += category == GB_CATEGORY_STRENGTHEN;
		mix->release += category == GB_CATEGORY_RELEASE;
	}
	/* a reminder without an exercise says get up: it counts as a move */
	if (category == GB_CATEGORY_STRENGTHEN || category == GB_CATEGORY_RELEASE)
		mix->since_move = MIN(mix->since_move + 1, GB_PROGRAMME_MAX_COUNT);
	else
		mix->since_move = 0;
	mix->last = category;
	if (category == GB_CATEGORY_STRENGTHEN) {
		mix->last_strengthen_us = now_us;
		gb_programme_get(programme, exercise->id)->last_shown = today;
	}
}

/* SPDX-License-Identifier: MIT */
/* The programme in the daemon (DESIGN.md rule 14): which exercise a reminder shows and at which
 * level, what Done and "too hard" do to it, and every level change written to the history.
 * The rules themselves are programme.c's; the days are the user's local calendar days. */
#include "clock.h"
#include "daemon-private.h"
#include "errors.h"

static void
record_change(GbDaemon *self, const GbLevelChange *change, gint64 wall_us)
{
	const char *word = gb_level_change_to_string(change->kind);

	g_message("programme: %s %s, level %u to %u", change->id, word, change->from, change->to);
	gb_record_level(self->record, change->id, word, change->from, change->to, wall_us);
}

/* Steps back what lapsed up to today; TRUE if anything changed. */
static gboolean
catch_up(GbDaemon *self, GbDay today, gint64 wall_us)
{
	g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_free);

	gb_programme_catch_up(self->programme, self->catalogue, today, changes);
	for (guint i = 0; i < changes->len; i++)
		record_change(self, g_ptr_array_index(changes, i), wall_us);
	return changes->len > 0;
}

/* Which categories have something to show now. */
static GbCategory
available(GbDaemon *self, GbDay today)
{
	const GbSettings *s = self->settings;
	const char *const *exclude = (const char *const *) s->exclude_tags;
	GbCategory result = 0;

	for (GbCategory category = GB_CATEGORY_RELEASE; category <= GB_CATEGORY_MOVE;
	     category <<= 1) {
		if (!(s->categories & category))
			continue;
		if (category == GB_CATEGORY_STRENGTHEN
		    ? gb_programme_pick_strengthen(self->programme, self->catalogue, exclude, today,
		                                   self->rand) != NULL
		    : gb_catalogue_count_eligible(self->catalogue, category, exclude) > 0)
			result |= category;
	}
	return result;
}

const GbExercise *
gb_daemon_programme_pick(GbDaemon *self)
{
	const GbSettings *s = self->settings;
	const char *const *exclude = (const char *const *) s->exclude_tags;
	gint64 wall_us = gb_clock_wall_us();
	GbDay today = gb_clock_local_day(wall_us);
	GbCategory category;

	catch_up(self, today, wall_us);
	category = gb_programme_next_category(self->programme, s->focus, available(self, today),
	                                      today, wall_us, self->rand);
	if (category == GB_CATEGORY_STRENGTHEN)
		return gb_programme_pick_strengthen(self->programme, self->catalogue, exclude, today,
		                                    self->rand);
	if (category != 0)
		return gb_catalogue_next(self->catalogue, category, exclude, self->rand);
	/* nothing left today (every strengthen exercise shown, and nothing else asked for):
	 * the rotation's others, never a locked or resting strengthen exercise; else just
	 * "stand up and move" */
	return gb_catalogue_next(self->catalogue, s->categories & ~GB_CATEGORY_STRENGTHEN,
	                         exclude, self->rand);
}

guint
gb_daemon_programme_shown(GbDaemon *self, const GbExercise *exercise)
{
	gint64 wall_us = gb_clock_wall_us();

	g_free(self->shown_id);
	self->shown_id = g_strdup(exercise != NULL ? exercise->id : NULL);
	if (!self->settings->programme)
		return 0;
	gb_programme_shown(self->programme, exercise, gb_clock_local_day(wall_us), wall_us);
	return exercise != NULL ? gb_programme_level(self->programme, exercise) : 0;
}

static gboolean
answer_exercise(GbDaemon *self, const GbExercise *exercise, gboolean too_hard)
{
	gint64 wall_us = gb_clock_wall_us();
	GbDay today = gb_clock_local_day(wall_us);
	GbLevelChange change;
	gboolean changed;

	changed = catch_up(self, today, wall_us);
	if (too_hard) {
		guint level = gb_programme_level(self->programme, exercise);

		gb_record_level(self->record, exercise->id, "too-hard", level, level, wall_us);
		if (gb_programme_too_hard(self->programme, exercise, today, &change))
			record_change(self, &change, wall_us);
		return TRUE;
	}
	if (gb_programme_done(self->programme, exercise, today, &change)) {
		record_change(self, &change, wall_us);
		changed = TRUE;
	}
	return changed;
}

void
gb_daemon_programme_answer(GbDaemon *self, GbAnswer answer)
{
	g_autofree char *id = g_steal_pointer(&self->shown_id);
	const GbExercise *exercise;

	if (id == NULL || !self->settings->programme ||
	    (answer != GB_ANSWER_DONE && answer != GB_ANSWER_TOO_HARD))
		return;
	exercise = gb_catalogue_lookup(self->catalogue, id);
	if (exercise == NULL || exercise->category != GB_CATEGORY_STRENGTHEN)
		return;
	answer_exercise(self, exercise, answer == GB_ANSWER_TOO_HARD);
	gb_daemon_save(self);
}

void
gb_daemon_programme_forget_shown(GbDaemon *self)
{
	g_clear_pointer(&self->shown_id, g_free);
}

gboolean
gb_daemon_programme_too_hard(GbDaemon *self, const char *id, GError **error)
{
	const GbExercise *exercise;

	if (!self->settings->programme) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_FAILED,
		                    "the programme is off ([programme] enabled = no): "
		                    "exercises have no levels to ease");
		return FALSE;
	}
	if (*id == '\0' && self->shown_id != NULL && gb_notify_on_screen(self->notify)) {
		exercise = gb_catalogue_lookup(self->catalogue, self->shown_id);
		if (exercise != NULL && exercise->category == GB_CATEGORY_STRENGTHEN) {
			/* the reminder on screen is answered, as its button would */
			gb_daemon_answer(self, GB_ANSWER_TOO_HARD, 0, gb_daemon_woke(self));
			return TRUE;
		}
	}
	if (*id == '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_FAILED,
		                    "no strengthen exercise on screen: name one, e.g. "
		                    "glutebreakctl too-hard glute-bridge");
		return FALSE;
	}
	exercise = gb_catalogue_lookup(self->catalogue, id);
	if (exercise == NULL || exercise->category != GB_CATEGORY_STRENGTHEN) {
		g_set_error(error, GB_ERROR, GB_ERROR_UNKNOWN_EXERCISE,
		            "no strengthen exercise '%s' in the catalogue "
		            "(glutebreakctl programme lists them)", id);
		return FALSE;
	}
	answer_exercise(self, exercise, TRUE);
	gb_daemon_save(self);
	return TRUE;
}

void
gb_daemon_programme_load(GbDaemon *self)
{
	g_autoptr(GError) error = NULL;

	if (!gb_state_load_programme(gb_state_file_get_path(self->state), self->programme,
	                             &error))
		g_warning("%s", error->message);
	g_debug("programme read from the state file");
}

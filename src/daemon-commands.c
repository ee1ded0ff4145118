/* SPDX-License-Identifier: MIT */
/* What the user asks for over D-Bus (glutebreakctl): each method checks its arguments, then
 * goes through the core like any other input. */
#include "clock.h"
#include "daemon-private.h"
#include "duration.h"
#include "errors.h"

/* A pause may be a day and an hour long: "until HH:MM" tomorrow on the day a DST change
 * gives back an hour. */
#define PAUSE_MAX_US (GB_DURATION_MAX_US + (gint64) 3600 * G_USEC_PER_SEC)

/* @min_us: 0 or 1; the message says the range in people's words. */
static gboolean
check_duration(const char *what, gint64 duration_us, gint64 min_us, gint64 max_us,
               GError **error)
{
	g_autofree char *max = NULL;

	if (duration_us >= min_us && duration_us <= max_us)
		return TRUE;
	max = gb_duration_format(max_us);
	g_set_error(error, GB_ERROR, GB_ERROR_INVALID_ARGS,
	            "%s: the duration must be between %s and %s, not %" G_GINT64_FORMAT " µs",
	            what, min_us > 0 ? "1 s" : "0 (the configured one)", max, duration_us);
	return FALSE;
}

/* Snooze, skip and break need a bout to act on. */
static gboolean
check_sitting(GbDaemon *self, const char *what, GError **error)
{
	GbState state = gb_core_get_state(self->core);

	if (gb_core_in_bout(self->core))
		return TRUE;
	g_set_error(error, GB_ERROR, GB_ERROR_NOT_SITTING, "nothing to %s: %s", what,
	            state == GB_STATE_PAUSED ? "reminders are paused (glutebreakctl resume)"
	                                     : "you are on a break");
	return FALSE;
}

static gboolean
on_pause(gpointer user_data, gint64 duration_us, GError **error)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);
	g_autofree char *text = NULL;

	if (!check_duration("pause", duration_us, 1, PAUSE_MAX_US, error))
		return FALSE;
	text = gb_duration_format(duration_us);
	g_message("paused for %s", text);
	gb_daemon_apply(self, gb_core_pause(self->core, duration_us, now));
	return TRUE;
}

static gboolean
on_resume(gpointer user_data, GError **error)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);

	if (gb_core_get_paused_until(self->core) < 0) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_NOT_PAUSED, "not paused");
		return FALSE;
	}
	g_message("resumed");
	gb_daemon_apply(self, gb_core_resume(self->core, now));
	return TRUE;
}

static gboolean
on_snooze(gpointer user_data, gint64 duration_us, GError **error)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);

	if (!check_duration("snooze", duration_us, 0, GB_DURATION_MAX_US, error) ||
	    !check_sitting(self, "snooze", error))
		return FALSE;
	gb_daemon_answer(self, GB_ANSWER_SNOOZE, duration_us, now);
	return TRUE;
}

static gboolean
on_skip(gpointer user_data, GError **error)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);

	if (!check_sitting(self, "skip", error))
		return FALSE;
	if (!gb_settings_offers_skip(self->settings, gb_core_get_skips(self->core))) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "no more skips until the next break ([reminder] skip-limit = %u): take "
		            "a break, or snooze", self->settings->skip_limit);
		return FALSE;
	}
	gb_daemon_answer(self, GB_ANSWER_SKIP, 0, now);
	return TRUE;
}

static gboolean
on_take_break(gpointer user_data, GError **error)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);

	if (!check_sitting(self, "end with a break", error))
		return FALSE;
	gb_daemon_answer(self, GB_ANSWER_DONE, 0, now);
	return TRUE;
}

static gboolean
on_reload_call(gpointer user_data, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (gb_daemon_reload(user_data, &local))
		return TRUE;
	g_warning("%s; keeping the previous settings", local->message);
	/* a file that cannot be read is a config problem too, for the caller */
	g_set_error_literal(error, GB_ERROR,
	                    local->domain == GB_ERROR ? local->code : GB_ERROR_INVALID_CONFIG,
	                    local->message);
	return FALSE;
}

static gboolean
on_show_exercise(gpointer user_data, const char *id, GError **error)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);
	const GbExercise *exercise = *id == '\0' ? gb_daemon_next_exercise(self) : NULL;

	if (*id != '\0') {
		exercise = gb_catalogue_lookup(self->catalogue, id);
		if (exercise == NULL) {
			g_set_error(error, GB_ERROR, GB_ERROR_UNKNOWN_EXERCISE,
			            "no exercise '%s' in the catalogue "
			            "(glutebreakctl exercise --list shows the ids)", id);
			return FALSE;
		}
	}
	gb_daemon_show_reminder(self, exercise, now);
	return TRUE;
}

static gboolean
on_too_hard(gpointer user_data, const char *id, GError **error)
{
	return gb_daemon_programme_too_hard(user_data, id, error);
}

static void
on_name_acquired(gpointer user_data)
{
	GbDaemon *self = user_data;

	self->owns_name = TRUE;
	gb_record_start(self->record, self->core, gb_clock_wall_us());
	gb_daemon_holds_record(self);
	gb_daemon_restore(self);
}

static void
on_name_lost(gpointer user_data)
{
	GbDaemon *self = user_data;

	self->quit(self->quit_data);
}

const GbDBusHandlers gb_daemon_dbus_handlers = {
	.pause = on_pause,
	.resume = on_resume,
	.snooze = on_snooze,
	.skip = on_skip,
	.take_break = on_take_break,
	.reload = on_reload_call,
	.show_exercise = on_show_exercise,
	.too_hard = on_too_hard,
	.name_acquired = on_name_acquired,
	.name_lost = on_name_lost,
};

/* SPDX-License-Identifier: MIT */
/* The glue: owns the core and every adapter; the only file that knows them all.
 *
 * Invariant: exactly one deadline source exists, a CLOCK_BOOTTIME timerfd
 * (GLib timeouts stop while the machine is suspended; this one fires on time
 * across a suspend). Every input (the timer, an idle event, a notification
 * action, a reload) ends in gb_daemon_apply(), which re-arms it from
 * gb_core_next_deadline(). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <gio/gio.h>
#include <glib-unix.h>

#include "clock.h"
#include "daemon.h"
#include "daemon-private.h"
#include "duration.h"
#include "errors.h"
#include "recover.h"

/* Every wake-up starts here, before anything looks at the time: a suspend shows as
 * CLOCK_BOOTTIME running ahead of CLOCK_MONOTONIC, and whatever woke us first after it (the
 * resume sensor, the deadline, an idle event) runs right after the resume. */
gint64
gb_daemon_woke(GbDaemon *self)
{
	gint64 now = gb_clock_now_us();
	gint64 offset = gb_clock_suspend_offset_us();
	gint64 since;

	if (gb_recover_suspend(self->suspend_offset, offset, now, &since)) {
		g_autofree char *text = gb_duration_format(now - since);

		self->suspend_offset = offset;
		g_message("the machine was suspended for %s", text);
		gb_daemon_apply(self, gb_core_suspended(self->core, since, now));
	}
	return now;
}

/* A CLOCK_BOOTTIME time as Unix µs. The offset is kept while the wall clock
 * stays within a second of it, so the same bout start reads the same on every update. */
static gint64
wall_offset(GbDaemon *self)
{
	gint64 offset = gb_clock_wall_us() - gb_clock_now_us();

	if (ABS(offset - self->wall_offset) > G_USEC_PER_SEC)
		self->wall_offset = offset;
	return self->wall_offset;
}

static gint64
to_wall(GbDaemon *self, gint64 boot_us)
{
	return boot_us + wall_offset(self);
}

const GbExercise *
gb_daemon_next_exercise(GbDaemon *self)
{
	const GbSettings *s = self->settings;

	if (s->programme)
		return gb_daemon_programme_pick(self);
	return gb_catalogue_next(self->catalogue, s->categories,
	                         (const char *const *) s->exclude_tags, self->rand);
}

void
gb_daemon_show_reminder(GbDaemon *self, const GbExercise *asked, gint64 now)
{
	const GbSettings *s = self->settings;
	GbReminder reminder = {
		.sitting_us = gb_core_get_sitting_us(self->core, now),
		.exercise = asked != NULL ? asked : gb_daemon_next_exercise(self),
		.critical = gb_settings_is_critical(s, gb_core_get_unanswered(self->core)),
		.sound = s->sound,
		.snooze_us = s->timings.snooze_us,
		.asked = asked != NULL,
		.offer_skip = gb_settings_offers_skip(s, gb_core_get_skips(self->core)),
		.programme = s->programme,
	};

	reminder.level = gb_daemon_programme_shown(self, reminder.exercise);
	gb_notify_show(self->notify, &reminder);
	gb_record_reminder(self->record, reminder.exercise, reminder.level, reminder.sitting_us,
	                   to_wall(self, now));
	gb_daemon_save(self);
}

static GbRecoverNow
recover_now(const GbDaemon *self, gint64 now)
{
	return (GbRecoverNow) {
		.boot_id = self->boot_id,
		.now_boot = now,
		.now_wall = gb_clock_wall_us(),
		.break_us = self->settings->timings.break_us,
		.dates_input = gb_idle_source_dates_input(self->idle),
	};
}

/* @running: FALSE only at a clean exit. */
static void
save_state(GbDaemon *self, gint64 now, gboolean running)
{
	GbRecoverNow present = recover_now(self, now);
	GbSavedState state;

	gb_recover_snapshot(self->core, &present, running, &state);
	gb_state_file_save(self->state, &state, self->programme);
}

void
gb_daemon_save(GbDaemon *self)
{
	if (self->restored)
		save_state(self, gb_clock_now_us(), TRUE);
}

static void
restore_state(GbDaemon *self, gint64 now)
{
	g_autoptr(GError) error = NULL;
	GbRecoverNow present = recover_now(self, now);
	GbSavedState saved;
	gint64 bout_start;

	gboolean resumed = FALSE;

	if (!gb_state_load(gb_state_file_get_path(self->state), &saved, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_warning("%s", error->message);
		saved.in_bout = FALSE;
	} else if (gb_recover_bout(&saved, &present, &bout_start)) {
		gb_daemon_apply(self, gb_core_restore_bout(self->core, bout_start, now));
		resumed = gb_core_in_bout(self->core) &&
		          gb_core_get_bout_start(self->core) == bout_start;
	}
	if (resumed && bout_start < now) {
		g_autofree char *sitting = gb_duration_format(now - bout_start);

		g_message("resumed the bout of the previous run (sitting for %s)", sitting);
	}
	gb_record_restored(self->record, saved.in_bout && !resumed ? &saved : NULL, self->core,
	                   resumed, self->settings->timings.sit_us, wall_offset(self), now);
}

static void
publish_status(GbDaemon *self)
{
	const char *source = gb_idle_source_get_name(self->idle);
	gint64 next = gb_core_get_next_reminder(self->core);
	gint64 paused_until = gb_core_get_paused_until(self->core);
	g_autofree char *hold = self->holds != NULL ? gb_daemon_holds_describe(self) : g_strdup("");
	GbDBusStatus status = {
		.state = gb_state_to_string(gb_core_get_state(self->core)),
		.hold = hold,
		.warning = self->holds != NULL ? gb_daemon_holds_get_warning(self) : "",
		.bout_start = gb_core_in_bout(self->core)
		              ? to_wall(self, gb_core_get_bout_start(self->core)) : 0,
		.next_reminder = next >= 0 ? to_wall(self, next) : 0,
		.paused_until = paused_until >= 0 ? to_wall(self, paused_until) : 0,
		.unanswered = gb_core_get_unanswered(self->core),
		.idle_source = source != NULL ? source : "none",
		.sit_limit_us = self->settings->timings.sit_us,
		.break_length_us = self->settings->timings.break_us,
	};

	gb_dbus_set_status(self->dbus, &status);
}

static void
arm_timer(GbDaemon *self)
{
	gint64 deadline = gb_core_next_deadline(self->core);
	struct itimerspec spec = { 0 };

	if (deadline >= 0) {
		deadline = MAX(deadline, 1); /* all zero would disarm */
		spec.it_value.tv_sec = deadline / G_USEC_PER_SEC;
		spec.it_value.tv_nsec = deadline % G_USEC_PER_SEC * 1000;
	}
	if (timerfd_settime(self->timer_fd, TFD_TIMER_ABSTIME, &spec, NULL) != 0)
		g_warning("cannot arm the timer: %s", g_strerror(errno));
}

void
gb_daemon_apply(GbDaemon *self, GbActions actions)
{
	gint64 now = gb_clock_now_us();

	if (actions & GB_ACTION_BREAK_STARTED) {
		GbBreakKind kind;
		gint64 bout_us;
		g_autofree char *bout = NULL;

		gb_core_get_last_break(self->core, &kind, NULL, &bout_us);
		bout = gb_duration_format(bout_us);
		g_message("break (%s) after %s of sitting", gb_break_kind_to_string(kind), bout);
	}
	/* rule 4: a break withdraws what is on screen, an exercise asked for included */
	if ((actions & GB_ACTION_HIDE_REMINDER) ||
	    ((actions & GB_ACTION_BREAK_STARTED) && gb_notify_on_screen(self->notify))) {
		gb_notify_withdraw(self->notify);
		gb_record_reply(self->record, GB_REPLY_WITHDRAWN, to_wall(self, now));
	}
	/* a Done after a break is not for a reminder of the bout before (one that failed to
	 * show, say) */
	if (actions & (GB_ACTION_HIDE_REMINDER | GB_ACTION_BREAK_STARTED))
		gb_daemon_programme_forget_shown(self);
	if (actions & GB_ACTION_SHOW_REMINDER)
		gb_daemon_show_reminder(self, NULL, now);
	if (actions & GB_ACTION_WATCH_ACTIVITY)
		gb_idle_source_watch_activity(self->idle);
	if (actions & GB_ACTION_CHECK_HOLD)
		gb_daemon_holds_check(self);
	if (actions & GB_ACTION_STATE_CHANGED)
		g_info("state: %s", gb_state_to_string(gb_core_get_state(self->core)));
	if ((actions & GB_ACTION_PERSIST) && self->restored)
		save_state(self, now, TRUE);
	gb_record_step(self->record, self->core, actions, self->settings->timings.sit_us,
	               wall_offset(self), now);
	arm_timer(self);
	publish_status(self);
}

/* Consumes a timerfd's readiness. */
static void
drain_timerfd(int fd, const char *what)
{
	guint64 expirations;

	if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		g_warning("cannot read the %s: %s", what, g_strerror(errno));
}

static gboolean
on_timer(int fd, GIOCondition condition, gpointer user_data)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);

	(void) condition;
	drain_timerfd(fd, "timer");
	gb_daemon_apply(self, gb_core_tick(self->core, now));
	return G_SOURCE_CONTINUE;
}

void
gb_daemon_restore(GbDaemon *self)
{
	gint64 now;

	if (self->restored || !self->idle_decided || !self->owns_name)
		return;
	now = gb_daemon_woke(self);
	self->restored = TRUE;
	gb_daemon_programme_load(self);
	restore_state(self, now);
	/* the file says from now on that a daemon runs (and a bout, if any) */
	gb_daemon_apply(self, GB_ACTION_PERSIST);
}

static void
on_idle_event(GbIdleSourceEvent event, gint64 time_us, gpointer user_data)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);

	switch (event) {
	case GB_IDLE_SOURCE_IDLE:
		g_debug("idle since %" G_GINT64_FORMAT " ms ago", (now - time_us) / 1000);
		gb_daemon_apply(self, gb_core_idle(self->core, time_us, now));
		break;
	case GB_IDLE_SOURCE_ACTIVE:
		g_debug("active");
		gb_daemon_apply(self, gb_core_active(self->core, now));
		break;
	case GB_IDLE_SOURCE_INPUT:
	case GB_IDLE_SOURCE_NO_INPUT:
		gb_daemon_apply(self, gb_core_input_source_changed(
			self->core, event == GB_IDLE_SOURCE_INPUT, now));
		/* the first decision: now it is known whether the source dates input */
		self->idle_decided = TRUE;
		gb_daemon_restore(self);
		break;
	default:
		g_assert_not_reached();
	}
}

void
gb_daemon_answer(GbDaemon *self, GbAnswer answer, gint64 duration_us, gint64 now)
{
	static const GbReply replies[] = {
		[GB_ANSWER_DONE] = GB_REPLY_DONE,
		[GB_ANSWER_SNOOZE] = GB_REPLY_SNOOZE,
		[GB_ANSWER_SKIP] = GB_REPLY_SKIP,
		[GB_ANSWER_IGNORED] = GB_REPLY_IGNORED,
		[GB_ANSWER_TOO_HARD] = GB_REPLY_DONE, /* a break: the level event says the rest */
	};

	gb_record_reply(self->record, replies[answer], to_wall(self, now));
	gb_daemon_programme_answer(self, answer);
	gb_daemon_apply(self, gb_core_answer(self->core, answer, duration_us, now));
}

static void
on_answer(GbAnswer reply, gpointer user_data)
{
	GbDaemon *self = user_data;

	gb_daemon_answer(self, reply, 0, gb_daemon_woke(self));
}

static void
on_session_event(GbSessionEvent event, gpointer user_data)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);

	switch (event) {
	case GB_SESSION_LOCKED:
		g_info("screen locked");
		gb_daemon_apply(self, gb_core_set_locked(self->core, TRUE, now));
		break;
	case GB_SESSION_UNLOCKED:
		g_info("screen unlocked");
		gb_daemon_apply(self, gb_core_set_locked(self->core, FALSE, now));
		break;
	case GB_SESSION_SLEEPING:
		/* the suspend itself is measured on the way back (gb_daemon_woke()) */
		g_info("the machine is going to sleep");
		if (self->restored)
			save_state(self, now, TRUE);
		break;
	case GB_SESSION_WOKE:
		g_debug("the machine woke up");
		gb_daemon_apply(self, gb_core_tick(self->core, now));
		break;
	default:
		g_assert_not_reached();
	}
}

gboolean
gb_daemon_reload(GbDaemon *self, GError **error)
{
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbSettings) old = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;
	gint64 now;

	if (!gb_config_files_load(self->files, &settings, &catalogue, error))
		return FALSE;
	gb_catalogue_keep_rotation(catalogue, self->catalogue);
	old = g_steal_pointer(&self->settings);
	g_clear_pointer(&self->catalogue, gb_catalogue_free);
	self->settings = g_steal_pointer(&settings);
	self->catalogue = g_steal_pointer(&catalogue);
	now = gb_daemon_woke(self);
	/* a new backend is started afresh; a new break-length keeps the source running */
	gb_idle_source_reconfigure(self->idle, self->settings->idle_backend,
	                           self->settings->timings.break_us);
	gb_daemon_apply(self, gb_core_set_timings(self->core, &self->settings->timings, now));
	gb_daemon_holds_reconfigure(self, old);
	g_message("settings reloaded from %s",
	          self->settings->path != NULL ? self->settings->path : "built-in defaults");
	return TRUE;
}

static void
on_files_changed(gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!gb_daemon_reload(user_data, &error))
		g_warning("%s; keeping the previous settings", error->message);
}

GbDaemon *
gb_daemon_new(const char *config_path, GbDaemonQuitFunc quit, gpointer quit_data,
              GError **error)
{
	g_autoptr(GbDaemon) self = g_new0(GbDaemon, 1);
	GDBusConnection *bus;
	g_autofree char *sit = NULL;
	g_autofree char *brk = NULL;
	gint64 now;

	self->timer_fd = -1;
	self->quit = quit;
	self->quit_data = quit_data;
	self->state = gb_state_file_new(NULL);
	self->record = gb_record_new(gb_history_new(NULL));
	self->boot_id = gb_clock_boot_id();
	/* watching from here on: a change is seen once the main loop runs */
	self->files = gb_config_files_new(config_path, on_files_changed, self);
	if (!gb_config_files_load(self->files, &self->settings, &self->catalogue, error))
		return NULL;
	/* notifications need the session bus: fail now with a clear message */
	bus = self->bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, error);
	if (bus == NULL) {
		g_prefix_error(error, "no session bus: ");
		return NULL;
	}
	/* the name is asked for at once; no file is read or written before it is ours
	 * (gb_daemon_restore()): another daemon may own them. The handlers run from the main
	 * loop, once everything below exists. */
	self->dbus = gb_dbus_new(bus, &gb_daemon_dbus_handlers, self, error);
	if (self->dbus == NULL)
		return NULL;
	self->timer_fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	if (self->timer_fd < 0) {
		int saved_errno = errno;

		g_set_error(error, GB_ERROR, GB_ERROR_FAILED, "timerfd_create: %s",
		            g_strerror(saved_errno));
		return NULL;
	}
	self->timer_id = g_unix_fd_add(self->timer_fd, G_IO_IN, on_timer, self);
	g_source_set_name_by_id(self->timer_id, "[glutebreak] core deadline");
	self->rand = g_rand_new();
	self->programme = gb_programme_new();
	self->notify = gb_notify_new(bus, on_answer, self);
	self->session = gb_session_new(bus, on_session_event, self);
	/* decides from the main loop: until it reports, no source reports input */
	self->idle = gb_idle_source_new(self->settings->idle_backend,
	                                self->settings->timings.break_us,
	                                gb_session_get_logind(self->session), on_idle_event, self);

	now = gb_clock_now_us();
	self->suspend_offset = gb_clock_suspend_offset_us();
	self->core = gb_core_new(&self->settings->timings, FALSE, now);
	self->wall_offset = gb_clock_wall_us() - now;
	sit = gb_duration_format(self->settings->timings.sit_us);
	brk = gb_duration_format(self->settings->timings.break_us);
	g_message("settings from %s; sit-limit %s, break-length %s",
	          self->settings->path != NULL ? self->settings->path : "built-in defaults", sit,
	          brk);
	/* the sensors report from the main loop, to the core that exists now */
	gb_daemon_holds_start(self);
	/* the saved state is read once the idle source decided (on_idle_event()) */
	gb_daemon_apply(self, GB_ACTION_NONE);
	return g_steal_pointer(&self);
}

void
gb_daemon_free(GbDaemon *daemon)
{
	if (daemon == NULL)
		return;
	if (daemon->core != NULL && daemon->restored)
		save_state(daemon, gb_clock_now_us(), FALSE);
	if (daemon->notify != NULL && gb_notify_on_screen(daemon->notify))
		gb_record_reply(daemon->record, GB_REPLY_WITHDRAWN, gb_clock_wall_us());
	gb_record_end(daemon->record, gb_clock_wall_us());
	gb_daemon_holds_stop(daemon);
	g_clear_pointer(&daemon->dbus, gb_dbus_free);
	g_clear_pointer(&daemon->notify, gb_notify_free);
	/* before the session: it holds the session's logind */
	g_clear_pointer(&daemon->idle, gb_idle_source_free);
	g_clear_pointer(&daemon->session, gb_session_free);
	g_clear_pointer(&daemon->files, gb_config_files_free);
	g_clear_handle_id(&daemon->timer_id, g_source_remove);
	if (daemon->timer_fd >= 0)
		close(daemon->timer_fd);
	g_clear_pointer(&daemon->core, gb_core_free);
	g_clear_pointer(&daemon->rand, g_rand_free);
	g_clear_pointer(&daemon->programme, gb_programme_free);
	g_free(daemon->shown_id);
	g_clear_pointer(&daemon->settings, gb_settings_free);
	g_clear_pointer(&daemon->catalogue, gb_catalogue_free);
	g_clear_pointer(&daemon->state, gb_state_file_free);
	g_clear_pointer(&daemon->record, gb_record_free);
	g_free(daemon->boot_id);
	g_clear_object(&daemon->bus);
	g_free(daemon);
}

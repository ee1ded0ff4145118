/* SPDX-License-Identifier: MIT */
/* The glue: owns the core and every adapter; the only file that knows them all.
 *
 * Invariant: exactly one deadline source exists, a CLOCK_BOOTTIME timerfd
 * (GLib timeouts stop while the machine is suspended; this one fires on time
 * across a suspend). Every input (the timer, an idle event, a notification
 * action, a reload) ends in apply(), which re-arms it from
 * gb_core_next_deadline(). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <gio/gio.h>
#include <glib-unix.h>

#include "clock.h"
#include "core.h"
#include "daemon.h"
#include "duration.h"
#include "errors.h"
#include "exercises.h"
#include "idle.h"
#include "notify.h"
#include "session.h"
#include "settings.h"
#include "state.h"

/* Editors save in steps (rename the old file away, write the new one): let
 * the file settle before reading it, or the defaults would apply in between. */
#define RELOAD_DELAY_MS 500
/* a jump of boottime against monotonic time larger than this was a suspend */
#define SUSPEND_MIN_US (2 * G_USEC_PER_SEC)

struct _GbDaemon {
	char *config_path;       /* --config, or NULL */
	GbSettings *settings;
	GbCatalogue *catalogue;
	GbCore *core;
	GbNotify *notify;
	GbIdleSource *idle;
	GbSession *session;      /* lock, sleep and resume sensors */
	GRand *rand;
	int timer_fd;
	guint timer_id;
	gint64 suspend_offset;   /* boottime - monotonic at the last wake-up */
	gint64 last_wake;        /* boottime of the last wake-up */
	gint64 deadline;         /* what the timer is armed for; -1: nothing */
	char *state_path;
	GPtrArray *monitors;     /* GFileMonitor: config and user catalogue */
	guint reload_id;         /* one-shot: a watched file changed */
};

static void apply(GbDaemon *self, GbActions actions);

static char *
find_catalogue(void)
{
	const char *const *dirs = g_get_system_data_dirs();

	for (gsize i = 0; dirs[i] != NULL; i++) {
		g_autofree char *path = g_build_filename(dirs[i], "glutebreak", "exercises.ini", NULL);

		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return g_steal_pointer(&path);
	}
	return g_build_filename(PKGDATADIR, "exercises.ini", NULL);
}

static char *
user_catalogue_path(void)
{
	return g_build_filename(g_get_user_config_dir(), "glutebreak", "exercises.ini", NULL);
}

/* Everything the config decides, loaded and checked as one transaction. */
static gboolean
load_config(const char *config_path, GbSettings **out_settings, GbCatalogue **out_catalogue,
            GError **error)
{
	g_autofree char *path = gb_settings_find_path(config_path);
	g_autofree char *catalogue_path = find_catalogue();
	g_autofree char *user_path = user_catalogue_path();
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;

	settings = path != NULL ? gb_settings_load(path, error) : gb_settings_new_default();
	if (settings == NULL)
		return FALSE;
	catalogue = gb_catalogue_load(catalogue_path, user_path, error);
	if (catalogue == NULL)
		return FALSE;
	if (gb_catalogue_count_eligible(catalogue, settings->categories,
	                                (const char *const *) settings->exclude_tags) == 0) {
		gboolean tags = settings->exclude_tags_line > settings->categories_line;
		int line = MAX(settings->exclude_tags_line, settings->categories_line);
		g_autofree char *where = line > 0
		        ? g_strdup_printf("%s:%d: [exercises] %s", path, line,
		                          tags ? "exclude-tags" : "categories")
		        : g_strdup_printf("%s: [exercises]", path != NULL ? path : user_path);

		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "%s: no exercise matches these categories and exclude-tags (allow "
		            "more categories or exclude fewer tags)", where);
		return FALSE;
	}
	*out_settings = g_steal_pointer(&settings);
	*out_catalogue = g_steal_pointer(&catalogue);
	return TRUE;
}

gboolean
gb_daemon_check_config(const char *config_path, char **out_path, GError **error)
{
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;

	if (!load_config(config_path, &settings, &catalogue, error))
		return FALSE;
	*out_path = g_strdup(settings->path);
	return TRUE;
}

/* A suspend shows as CLOCK_BOOTTIME running ahead of CLOCK_MONOTONIC. Called
 * on every wake-up, before anything else looks at the time. @on_deadline: the
 * wake-up is the deadline timer. */
static void
check_suspend(GbDaemon *self, gint64 now, gboolean on_deadline)
{
	gint64 offset = gb_clock_suspend_offset_us();
	gint64 slept = offset - self->suspend_offset;
	gint64 last_wake = self->last_wake;
	gint64 since;
	g_autofree char *text = NULL;

	self->last_wake = now;
	if (slept < SUSPEND_MIN_US)
		return;
	self->suspend_offset = offset;
	/* The resume sensor wakes us as a suspend ends, and a deadline that
	 * passed during it fires on resume; idle events and clicks come after
	 * it: the suspend just ended. Only where the kernel does not cancel
	 * the sensor on resume (before Linux 5.14) can the deadline firing on
	 * time be the first news: the machine woke up some time before it.
	 * Then place the suspend right after the previous wake-up, the user
	 * having been at it since (or the idle source would have said so). */
	if (on_deadline && self->deadline >= 0 && now - self->deadline < SUSPEND_MIN_US)
		since = last_wake;
	else
		since = now - slept;
	text = gb_duration_format(slept);
	g_message("the machine was suspended for %s", text);
	apply(self, gb_core_suspended(self->core, since, since + slept, now));
}

static void
show_reminder(GbDaemon *self, gint64 now)
{
	const GbSettings *s = self->settings;
	const GbExercise *exercise;
	g_autofree char *sitting = gb_duration_format(
		gb_duration_round_minutes(gb_core_get_sitting_us(self->core, now)));
	g_autofree char *summary = g_strdup_printf("You've been sitting for %s", sitting);
	g_autofree char *body = NULL;
	GbReminder reminder = {
		.summary = summary,
		.critical = gb_core_get_reminder_critical(self->core),
		.sound = s->sound,
		.snooze_us = s->timings.snooze_us,
	};

	exercise = gb_catalogue_next(self->catalogue, s->categories,
	                             (const char *const *) s->exclude_tags, self->rand);
	body = exercise != NULL ? gb_exercise_format_body(exercise)
	                        : g_strdup("Stand up and move for a few minutes.");
	reminder.body = body;
	g_message("reminder: sitting for %s%s, suggesting '%s'", sitting,
	          reminder.critical ? " (critical)" : "", exercise != NULL ? exercise->id : "-");
	/* a failure is logged by notify; the repeat schedule tries again */
	gb_notify_show(self->notify, &reminder, NULL);
}

static void
save_state(GbDaemon *self, gint64 now)
{
	g_autoptr(GError) error = NULL;
	gint64 wall = gb_clock_wall_us();
	GbSavedState state = {
		.bout_start_wall = gb_core_in_bout(self->core)
		                   ? wall - (now - gb_core_get_bout_start(self->core)) : -1,
		.saved_wall = wall,
	};

	if (!gb_state_save(self->state_path, &state, &error))
		g_warning("cannot save the state: %s", error->message);
}

static void
restore_state(GbDaemon *self, gint64 now)
{
	g_autoptr(GError) error = NULL;
	GbSavedState state;
	gint64 wall = gb_clock_wall_us();

	if (!gb_state_load(self->state_path, &state, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_warning("%s", error->message);
		return;
	}
	if (state.bout_start_wall < 0)
		return;
	apply(self, gb_core_restore_bout(self->core, now - (wall - state.bout_start_wall),
	                                 wall - state.saved_wall, now));
	if (gb_core_in_bout(self->core) && gb_core_get_bout_start(self->core) < now)
		g_message("resumed the bout of the previous run");
}

static void
arm_timer(GbDaemon *self)
{
	gint64 deadline = gb_core_next_deadline(self->core);
	struct itimerspec spec = { 0 };

	self->deadline = deadline;
	if (deadline >= 0) {
		deadline = MAX(deadline, 1); /* all zero would disarm */
		spec.it_value.tv_sec = deadline / G_USEC_PER_SEC;
		spec.it_value.tv_nsec = deadline % G_USEC_PER_SEC * 1000;
	}
	if (timerfd_settime(self->timer_fd, TFD_TIMER_ABSTIME, &spec, NULL) != 0)
		g_warning("cannot arm the timer: %s", g_strerror(errno));
}

static void
apply(GbDaemon *self, GbActions actions)
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
	if (actions & GB_ACTION_HIDE_REMINDER)
		gb_notify_withdraw(self->notify);
	if (actions & GB_ACTION_SHOW_REMINDER)
		show_reminder(self, now);
	if (actions & GB_ACTION_WATCH_ACTIVITY)
		gb_idle_source_watch_activity(self->idle);
	if (actions & GB_ACTION_STATE_CHANGED) {
		g_info("state: %s", gb_state_to_string(gb_core_get_state(self->core)));
		save_state(self, now);
	}
	arm_timer(self);
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
	gint64 now = gb_clock_now_us();

	(void) condition;
	drain_timerfd(fd, "timer");
	check_suspend(self, now, TRUE);
	apply(self, gb_core_tick(self->core, now));
	return G_SOURCE_CONTINUE;
}

static void
on_idle_event(GbIdleSourceEvent event, gint64 time_us, gpointer user_data)
{
	GbDaemon *self = user_data;
	gint64 now = gb_clock_now_us();

	check_suspend(self, now, FALSE);
	switch (event) {
	case GB_IDLE_SOURCE_IDLE:
		g_debug("idle since %" G_GINT64_FORMAT " ms ago", (now - time_us) / 1000);
		apply(self, gb_core_idle(self->core, time_us, now));
		break;
	case GB_IDLE_SOURCE_ACTIVE:
		g_debug("active");
		apply(self, gb_core_active(self->core, now));
		break;
	case GB_IDLE_SOURCE_INPUT:
	case GB_IDLE_SOURCE_NO_INPUT:
		apply(self, gb_core_input_source_changed(self->core, event == GB_IDLE_SOURCE_INPUT,
		                                         now));
		break;
	default:
		g_assert_not_reached();
	}
}

static void
on_answer(GbAnswer answer, gpointer user_data)
{
	GbDaemon *self = user_data;
	gint64 now = gb_clock_now_us();

	check_suspend(self, now, FALSE);
	apply(self, gb_core_answer(self->core, answer, 0, now));
}

static void
on_session_event(GbSessionEvent event, gpointer user_data)
{
	GbDaemon *self = user_data;
	gint64 now = gb_clock_now_us();

	check_suspend(self, now, FALSE);
	switch (event) {
	case GB_SESSION_LOCKED:
		g_info("screen locked");
		apply(self, gb_core_set_locked(self->core, TRUE, now));
		break;
	case GB_SESSION_UNLOCKED:
		g_info("screen unlocked");
		apply(self, gb_core_set_locked(self->core, FALSE, now));
		break;
	case GB_SESSION_SLEEPING:
		/* the suspend itself is measured on the way back (check_suspend) */
		g_info("the machine is going to sleep");
		save_state(self, now);
		break;
	case GB_SESSION_WOKE:
		g_debug("the machine woke up");
		apply(self, gb_core_tick(self->core, now));
		break;
	default:
		g_assert_not_reached();
	}
}

static gboolean
on_files_settled(gpointer user_data)
{
	GbDaemon *self = user_data;
	g_autoptr(GError) error = NULL;

	self->reload_id = 0;
	if (!gb_daemon_reload(self, &error))
		g_warning("%s; keeping the previous settings", error->message);
	return G_SOURCE_REMOVE;
}

static void
on_file_changed(GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event,
                gpointer user_data)
{
	GbDaemon *self = user_data;
	g_autofree char *path = g_file_get_path(file);

	(void) monitor;
	(void) other;
	if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && event != G_FILE_MONITOR_EVENT_DELETED)
		return;
	g_info("'%s' changed on disk: reloading", path);
	g_clear_handle_id(&self->reload_id, g_source_remove);
	self->reload_id = g_timeout_add(RELOAD_DELAY_MS, on_files_settled, self);
	g_source_set_name_by_id(self->reload_id, "[glutebreak] config reload");
}

static void
watch_files(GbDaemon *self)
{
	g_autofree char *config = self->config_path != NULL
	        ? g_strdup(self->config_path)
	        : g_build_filename(g_get_user_config_dir(), "glutebreak", "config.ini", NULL);
	g_autofree char *catalogue = user_catalogue_path();
	const char *paths[] = { config, catalogue, self->settings->path };
	g_autofree char *user_dir = g_build_filename(g_get_user_config_dir(), "glutebreak", NULL);

	/* GLib re-checks a watched file whose directory is missing every 4 s;
	 * with the directory in place inotify does the work and we sleep. */
	if (g_mkdir_with_parents(user_dir, 0700) != 0)
		g_debug("cannot create '%s': %s", user_dir, g_strerror(errno));
	g_ptr_array_set_size(self->monitors, 0);
	for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GFile) file = NULL;
		g_autoptr(GError) error = NULL;
		GFileMonitor *monitor;

		if (paths[i] == NULL || (i == 2 && g_str_equal(paths[i], config)))
			continue;
		file = g_file_new_for_path(paths[i]);
		monitor = g_file_monitor_file(file, G_FILE_MONITOR_NONE, NULL, &error);
		if (monitor == NULL) {
			g_warning("cannot watch '%s' for changes: %s", paths[i], error->message);
			continue;
		}
		g_signal_connect(monitor, "changed", G_CALLBACK(on_file_changed), self);
		g_ptr_array_add(self->monitors, monitor);
	}
}

gboolean
gb_daemon_reload(GbDaemon *self, GError **error)
{
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;
	gint64 now;

	if (!load_config(self->config_path, &settings, &catalogue, error))
		return FALSE;
	gb_catalogue_keep_rotation(catalogue, self->catalogue);
	g_clear_pointer(&self->settings, gb_settings_free);
	g_clear_pointer(&self->catalogue, gb_catalogue_free);
	self->settings = g_steal_pointer(&settings);
	self->catalogue = g_steal_pointer(&catalogue);
	now = gb_clock_now_us();
	check_suspend(self, now, FALSE);
	/* a new backend is started afresh; a new break-length keeps the source running */
	gb_idle_source_reconfigure(self->idle, self->settings->idle_backend,
	                           self->settings->timings.break_us);
	apply(self, gb_core_set_timings(self->core, &self->settings->timings, now));
	watch_files(self);
	g_message("settings reloaded from %s",
	          self->settings->path != NULL ? self->settings->path : "built-in defaults");
	return TRUE;
}

GbDaemon *
gb_daemon_new(const char *config_path, GError **error)
{
	g_autoptr(GbDaemon) self = g_new0(GbDaemon, 1);
	g_autoptr(GDBusConnection) bus = NULL;
	g_autofree char *sit = NULL;
	g_autofree char *brk = NULL;
	gint64 now;

	self->timer_fd = -1;
	self->config_path = g_strdup(config_path);
	self->monitors = g_ptr_array_new_with_free_func(g_object_unref);
	self->state_path = gb_state_default_path();
	if (!load_config(config_path, &self->settings, &self->catalogue, error))
		return NULL;
	/* notifications need the session bus: fail now with a clear message */
	bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, error);
	if (bus == NULL) {
		g_prefix_error(error, "no session bus: ");
		return NULL;
	}
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
	self->notify = gb_notify_new(bus, on_answer, self);
	self->session = gb_session_new(bus, on_session_event, self);
	/* decides from the main loop: until it reports, no source reports input */
	self->idle = gb_idle_source_new(self->settings->idle_backend,
	                                self->settings->timings.break_us,
	                                gb_session_get_logind(self->session), on_idle_event, self);

	now = gb_clock_now_us();
	self->suspend_offset = gb_clock_suspend_offset_us();
	self->last_wake = now;
	self->core = gb_core_new(&self->settings->timings, FALSE, now);
	/* before the message that says we are running: a change from then on is seen */
	watch_files(self);
	sit = gb_duration_format(self->settings->timings.sit_us);
	brk = gb_duration_format(self->settings->timings.break_us);
	g_message("settings from %s; sit-limit %s, break-length %s",
	          self->settings->path != NULL ? self->settings->path : "built-in defaults", sit,
	          brk);
	restore_state(self, now);
	apply(self, GB_ACTION_NONE);
	return g_steal_pointer(&self);
}

void
gb_daemon_free(GbDaemon *daemon)
{
	if (daemon == NULL)
		return;
	if (daemon->core != NULL)
		save_state(daemon, gb_clock_now_us());
	g_clear_pointer(&daemon->notify, gb_notify_free);
	/* before the session: it holds the session's logind */
	g_clear_pointer(&daemon->idle, gb_idle_source_free);
	g_clear_pointer(&daemon->session, gb_session_free);
	g_clear_pointer(&daemon->monitors, g_ptr_array_unref);
	g_clear_handle_id(&daemon->reload_id, g_source_remove);
	g_clear_handle_id(&daemon->timer_id, g_source_remove);
	if (daemon->timer_fd >= 0)
		close(daemon->timer_fd);
	g_clear_pointer(&daemon->core, gb_core_free);
	g_clear_pointer(&daemon->rand, g_rand_free);
	g_clear_pointer(&daemon->settings, gb_settings_free);
	g_clear_pointer(&daemon->catalogue, gb_catalogue_free);
	g_free(daemon->config_path);
	g_free(daemon->state_path);
	g_free(daemon);
}

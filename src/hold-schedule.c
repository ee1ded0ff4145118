/* SPDX-License-Identifier: MIT */
/* The [schedule] hold: on while the local time is outside [schedule] active.
 *
 * For the docs: the schedule works the same on every desktop, it reads only the clock. It
 * follows the local wall time across daylight-saving changes (a range that starts in the
 * hour skipped in spring starts when that hour is over; in the hour repeated in autumn a
 * boundary is the second, standard-time one), across suspend (the boundaries passed while
 * asleep count on resume) and when the clock is set (NTP stepping it, or by hand). It wakes
 * only at the schedule's boundaries and when the clock is set, never polls. It misses a
 * change of the system time zone while glutebreak runs (timedatectl set-timezone): GLib
 * keeps the zone it read at start until $TZ changes, so restart glutebreak after moving to
 * another zone.
 *
 * How: a CLOCK_REALTIME timerfd armed, TFD_TIMER_ABSTIME, at the next change the schedule
 * names; TFD_TIMER_CANCEL_ON_SET makes it fire (read() fails with ECANCELED) when the wall
 * clock is set, and on resume (Linux >= 5.14); either way the state is computed afresh from
 * the clock and the timer armed again. The clock-set path is not tested (setting the clock
 * needs CAP_SYS_TIME and would disturb the whole machine): it is the same code path as an
 * expiry, told apart only by the errno read() returns. */
#include <errno.h>
#include <sys/timerfd.h>
#include <glib-unix.h>

#include "hold-schedule.h"

/* the largest time_t, the "never" of timerfd_settime() */
#define TIME_T_MAX ((time_t) (G_MAXUINT64 >> (65 - 8 * sizeof(time_t))))

struct _GbHoldSchedule {
	GbHold *hold;
	GbSchedule *schedule;
	GDateTime *first_now; /* tests: the first evaluation's time; NULL: the clock */
	int fd;               /* the CLOCK_REALTIME timerfd; -1: none (always, or it failed) */
	guint fd_id;
	guint idle_id;
};

static void
arm(GbHoldSchedule *self, gint64 unix_us)
{
	struct itimerspec spec = { .it_value.tv_sec = TIME_T_MAX };

	if (unix_us != G_MAXINT64) {
		unix_us = MAX(unix_us, 1); /* all zero would disarm */
		spec.it_value.tv_sec = (time_t) (unix_us / G_USEC_PER_SEC);
		spec.it_value.tv_nsec = unix_us % G_USEC_PER_SEC * 1000;
	}
	/* A clock set between the read of the clock in evaluate() and here goes unnoticed
	 * until this boundary: a window of microseconds. */
	if (timerfd_settime(self->fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) != 0)
		g_warning("cannot arm the schedule timer: %s", g_strerror(errno));
}

static void
evaluate(GbHoldSchedule *self, GDateTime *now)
{
	g_autoptr(GDateTime) clock_now = NULL;
	gint64 next;
	gboolean active;

	if (now == NULL) {
		/* GLib caches the local zone (until $TZ changes); asking for it on every
		 * evaluation picks up whatever it reloads, at the latest at the next boundary.
		 * A zone change without a clock change wakes nothing by itself. */
		g_autoptr(GTimeZone) tz = g_time_zone_new_local();

		now = clock_now = g_date_time_new_now(tz);
	}
	active = gb_schedule_active_at(self->schedule, now, &next);
	if (next != G_MAXINT64) {
		g_autoptr(GDateTime) when = g_date_time_new_from_unix_local(next / G_USEC_PER_SEC);
		g_autofree char *text = when != NULL ? g_date_time_format_iso8601(when) : NULL;

		g_debug("schedule: %s until %s", active ? "inside" : "outside", text);
	}
	gb_hold_set(self->hold, GB_HOLD_SCHEDULE, !active, NULL);
	if (self->fd >= 0)
		arm(self, next);
}

static gboolean
on_timer(int fd, GIOCondition condition, gpointer user_data)
{
	guint64 expirations;

	(void) condition;
	/* ECANCELED: the wall clock was set, or the machine resumed */
	if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != ECANCELED &&
	    errno != EAGAIN)
		g_warning("cannot read the schedule timer: %s", g_strerror(errno));
	evaluate(user_data, NULL);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_start(gpointer user_data)
{
	GbHoldSchedule *self = user_data;

	self->idle_id = 0;
	evaluate(self, self->first_now);
	g_clear_pointer(&self->first_now, g_date_time_unref);
	return G_SOURCE_REMOVE;
}

GbHoldSchedule *
gb_hold_schedule_new_at(GbHold *hold, const GbSchedule *schedule, GDateTime *first_now)
{
	GbHoldSchedule *self = g_new0(GbHoldSchedule, 1);

	self->hold = hold;
	self->fd = -1;
	if (gb_schedule_is_always(schedule))
		return self;
	self->schedule = gb_schedule_copy(schedule);
	self->first_now = first_now != NULL ? g_date_time_ref(first_now) : NULL;
	self->fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	if (self->fd < 0) {
		/* the hold is then right at start and stays so until a restart */
		g_warning("cannot create the schedule timer: %s", g_strerror(errno));
	} else {
		self->fd_id = g_unix_fd_add(self->fd, G_IO_IN, on_timer, self);
		g_source_set_name_by_id(self->fd_id, "[glutebreak] schedule");
	}
	self->idle_id = g_idle_add(on_start, self);
	g_source_set_name_by_id(self->idle_id, "[glutebreak] schedule start");
	return self;
}

GbHoldSchedule *
gb_hold_schedule_new(GbHold *hold, const GbSchedule *schedule)
{
	return gb_hold_schedule_new_at(hold, schedule, NULL);
}

void
gb_hold_schedule_free(GbHoldSchedule *sensor)
{
	if (sensor == NULL)
		return;
	g_clear_handle_id(&sensor->idle_id, g_source_remove);
	g_clear_handle_id(&sensor->fd_id, g_source_remove);
	if (sensor->fd >= 0)
		close(sensor->fd);
	g_clear_pointer(&sensor->first_now, g_date_time_unref);
	gb_schedule_free(sensor->schedule);
	g_free(sensor);
}

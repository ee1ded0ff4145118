/* SPDX-License-Identifier: MIT */
/* X11 idle backend (reference/idle-apis.md §2.4, §5.2 item 3): two SYNC alarms on the IDLETIME
 * system counter, a positive and a negative transition at the same threshold, give one IDLE and
 * one ACTIVE per idle period without polling. Only if SYNC or IDLETIME is missing does it poll
 * MIT-SCREEN-SAVER. Never used under Wayland: XWayland's idle time only sees X11 clients. */
#include <X11/Xlib.h>
#include <X11/extensions/scrnsaver.h>
#include <X11/extensions/sync.h>
#include <glib-unix.h>

#include "clock.h"
#include "errors.h"
#include "idle.h"

/* polling fallback: how often to look for input once idle (or while watching for it); at most
 * half the threshold, so one poll never finds both the input and a whole idle period after it */
#define POLL_ACTIVITY_MS 1000
/* polling fallback: two samples disagree by this much about the last input without any input */
#define POLL_SLACK_US (20 * 1000)

typedef struct {
	GbIdleMonitor base;
	gint64 threshold_us;
	char *display_name;
	Display *dpy;
	/* Set by on_io_error_exit() once Xlib saw the connection break. From then on no Xlib
	 * call touches dpy except XCloseDisplay() in stop(). */
	gboolean dead;
	gboolean lost;          /* GB_IDLE_LOST has been queued */
	guint fd_id;

	/* SYNC; counter is None when polling */
	XSyncCounter counter;
	int sync_event_base;
	gint64 threshold_ms;
	XSyncAlarm idle_alarm;   /* PositiveTransition at threshold_ms: IDLE */
	XSyncAlarm active_alarm; /* NegativeTransition at threshold_ms: ACTIVE after IDLE */
	XSyncAlarm watch_alarm;  /* one-shot NegativeComparison for watch_activity(), or None */
	gboolean watch_raced;    /* input came while watch_alarm was being armed */

	/* MIT-SCREEN-SAVER polling */
	XScreenSaverInfo *info;
	guint poll_id;
	gboolean idle;           /* IDLE reported, ACTIVE not yet */
	gboolean watching;       /* watch_activity() pending */
	gint64 last_input_us;    /* monotonic, from the last sample; -1 before the first */
} X11Monitor;

/* Called from inside whichever Xlib function found the connection broken. Returning (instead of
 * Xlib's default exit()) makes that function fail; the main loop reports LOST afterwards. */
static void
on_io_error_exit(Display *dpy, void *user_data)
{
	X11Monitor *self = user_data;

	(void) dpy;
	self->dead = TRUE;
}

/* Process-wide (Xlib has only one): libX11 1.8's default prints and calls exit() before any
 * per-display exit handler runs. Displays without an XSetIOErrorExitHandler still exit. */
static int
on_io_error(Display *dpy)
{
	g_debug("X connection broken: '%s'", DisplayString(dpy));
	return 0;
}

static gint64
value_to_ms(XSyncValue value)
{
	guint64 high = (guint32) XSyncValueHigh32(value);

	return (gint64) (high << 32 | XSyncValueLow32(value));
}

static XSyncAlarm
create_alarm(X11Monitor *self, XSyncTestType test, gint64 value_ms)
{
	XSyncAlarmAttributes attr = { 0 };

	attr.trigger.counter = self->counter;
	attr.trigger.value_type = XSyncAbsolute;
	XSyncIntsToValue(&attr.trigger.wait_value, (unsigned int) (value_ms & 0xffffffff),
	                 (int) (value_ms >> 32));
	attr.trigger.test_type = test;
	XSyncIntToValue(&attr.delta, 0);
	attr.events = True;
	return XSyncCreateAlarm(self->dpy,
	                        XSyncCACounter | XSyncCAValueType | XSyncCAValue | XSyncCATestType |
	                                XSyncCADelta | XSyncCAEvents,
	                        &attr);
}

static void
destroy_alarm(X11Monitor *self, XSyncAlarm *alarm)
{
	/* its AlarmNotify (state Destroyed), and any it sent before, no longer match an id */
	if (*alarm != None && !self->dead)
		XSyncDestroyAlarm(self->dpy, *alarm);
	*alarm = None;
}

/* A round trip. FALSE if it failed; self->dead tells whether the connection broke. */
static gboolean
query_idle_ms(X11Monitor *self, gint64 *idle_ms)
{
	XSyncValue value;

	if (self->dead || !XSyncQueryCounter(self->dpy, self->counter, &value))
		return FALSE;
	*idle_ms = value_to_ms(value);
	return TRUE;
}

static void
handle_alarm(X11Monitor *self, const XSyncAlarmNotifyEvent *event)
{
	gint64 now = gb_clock_now_us();

	if (event->state == XSyncAlarmDestroyed || event->alarm == None)
		return;
	if (event->alarm == self->idle_alarm) {
		gint64 idle_ms = value_to_ms(event->counter_value);

		g_debug("IDLETIME alarm: idle for '%" G_GINT64_FORMAT " ms'", idle_ms);
		/* from now on active_alarm reports the next input */
		destroy_alarm(self, &self->watch_alarm);
		gb_idle_queue(&self->base, GB_IDLE_IDLE, now - idle_ms * 1000);
	} else if (event->alarm == self->active_alarm || event->alarm == self->watch_alarm) {
		g_debug("IDLETIME alarm: input ('%s')",
		        event->alarm == self->watch_alarm ? "watch" : "end of idle");
		destroy_alarm(self, &self->watch_alarm);
		gb_idle_queue(&self->base, GB_IDLE_ACTIVE, now);
	} else {
		g_debug("ignoring stale alarm: '0x%lx'", (unsigned long) event->alarm);
	}
}

/* Also needed in polling mode: every client gets MappingNotify, which must be read. */
static void
drain_events(X11Monitor *self)
{
	/* XPending() returns 0 once the connection broke: XNextEvent() never blocks or runs dry */
	while (!self->dead && XPending(self->dpy) > 0) {
		XEvent event;

		XNextEvent(self->dpy, &event);
		if (self->counter != None && event.type == self->sync_event_base + XSyncAlarmNotify)
			handle_alarm(self, (XSyncAlarmNotifyEvent *) &event);
		else
			g_debug("ignoring X event: '%d'", event.type);
	}
	if (self->watch_raced) {
		/* The second query in watch_by_alarm() saw input that the new alarm may have
		 * missed. Had it fired, its event came before that reply and was handled above. */
		self->watch_raced = FALSE;
		if (self->watch_alarm != None) {
			g_debug("input while arming the watch alarm");
			destroy_alarm(self, &self->watch_alarm);
			gb_idle_queue(&self->base, GB_IDLE_ACTIVE, gb_clock_now_us());
		}
	}
	if (!self->dead)
		XFlush(self->dpy);
}

/* Reads what the server sent and queues its reports, and GB_IDLE_LOST once the connection broke.
 * Every main loop callback ends here and with gb_idle_emit(); watch_activity() and start() call
 * it too, for what their round trips left in Xlib's queue without the fd becoming readable. */
static void
process(X11Monitor *self, gboolean hangup)
{
	if (!self->dead)
		drain_events(self);
	if (hangup && !self->dead) {
		/* Xlib did not notice, but a hung-up fd would wake us up forever */
		g_debug("X connection hung up: '%s'", self->display_name);
		self->dead = TRUE;
	}
	if (self->dead && !self->lost) {
		self->lost = TRUE;
		/* the daemon logs the one warning the user sees */
		g_debug("lost the connection to the X server: '%s'", self->display_name);
		g_clear_handle_id(&self->fd_id, g_source_remove);
		g_clear_handle_id(&self->poll_id, g_source_remove);
		gb_idle_queue(&self->base, GB_IDLE_LOST, gb_clock_now_us());
	}
}

static gboolean
on_x_fd(int fd, GIOCondition condition, gpointer user_data)
{
	X11Monitor *self = user_data;

	(void) fd;
	/* on loss process() removes this source itself */
	process(self, (condition & (G_IO_HUP | G_IO_ERR)) != 0);
	if (!gb_idle_emit(&self->base))
		return G_SOURCE_REMOVE;
	return G_SOURCE_CONTINUE;
}

/* MIT-SCREEN-SAVER polling ---------------------------------------------------------------- */

static gboolean on_poll(gpointer user_data);

static void
schedule_poll(X11Monitor *self, gint64 idle_us)
{
	gint64 next_ms = G_MAXINT;

	g_clear_handle_id(&self->poll_id, g_source_remove);
	if (self->idle || self->watching)
		next_ms = MIN(POLL_ACTIVITY_MS, self->threshold_us / 2000);
	if (!self->idle)        /* when the threshold could first be reached */
		next_ms = MIN(next_ms, (self->threshold_us - idle_us + 999) / 1000);
	next_ms = CLAMP(next_ms, 1, POLL_ACTIVITY_MS * 3600);
	self->poll_id = g_timeout_add((guint) next_ms, on_poll, self);
	g_source_set_name_by_id(self->poll_id, "[glutebreak] x11 idle poll");
}

/* A round trip. FALSE if it failed; self->dead tells whether the connection broke. */
static gboolean
sample_idle_us(X11Monitor *self, gint64 *idle_us)
{
	if (self->dead ||
	    !XScreenSaverQueryInfo(self->dpy, DefaultRootWindow(self->dpy), self->info))
		return FALSE;
	*idle_us = (gint64) self->info->idle * 1000;
	return TRUE;
}

static void
poll_once(X11Monitor *self)
{
	gint64 idle_us, last_input_us;
	gboolean input;

	if (!sample_idle_us(self, &idle_us)) {
		if (!self->dead) {
			g_warning("XScreenSaverQueryInfo failed: '%s'", self->display_name);
			schedule_poll(self, 0);
		}
		return;
	}
	/* the server's idle time follows CLOCK_MONOTONIC, so compare samples on that clock */
	last_input_us = g_get_monotonic_time() - idle_us;
	input = self->last_input_us >= 0 && last_input_us > self->last_input_us + POLL_SLACK_US;
	self->last_input_us = last_input_us;
	if (input && (self->idle || self->watching)) {
		g_debug("polled: input '%" G_GINT64_FORMAT " ms' ago", idle_us / 1000);
		self->idle = FALSE;
		self->watching = FALSE;
		gb_idle_queue(&self->base, GB_IDLE_ACTIVE, gb_clock_now_us() - idle_us);
	}
	if (!self->idle && idle_us >= self->threshold_us) {
		g_debug("polled: idle for '%" G_GINT64_FORMAT " ms'", idle_us / 1000);
		self->idle = TRUE;
		self->watching = FALSE;
		gb_idle_queue(&self->base, GB_IDLE_IDLE, gb_clock_now_us() - idle_us);
	}
	schedule_poll(self, idle_us);
}

static gboolean
on_poll(gpointer user_data)
{
	X11Monitor *self = user_data;

	self->poll_id = 0;
	poll_once(self);
	process(self, FALSE);
	gb_idle_emit(&self->base);
	return G_SOURCE_REMOVE;
}

static void
watch_by_polling(X11Monitor *self)
{
	gint64 idle_us;

	if (self->idle)         /* the next poll reports ACTIVE anyway */
		return;
	/* A fresh baseline: input before this call (the click that led to it) does not count. */
	if (!sample_idle_us(self, &idle_us))
		return;
	self->last_input_us = g_get_monotonic_time() - idle_us;
	self->watching = TRUE;
	schedule_poll(self, idle_us);
}

static gboolean
setup_polling(X11Monitor *self, const char *reason, GError **error)
{
	int event_base, error_base;

	if (!XScreenSaverQueryExtension(self->dpy, &event_base, &error_base)) {
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "%s and no MIT-SCREEN-SAVER extension: '%s'", reason,
		            self->display_name);
		return FALSE;
	}
	self->info = XScreenSaverAllocInfo();
	self->last_input_us = -1;
	g_message("polling MIT-SCREEN-SAVER for idle time (%s): '%s'", reason, self->display_name);
	poll_once(self);
	return TRUE;
}

/* SYNC alarms ------------------------------------------------------------------------------ */

static void
watch_by_alarm(X11Monitor *self)
{
	gint64 before_ms, after_ms;

	if (self->watch_alarm != None)
		return;         /* armed, and no input since or it would have fired */
	if (!query_idle_ms(self, &before_ms))
		return;
	if (before_ms >= self->threshold_ms)
		return;         /* active_alarm fires on the next input */
	/* KIdleTime's trick: a comparison (counter <= idle - 1) is checked as soon as it is armed,
	 * and only input brings the counter below its current value. delta 0 makes it one-shot. */
	self->watch_alarm = create_alarm(self, XSyncNegativeComparison, MAX(before_ms - 1, 0));
	/* The server may compare against the counter value of our query if it has not looked at
	 * the input yet: look again, and let drain_events() report what the alarm did not. */
	if (query_idle_ms(self, &after_ms) && after_ms < before_ms)
		self->watch_raced = TRUE;
}

/* FALSE with *reason set if the server lacks SYNC or IDLETIME; FALSE with self->dead set if the
 * connection broke. */
static gboolean
setup_sync(X11Monitor *self, const char **reason)
{
	XSyncSystemCounter *counters;
	int error_base, major, minor, n_counters = 0;
	gint64 idle_ms;

	if (!XSyncQueryExtension(self->dpy, &self->sync_event_base, &error_base) ||
	    !XSyncInitialize(self->dpy, &major, &minor)) {
		*reason = "no SYNC extension";
		return FALSE;
	}
	counters = XSyncListSystemCounters(self->dpy, &n_counters);
	for (int i = 0; i < n_counters; i++) {
		/* not "DEVICEIDLETIME n": one device only */
		if (g_str_equal(counters[i].name, "IDLETIME"))
			self->counter = counters[i].counter;
	}
	if (counters != NULL)
		XSyncFreeSystemCounterList(counters);
	if (self->counter == None) {
		*reason = "no IDLETIME counter";
		return FALSE;
	}
	self->threshold_ms = (self->threshold_us + 999) / 1000;
	self->idle_alarm = create_alarm(self, XSyncPositiveTransition, self->threshold_ms);
	self->active_alarm = create_alarm(self, XSyncNegativeTransition, self->threshold_ms);
	/* a transition alarm does not fire for a value it finds already past: look ourselves.
	 * The round trip also makes sure both alarms exist before we do. */
	if (!query_idle_ms(self, &idle_ms)) {
		*reason = "XSyncQueryCounter failed";
		return FALSE;
	}
	if (idle_ms >= self->threshold_ms)
		gb_idle_queue(&self->base, GB_IDLE_IDLE, gb_clock_now_us() - idle_ms * 1000);
	g_debug("SYNC %d.%d IDLETIME alarms at '%" G_GINT64_FORMAT " ms'", major, minor,
	        self->threshold_ms);
	return TRUE;
}

/* GbIdleBackend ---------------------------------------------------------------------------- */

static void
stop(GbIdleMonitor *monitor)
{
	X11Monitor *self = (X11Monitor *) monitor;

	g_clear_handle_id(&self->fd_id, g_source_remove);
	g_clear_handle_id(&self->poll_id, g_source_remove);
	destroy_alarm(self, &self->idle_alarm);
	destroy_alarm(self, &self->active_alarm);
	destroy_alarm(self, &self->watch_alarm);
	g_clear_pointer(&self->info, XFree);
	/* Also after the connection broke: libX11 (checked in 1.8.4) makes every flush and reply
	 * wait return at once on a display marked with an I/O error, so this only frees the
	 * Display and closes the fd. on_io_error_exit() still points at self meanwhile. */
	XCloseDisplay(self->dpy);
	self->dpy = NULL;
	g_clear_pointer(&self->display_name, g_free);
	gb_idle_monitor_stop(monitor);
}

static void
watch_activity(GbIdleMonitor *monitor)
{
	X11Monitor *self = (X11Monitor *) monitor;

	if (self->dead)
		return;
	if (self->counter != None)
		watch_by_alarm(self);
	else
		watch_by_polling(self);
	process(self, FALSE);   /* also flushes the alarm */
}

static GbIdleMonitor *
start(gint64 threshold_us, GbIdleFunc func, gpointer user_data, GError **error)
{
	const char *wayland = g_getenv("WAYLAND_DISPLAY");
	const char *name = g_getenv("DISPLAY");
	const char *reason = NULL;
	X11Monitor *self;
	Display *dpy;

	g_return_val_if_fail(threshold_us > 0, NULL);
	g_return_val_if_fail(func != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (wayland != NULL && *wayland != '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		                    "WAYLAND_DISPLAY is set: "
		                    "X11 idle time would only see XWayland windows");
		return NULL;
	}
	if (name == NULL || *name == '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		                    "DISPLAY is not set");
		return NULL;
	}
	XSetIOErrorHandler(on_io_error);
	dpy = XOpenDisplay(name);
	if (dpy == NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "cannot open X display: '%s'", name);
		return NULL;
	}

	self = g_new0(X11Monitor, 1);
	gb_idle_monitor_init(&self->base, &gb_idle_x11, func, user_data);
	self->threshold_us = threshold_us;
	self->display_name = g_strdup(name);
	self->dpy = dpy;
	XSetIOErrorExitHandler(dpy, on_io_error_exit, self);

	if (!setup_sync(self, &reason) && !self->dead &&
	    !setup_polling(self, reason, error)) {
		stop(&self->base);
		return NULL;
	}
	if (self->dead) {
		g_clear_error(error);
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "lost the connection to the X server: '%s'", name);
		stop(&self->base);
		return NULL;
	}
	self->fd_id = g_unix_fd_add(ConnectionNumber(dpy), G_IO_IN | G_IO_HUP | G_IO_ERR, on_x_fd,
	                            self);
	g_source_set_name_by_id(self->fd_id, "[glutebreak] x11 connection");
	/* an IDLE found by setup is queued already */
	process(self, FALSE);
	return &self->base;
}

const GbIdleBackend gb_idle_x11 = {
	.name = "x11",
	.start = start,
	.watch_activity = watch_activity,
	.stop = stop,
};

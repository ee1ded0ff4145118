/* SPDX-License-Identifier: MIT */
/* X11 idle backend (reference/idle-apis.md §2.4, §5.2 item 3), spoken through xcb: two SYNC
 * alarms on the IDLETIME system counter, a positive and a negative transition at the same
 * threshold, give one IDLE and one ACTIVE per idle period without polling. Only if SYNC or
 * IDLETIME is missing does it poll MIT-SCREEN-SAVER. Never used under Wayland: XWayland's idle
 * time only sees X11 clients. Through xcb, not Xlib: the same requests for a fraction of the
 * memory (docs/PERFORMANCE.md), and a broken connection is a state to check, not a process-wide
 * handler. */
#include <string.h>

#include <xcb/screensaver.h>
#include <xcb/sync.h>
#include <xcb/xcb.h>
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
	/* Once it broke (xcb_connection_has_error()), every request on it is a no-op and every
	 * reply NULL; only xcb_disconnect() in stop() frees it. */
	xcb_connection_t *conn;
	gboolean hung_up;       /* the fd hung up although xcb saw no error */
	gboolean lost;          /* GB_IDLE_LOST has been queued */
	guint fd_id;

	/* SYNC; counter is XCB_NONE when polling */
	xcb_sync_counter_t counter;
	guint8 sync_event_base;
	gint64 threshold_ms;
	xcb_sync_alarm_t idle_alarm;   /* PositiveTransition at threshold_ms: IDLE */
	xcb_sync_alarm_t active_alarm; /* NegativeTransition at threshold_ms: ACTIVE after IDLE */
	xcb_sync_alarm_t watch_alarm;  /* one-shot NegativeComparison for watch_activity(), or
	                                * XCB_NONE */
	gboolean watch_raced;          /* input came while watch_alarm was being armed */

	/* MIT-SCREEN-SAVER polling */
	xcb_window_t root;
	guint poll_id;
	gboolean idle;           /* IDLE reported, ACTIVE not yet */
	gboolean watching;       /* watch_activity() pending */
	gint64 last_input_us;    /* monotonic, from the last sample; -1 before the first */
} X11Monitor;

static gboolean
is_broken(X11Monitor *self)
{
	return self->hung_up || xcb_connection_has_error(self->conn) != 0;
}

static gint64
value_to_ms(xcb_sync_int64_t value)
{
	guint64 high = (guint32) value.hi;

	return (gint64) (high << 32 | value.lo);
}

static xcb_sync_alarm_t
create_alarm(X11Monitor *self, xcb_sync_testtype_t test, gint64 value_ms)
{
	xcb_sync_create_alarm_value_list_t attr = {
		.counter = self->counter,
		.valueType = XCB_SYNC_VALUETYPE_ABSOLUTE,
		.value = { .hi = (gint32) (value_ms >> 32), .lo = (guint32) (value_ms & 0xffffffff) },
		.testType = test,
		.delta = { 0, 0 },
		.events = 1,
	};
	xcb_sync_alarm_t alarm = xcb_generate_id(self->conn);

	xcb_sync_create_alarm_aux(self->conn, alarm,
	                          XCB_SYNC_CA_COUNTER | XCB_SYNC_CA_VALUE_TYPE | XCB_SYNC_CA_VALUE |
	                                  XCB_SYNC_CA_TEST_TYPE | XCB_SYNC_CA_DELTA |
	                                  XCB_SYNC_CA_EVENTS,
	                          &attr);
	return alarm;
}

static void
destroy_alarm(X11Monitor *self, xcb_sync_alarm_t *alarm)
{
	/* its AlarmNotify (state Destroyed), and any it sent before, no longer match an id */
	if (*alarm != XCB_NONE)
		xcb_sync_destroy_alarm(self->conn, *alarm);
	*alarm = XCB_NONE;
}

/* A round trip. FALSE if it failed; is_broken() tells whether the connection broke. */
static gboolean
query_idle_ms(X11Monitor *self, gint64 *idle_ms)
{
	g_autofree xcb_sync_query_counter_reply_t *reply = xcb_sync_query_counter_reply(
		self->conn, xcb_sync_query_counter(self->conn, self->counter), NULL);

	if (reply == NULL)
		return FALSE;
	*idle_ms = value_to_ms(reply->counter_value);
	return TRUE;
}

static void
handle_alarm(X11Monitor *self, const xcb_sync_alarm_notify_event_t *event)
{
	gint64 now = gb_clock_now_us();

	if (event->state == XCB_SYNC_ALARMSTATE_DESTROYED || event->alarm == XCB_NONE)
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
	xcb_generic_event_t *next;

	/* NULL once xcb's queue and the socket ran dry, and at once when the connection broke */
	while ((next = xcb_poll_for_event(self->conn)) != NULL) {
		g_autofree xcb_generic_event_t *event = next;
		guint8 type = event->response_type & 0x7f;      /* without the SendEvent bit */

		if (type == 0) {
			/* nothing should fail: Xlib would have exit()ed */
			const xcb_generic_error_t *x_error = (const xcb_generic_error_t *) event;

			g_warning("X request failed: 'error %u, request %u.%u'",
			          x_error->error_code, x_error->major_code, x_error->minor_code);
		} else if (self->counter != XCB_NONE &&
		           type == self->sync_event_base + XCB_SYNC_ALARM_NOTIFY) {
			handle_alarm(self, (const xcb_sync_alarm_notify_event_t *) event);
		} else {
			g_debug("ignoring X event: '%u'", type);
		}
	}
	if (self->watch_raced) {
		/* The second query in watch_by_alarm() saw input that the new alarm may have
		 * missed. Had it fired, its event came before that reply and was handled above. */
		self->watch_raced = FALSE;
		if (self->watch_alarm != XCB_NONE) {
			g_debug("input while arming the watch alarm");
			destroy_alarm(self, &self->watch_alarm);
			gb_idle_queue(&self->base, GB_IDLE_ACTIVE, gb_clock_now_us());
		}
	}
	xcb_flush(self->conn);
}

/* Reads what the server sent and queues its reports, and GB_IDLE_LOST once the connection broke.
 * Every main loop callback ends here and with gb_idle_emit(); watch_activity() and start() call
 * it too, for what their round trips left in xcb's queue without the fd becoming readable. */
static void
process(X11Monitor *self, gboolean hangup)
{
	drain_events(self);
	if (hangup && !is_broken(self)) {
		/* xcb did not notice, but a hung-up fd would wake us up forever */
		g_debug("X connection hung up: '%s'", self->display_name);
		self->hung_up = TRUE;
	}
	if (is_broken(self) && !self->lost) {
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

/* A round trip. FALSE if it failed; is_broken() tells whether the connection broke. */
static gboolean
sample_idle_us(X11Monitor *self, gint64 *idle_us)
{
	g_autofree xcb_screensaver_query_info_reply_t *info = xcb_screensaver_query_info_reply(
		self->conn, xcb_screensaver_query_info(self->conn, self->root), NULL);

	if (info == NULL)
		return FALSE;
	*idle_us = (gint64) info->ms_since_user_input * 1000;
	return TRUE;
}

static void
poll_once(X11Monitor *self)
{
	gint64 idle_us, last_input_us;
	gboolean input;

	if (!sample_idle_us(self, &idle_us)) {
		if (!is_broken(self)) {
			g_warning("MIT-SCREEN-SAVER QueryInfo failed: '%s'", self->display_name);
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
	const xcb_query_extension_reply_t *ext =
		xcb_get_extension_data(self->conn, &xcb_screensaver_id);

	if (ext == NULL || !ext->present) {
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "%s and no MIT-SCREEN-SAVER extension: '%s'", reason,
		            self->display_name);
		return FALSE;
	}
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

	if (self->watch_alarm != XCB_NONE)
		return;         /* armed, and no input since or it would have fired */
	if (!query_idle_ms(self, &before_ms))
		return;
	if (before_ms >= self->threshold_ms)
		return;         /* active_alarm fires on the next input */
	/* KIdleTime's trick: a comparison (counter <= idle - 1) is checked as soon as it is armed,
	 * and only input brings the counter below its current value. delta 0 makes it one-shot. */
	self->watch_alarm = create_alarm(self, XCB_SYNC_TESTTYPE_NEGATIVE_COMPARISON,
	                                 MAX(before_ms - 1, 0));
	/* The server may compare against the counter value of our query if it has not looked at
	 * the input yet: look again, and let drain_events() report what the alarm did not. */
	if (query_idle_ms(self, &after_ms) && after_ms < before_ms)
		self->watch_raced = TRUE;
}

/* Reads the SYSTEMCOUNTER list itself: libxcb 1.15's accessors take each entry's head for the C
 * struct's 16 bytes where the protocol has 14 (counter, resolution, name length), so they put
 * every name 2 bytes late and, after a name of 1 or 2 modulo 4 characters ("DEVICEIDLETIME 10"),
 * the next entry in the wrong place. The names are not NUL-terminated. */
static xcb_sync_counter_t
find_idletime(X11Monitor *self)
{
	static const char idletime[] = "IDLETIME";
	enum { HEAD = 4 + 8 + 2 };
	g_autofree xcb_sync_list_system_counters_reply_t *list = xcb_sync_list_system_counters_reply(
		self->conn, xcb_sync_list_system_counters(self->conn), NULL);
	const guint8 *entry, *end;

	if (list == NULL)
		return XCB_NONE;
	entry = (const guint8 *) (list + 1);
	end = entry + (gsize) list->length * 4;
	for (guint32 i = 0; i < list->counters_len && end - entry >= HEAD; i++) {
		xcb_sync_counter_t counter;
		guint16 name_len;

		memcpy(&counter, entry, sizeof counter);
		memcpy(&name_len, entry + 12, sizeof name_len);
		if (end - entry - HEAD < name_len)
			break;
		/* not "DEVICEIDLETIME n": one device only */
		if (name_len == strlen(idletime) && memcmp(entry + HEAD, idletime, name_len) == 0)
			return counter;
		entry += (HEAD + name_len + 3) & ~3;
	}
	return XCB_NONE;
}

/* FALSE with *reason set if the server lacks SYNC or IDLETIME, or if the connection broke. */
static gboolean
setup_sync(X11Monitor *self, const char **reason)
{
	const xcb_query_extension_reply_t *ext = xcb_get_extension_data(self->conn, &xcb_sync_id);
	g_autofree xcb_sync_initialize_reply_t *version = NULL;
	gint64 idle_ms;

	if (ext != NULL && ext->present)
		version = xcb_sync_initialize_reply(
			self->conn,
			xcb_sync_initialize(self->conn, XCB_SYNC_MAJOR_VERSION,
			                    XCB_SYNC_MINOR_VERSION),
			NULL);
	if (version == NULL) {
		*reason = "no SYNC extension";
		return FALSE;
	}
	self->sync_event_base = ext->first_event;
	self->counter = find_idletime(self);
	if (self->counter == XCB_NONE) {
		*reason = "no IDLETIME counter";
		return FALSE;
	}
	self->threshold_ms = (self->threshold_us + 999) / 1000;
	self->idle_alarm = create_alarm(self, XCB_SYNC_TESTTYPE_POSITIVE_TRANSITION,
	                                self->threshold_ms);
	self->active_alarm = create_alarm(self, XCB_SYNC_TESTTYPE_NEGATIVE_TRANSITION,
	                                  self->threshold_ms);
	/* a transition alarm does not fire for a value it finds already past: look ourselves.
	 * The round trip also makes sure both alarms exist before we do. */
	if (!query_idle_ms(self, &idle_ms)) {
		*reason = "SYNC QueryCounter failed";
		destroy_alarm(self, &self->idle_alarm);
		destroy_alarm(self, &self->active_alarm);
		self->counter = XCB_NONE;       /* polling from now on */
		return FALSE;
	}
	if (idle_ms >= self->threshold_ms)
		gb_idle_queue(&self->base, GB_IDLE_IDLE, gb_clock_now_us() - idle_ms * 1000);
	g_debug("SYNC %u.%u IDLETIME alarms at '%" G_GINT64_FORMAT " ms'", version->major_version,
	        version->minor_version, self->threshold_ms);
	return TRUE;
}

/* GbIdleBackend ---------------------------------------------------------------------------- */

static void
stop(GbIdleMonitor *monitor)
{
	X11Monitor *self = (X11Monitor *) monitor;

	g_clear_handle_id(&self->fd_id, g_source_remove);
	g_clear_handle_id(&self->poll_id, g_source_remove);
	/* The server destroys our alarms with the connection. Also after the connection broke:
	 * then this only frees it. */
	g_clear_pointer(&self->conn, xcb_disconnect);
	g_clear_pointer(&self->display_name, g_free);
	gb_idle_monitor_stop(monitor);
}

static void
watch_activity(GbIdleMonitor *monitor)
{
	X11Monitor *self = (X11Monitor *) monitor;

	if (is_broken(self))
		return;
	if (self->counter != XCB_NONE)
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
	xcb_connection_t *conn;
	xcb_screen_iterator_t screens;
	X11Monitor *self;
	gboolean ok;
	int screen = 0;

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
	conn = xcb_connect(name, &screen);
	if (xcb_connection_has_error(conn) != 0) {
		xcb_disconnect(conn);
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "cannot open X display: '%s'", name);
		return NULL;
	}

	self = g_new0(X11Monitor, 1);
	gb_idle_monitor_init(&self->base, &gb_idle_x11, func, user_data);
	self->threshold_us = threshold_us;
	self->display_name = g_strdup(name);
	self->conn = conn;
	/* the default screen's root, as DefaultRootWindow(); xcb_connect() checked the number */
	screens = xcb_setup_roots_iterator(xcb_get_setup(conn));
	for (; screen > 0; screen--)
		xcb_screen_next(&screens);
	self->root = screens.data->root;

	ok = setup_sync(self, &reason) || (!is_broken(self) && setup_polling(self, reason, error));
	if (is_broken(self)) {
		g_clear_error(error);
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "lost the connection to the X server: '%s'", name);
		ok = FALSE;
	}
	if (!ok) {
		stop(&self->base);
		return NULL;
	}
	self->fd_id = g_unix_fd_add(xcb_get_file_descriptor(conn), G_IO_IN | G_IO_HUP | G_IO_ERR,
	                            on_x_fd, self);
	g_source_set_name_by_id(self->fd_id, "[glutebreak] x11 connection");
	/* an IDLE found by setup is queued already */
	process(self, FALSE);
	return &self->base;
}

const GbIdleBackend gb_idle_x11 = {
	.name = "x11",
	.dates_input = TRUE,
	.start = start,
	.watch_activity = watch_activity,
	.stop = stop,
};

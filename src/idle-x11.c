/* SPDX-License-Identifier: MIT */
/* X11 idle backend (reference/idle-apis.md §2.4, §5.2 item 3), spoken through xcb: two SYNC
 * alarms on the IDLETIME system counter, a positive and a negative transition at the same
 * threshold, give one IDLE and one ACTIVE per idle period without polling. Only if SYNC or
 * IDLETIME is missing does it poll MIT-SCREEN-SAVER. Never used under Wayland: XWayland's idle
 * time only sees X11 clients. Through xcb, not Xlib: the same requests for a fraction of the
 * memory (docs/PERFORMANCE.md), and a broken connection is a state to check, not a process-wide
 * handler.
 *
 * Never waiting on the X server (DESIGN.md rule 12): every request is sent, and its reply is
 * taken from the connection's fd callback with xcb_poll_for_reply(), never waited for; the
 * set-up (extensions, counters, the first look at the counter) is a chain of such replies that
 * ends in READY or BROKEN. xcb_connect() has no such form: it runs in a short-lived thread
 * (x11-connect.c), and a connection that comes after the monitor was stopped (idle.c gave up on
 * it) is closed there. */
#include <stdlib.h>
#include <string.h>

#include <xcb/screensaver.h>
#include <xcb/sync.h>
#include <xcb/xcb.h>
#include <xcb/xcbext.h>
#include <glib-unix.h>

#include "clock.h"
#include "errors.h"
#include "idle.h"
#include "idle-x11.h"

gboolean
gb_x11_is_broken(X11Monitor *self)
{
	return self->hung_up || xcb_connection_has_error(self->conn) != 0;
}

/* Queues GB_IDLE_BROKEN with @why, once, and stops listening. */
void
gb_x11_fail(X11Monitor *self, const char *why)
{
	if (self->lost)
		return;
	self->lost = TRUE;
	g_clear_handle_id(&self->fd_id, g_source_remove);
	g_clear_handle_id(&self->poll_id, g_source_remove);
	gb_idle_queue_broken(&self->base, why);
}

void
gb_x11_expect(X11Monitor *self, unsigned int sequence, ReplyFunc func)
{
	Pending pending = { .sequence = sequence, .func = func };

	g_array_append_val(self->pending, pending);
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

static void
query_counter(X11Monitor *self, ReplyFunc func)
{
	gb_x11_expect(self, xcb_sync_query_counter(self->conn, self->counter).sequence, func);
}

void
gb_x11_report_active(X11Monitor *self, gint64 time_us)
{
	self->idle = FALSE;
	self->watching = FALSE;
	gb_idle_queue(&self->base, GB_IDLE_ACTIVE, time_us);
}

void
gb_x11_report_idle(X11Monitor *self, gint64 since_us)
{
	self->idle = TRUE;
	self->watching = FALSE;
	gb_idle_queue(&self->base, GB_IDLE_IDLE, since_us);
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
		if (self->idle)
			return;         /* reported already, when the threshold changed */
		/* from now on active_alarm reports the next input */
		destroy_alarm(self, &self->watch_alarm);
		gb_x11_report_idle(self, now - idle_ms * 1000);
	} else if (event->alarm == self->active_alarm || event->alarm == self->watch_alarm) {
		gboolean watch = event->alarm == self->watch_alarm;

		g_debug("IDLETIME alarm: input ('%s')", watch ? "watch" : "end of idle");
		if (!watch && !self->idle)
			return;         /* the watch alarm reported it */
		destroy_alarm(self, &self->watch_alarm);
		gb_x11_report_active(self, now);
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
}

/* Hands the oldest reply to its function if it has come; FALSE if it has not. */
static gboolean
take_reply(X11Monitor *self)
{
	Pending pending;
	void *reply = NULL;
	xcb_generic_error_t *x_error = NULL;

	if (self->pending->len == 0)
		return FALSE;
	pending = g_array_index(self->pending, Pending, 0);
	/* reads what the socket has, without waiting; at once when the connection broke */
	if (!xcb_poll_for_reply(self->conn, pending.sequence, &reply, &x_error))
		return FALSE;
	g_array_remove_index(self->pending, 0);
	if (x_error != NULL)
		g_debug("X request failed: 'error %u, request %u.%u'", x_error->error_code,
		        x_error->major_code, x_error->minor_code);
	pending.func(self, reply);
	free(reply);
	free(x_error);
	return TRUE;
}

/* Reads what the server sent and queues its reports, and GB_IDLE_BROKEN once the connection
 * broke. Every main loop callback ends here and with gb_idle_emit(); watch_activity() and
 * set_threshold() call it too, for what their requests need sent. */
void
gb_x11_process(X11Monitor *self, gboolean hangup)
{
	/* events first: an alarm that fired before a reply is handled before it */
	do
		drain_events(self);
	while (take_reply(self));
	xcb_flush(self->conn);
	if (hangup && !gb_x11_is_broken(self)) {
		/* xcb did not notice, but a hung-up fd would wake us up forever */
		g_debug("X connection hung up: '%s'", self->display_name);
		self->hung_up = TRUE;
	}
	if (gb_x11_is_broken(self) && !self->lost) {
		g_autofree char *why = g_strdup_printf("lost the connection to the X server: '%s'",
		                                       self->display_name);

		gb_x11_fail(self, why);
	}
}

static gboolean
on_x_fd(int fd, GIOCondition condition, gpointer user_data)
{
	X11Monitor *self = user_data;

	(void) fd;
	/* on loss gb_x11_fail() removes this source itself */
	gb_x11_process(self, (condition & (G_IO_HUP | G_IO_ERR)) != 0);
	gb_idle_emit(&self->base);
	return G_SOURCE_CONTINUE;
}

void
gb_x11_set_ready(X11Monitor *self)
{
	self->ready = TRUE;
	gb_idle_queue(&self->base, GB_IDLE_READY, gb_clock_now_us());
}

/* SYNC alarms ------------------------------------------------------------------------------ */

static void
on_watch_after(X11Monitor *self, void *reply)
{
	xcb_sync_query_counter_reply_t *counter = reply;

	self->arming_watch = FALSE;
	/* The server may have compared against a counter value from before our query, missing
	 * input that came in between: report what the alarm did not. Had it fired, its event came
	 * before this reply and was handled first (gb_x11_process()). */
	if (counter == NULL || value_to_ms(counter->counter_value) >= self->watch_before_ms ||
	    self->watch_alarm == XCB_NONE)
		return;
	g_debug("input while arming the watch alarm");
	destroy_alarm(self, &self->watch_alarm);
	gb_x11_report_active(self, gb_clock_now_us());
}

static void
on_watch_before(X11Monitor *self, void *reply)
{
	xcb_sync_query_counter_reply_t *counter = reply;
	gint64 before_ms;

	if (counter == NULL) {
		self->arming_watch = FALSE;
		return;
	}
	before_ms = value_to_ms(counter->counter_value);
	if (before_ms >= self->threshold_ms || self->watch_alarm != XCB_NONE) {
		self->arming_watch = FALSE;
		return;         /* active_alarm fires on the next input */
	}
	/* KIdleTime's trick: a comparison (counter <= idle - 1) is checked as soon as it is armed,
	 * and only input brings the counter below its current value. delta 0 makes it one-shot. */
	self->watch_alarm = create_alarm(self, XCB_SYNC_TESTTYPE_NEGATIVE_COMPARISON,
	                                 MAX(before_ms - 1, 0));
	self->watch_before_ms = before_ms;
	query_counter(self, on_watch_after);
}

static void
watch_by_alarm(X11Monitor *self)
{
	if (self->watch_alarm != XCB_NONE || self->arming_watch)
		return;         /* armed, and no input since or it would have fired */
	self->arming_watch = TRUE;
	query_counter(self, on_watch_before);
}

/* The counter after the threshold alarms were (re)created: a transition alarm does not fire
 * for a value it finds already past, so look ourselves. */
static void
on_threshold_counter(X11Monitor *self, void *reply)
{
	xcb_sync_query_counter_reply_t *counter = reply;
	gint64 idle_ms;

	if (counter == NULL)
		return;
	idle_ms = value_to_ms(counter->counter_value);
	if (!self->idle && idle_ms >= self->threshold_ms) {
		gb_x11_report_idle(self, gb_clock_now_us() - idle_ms * 1000);
	} else if (self->idle && idle_ms < self->threshold_ms && !self->arming_watch) {
		/* idle, but under the new threshold: the new active alarm would miss the next
		 * input */
		self->arming_watch = TRUE;
		on_watch_before(self, reply);
	}
}

static void
arm_threshold_alarms(X11Monitor *self)
{
	destroy_alarm(self, &self->idle_alarm);
	destroy_alarm(self, &self->active_alarm);
	self->threshold_ms = (self->threshold_us + 999) / 1000;
	self->idle_alarm = create_alarm(self, XCB_SYNC_TESTTYPE_POSITIVE_TRANSITION,
	                                self->threshold_ms);
	self->active_alarm = create_alarm(self, XCB_SYNC_TESTTYPE_NEGATIVE_TRANSITION,
	                                  self->threshold_ms);
}

static void
on_first_counter(X11Monitor *self, void *reply)
{
	if (reply == NULL) {
		if (gb_x11_is_broken(self))
			return;
		destroy_alarm(self, &self->idle_alarm);
		destroy_alarm(self, &self->active_alarm);
		self->counter = XCB_NONE;       /* polling from now on */
		gb_x11_poll_setup(self, "SYNC QueryCounter failed");
		return;
	}
	g_debug("SYNC %u.%u IDLETIME alarms at '%" G_GINT64_FORMAT " ms'", self->sync_major,
	        self->sync_minor, self->threshold_ms);
	gb_x11_set_ready(self);
	on_threshold_counter(self, reply);
}

/* Reads the SYSTEMCOUNTER list itself: libxcb 1.15's accessors take each entry's head for the C
 * struct's 16 bytes where the protocol has 14 (counter, resolution, name length), so they put
 * every name 2 bytes late and, after a name of 1 or 2 modulo 4 characters ("DEVICEIDLETIME 10"),
 * the next entry in the wrong place. The names are not NUL-terminated. */
static xcb_sync_counter_t
find_idletime(const xcb_sync_list_system_counters_reply_t *list)
{
	static const char idletime[] = "IDLETIME";
	enum { HEAD = 4 + 8 + 2 };
	const guint8 *entry, *end;

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

static void
on_counters(X11Monitor *self, void *reply)
{
	if (reply == NULL && gb_x11_is_broken(self))
		return;
	self->counter = reply != NULL ? find_idletime(reply) : XCB_NONE;
	if (self->counter == XCB_NONE) {
		gb_x11_poll_setup(self, "no IDLETIME counter");
		return;
	}
	arm_threshold_alarms(self);
	/* the reply also makes sure both alarms exist before we report READY */
	query_counter(self, on_first_counter);
}

static void
on_sync_version(X11Monitor *self, void *reply)
{
	xcb_sync_initialize_reply_t *version = reply;

	if (version == NULL) {
		if (!gb_x11_is_broken(self))
			gb_x11_poll_setup(self, "no SYNC extension");
		return;
	}
	self->sync_major = version->major_version;
	self->sync_minor = version->minor_version;
	gb_x11_expect(self, xcb_sync_list_system_counters(self->conn).sequence, on_counters);
}

/* The prefetched QueryExtension replies came before this one (replies come in order): reading
 * them does not wait. */
static void
on_extensions(X11Monitor *self, void *reply)
{
	const xcb_query_extension_reply_t *ext;

	if (reply == NULL && gb_x11_is_broken(self))
		return;
	ext = xcb_get_extension_data(self->conn, &xcb_sync_id);
	if (gb_x11_is_broken(self))
		return;
	if (ext == NULL || !ext->present) {
		gb_x11_poll_setup(self, "no SYNC extension");
		return;
	}
	self->sync_event_base = ext->first_event;
	gb_x11_expect(self,
	       xcb_sync_initialize(self->conn, XCB_SYNC_MAJOR_VERSION, XCB_SYNC_MINOR_VERSION)
	               .sequence,
	       on_sync_version);
}

/* Connecting ------------------------------------------------------------------------------- */

static void
on_connected(xcb_connection_t *conn, xcb_window_t root, gpointer user_data)
{
	X11Monitor *self = user_data;

	self->connecting = NULL;
	if (conn == NULL) {
		g_autofree char *why = g_strdup_printf("cannot open X display: '%s'",
		                                       self->display_name);

		gb_x11_fail(self, why);
		gb_idle_emit(&self->base);
		return;
	}
	self->conn = conn;
	self->root = root;
	self->fd_id = g_unix_fd_add(xcb_get_file_descriptor(conn), G_IO_IN | G_IO_HUP | G_IO_ERR,
	                            on_x_fd, self);
	g_source_set_name_by_id(self->fd_id, "[glutebreak] x11 connection");
	/* both extensions asked at once, and a request of the core protocol whose reply says
	 * that their answers are in */
	xcb_prefetch_extension_data(conn, &xcb_sync_id);
	xcb_prefetch_extension_data(conn, &xcb_screensaver_id);
	gb_x11_expect(self, xcb_get_input_focus(conn).sequence, on_extensions);
	gb_x11_process(self, FALSE);
	gb_idle_emit(&self->base);
}

/* GbIdleBackend ---------------------------------------------------------------------------- */

static void
stop(GbIdleMonitor *monitor)
{
	X11Monitor *self = (X11Monitor *) monitor;

	if (self->connecting != NULL)
		gb_x11_connect_cancel(self->connecting);
	g_clear_handle_id(&self->fd_id, g_source_remove);
	g_clear_handle_id(&self->poll_id, g_source_remove);
	/* The server destroys our alarms with the connection. Also after the connection broke:
	 * then this only frees it. */
	g_clear_pointer(&self->conn, xcb_disconnect);
	g_clear_pointer(&self->pending, g_array_unref);
	g_clear_pointer(&self->display_name, g_free);
	gb_idle_monitor_stop(monitor);
}

static void
watch_activity(GbIdleMonitor *monitor)
{
	X11Monitor *self = (X11Monitor *) monitor;

	if (!self->ready || self->lost || gb_x11_is_broken(self))
		return;
	if (self->counter != XCB_NONE)
		watch_by_alarm(self);
	else
		gb_x11_poll_watch(self);
	gb_x11_process(self, FALSE);   /* also sends the requests */
}

/* New threshold alarms (or the next poll) for the coming idle periods. An IDLE reported goes
 * on until the next input: by the new active alarm if the counter is past the new threshold,
 * else by a watch alarm. */
static void
set_threshold(GbIdleMonitor *monitor, gint64 threshold_us)
{
	X11Monitor *self = (X11Monitor *) monitor;

	self->threshold_us = threshold_us;
	if (!self->ready || self->lost || gb_x11_is_broken(self))
		return;         /* not armed yet: armed with it */
	if (self->counter != XCB_NONE) {
		arm_threshold_alarms(self);
		query_counter(self, on_threshold_counter);
	} else {
		gb_x11_poll_schedule(self, self->last_input_us >= 0
		                    ? g_get_monotonic_time() - self->last_input_us : 0);
	}
	gb_x11_process(self, FALSE);
}

static GbIdleMonitor *
start(const GbIdleSetup *setup, GError **error)
{
	const char *wayland = g_getenv("WAYLAND_DISPLAY");
	const char *name = g_getenv("DISPLAY");
	g_autoptr(GError) local_error = NULL;
	X11Monitor *self;

	g_return_val_if_fail(setup->threshold_us > 0, NULL);
	g_return_val_if_fail(setup->func != NULL, NULL);
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

	self = g_new0(X11Monitor, 1);
	gb_idle_monitor_init(&self->base, &gb_idle_x11, setup);
	self->threshold_us = setup->threshold_us;
	self->display_name = g_strdup(name);
	self->pending = g_array_new(FALSE, FALSE, sizeof(Pending));
	self->connecting = gb_x11_connect_start(name, on_connected, self, &local_error);
	if (self->connecting == NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "cannot connect to the X server: '%s'", local_error->message);
		stop(&self->base);
		return NULL;
	}
	return &self->base;
}

const GbIdleBackend gb_idle_x11 = {
	.name = "x11",
	.dates_input = TRUE,
	.start = start,
	.watch_activity = watch_activity,
	.set_threshold = set_threshold,
	.stop = stop,
};

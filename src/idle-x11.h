/* SPDX-License-Identifier: MIT */
/* Private to the X11 idle backend: idle-x11.c (connection, SYNC alarms) and idle-x11-poll.c
 * (the MIT-SCREEN-SAVER polling fallback) share the monitor and these helpers. */
#pragma once

#include <xcb/xcb.h>
#include <xcb/sync.h>
#include <glib.h>

#include "idle.h"
#include "x11-connect.h"

G_BEGIN_DECLS

typedef struct _X11Monitor X11Monitor;

/* A reply, or NULL if the request failed (gb_x11_is_broken() tells whether the connection broke). */
typedef void (*ReplyFunc)(X11Monitor *self, void *reply);

typedef struct {
	unsigned int sequence;
	ReplyFunc func;
} Pending;

struct _X11Monitor {
	GbIdleMonitor base;
	gint64 threshold_us;
	char *display_name;
	GbX11Connect *connecting; /* until the connection is made */
	/* Once it broke (xcb_connection_has_error()), every request on it is a no-op and every
	 * reply NULL; only xcb_disconnect() in stop() frees it. */
	xcb_connection_t *conn;
	gboolean hung_up;       /* the fd hung up although xcb saw no error */
	gboolean ready;         /* GB_IDLE_READY has been queued */
	gboolean lost;          /* GB_IDLE_BROKEN has been queued */
	guint fd_id;
	GArray *pending;        /* of Pending, in the order sent (the order of the replies) */
	gboolean idle;          /* IDLE reported, ACTIVE not yet */

	/* SYNC; counter is XCB_NONE when polling */
	xcb_sync_counter_t counter;
	guint8 sync_event_base;
	guint8 sync_major, sync_minor;
	gint64 threshold_ms;
	xcb_sync_alarm_t idle_alarm;   /* PositiveTransition at threshold_ms: IDLE */
	xcb_sync_alarm_t active_alarm; /* NegativeTransition at threshold_ms: ACTIVE after IDLE */
	xcb_sync_alarm_t watch_alarm;  /* one-shot NegativeComparison for watch_activity(), or
	                                * XCB_NONE */
	gboolean arming_watch;         /* watch_alarm's counter queries in flight */
	gint64 watch_before_ms;        /* the counter when it was armed */

	/* MIT-SCREEN-SAVER polling */
	xcb_window_t root;
	guint poll_id;
	gboolean watching;       /* watch_activity() pending */
	gint64 last_input_us;    /* monotonic, from the last sample; -1 before the first */
};

gboolean gb_x11_is_broken(X11Monitor *self);
/* Queues GB_IDLE_BROKEN with @why, once, and stops listening. */
void gb_x11_fail(X11Monitor *self, const char *why);
/* @func gets the reply of the request numbered @sequence (sent after those expected before). */
void gb_x11_expect(X11Monitor *self, unsigned int sequence, ReplyFunc func);
void gb_x11_report_active(X11Monitor *self, gint64 time_us);
void gb_x11_report_idle(X11Monitor *self, gint64 since_us);
/* Reads what the server sent, sends what was asked; @hangup: the fd hung up. */
void gb_x11_process(X11Monitor *self, gboolean hangup);
void gb_x11_set_ready(X11Monitor *self);

/* idle-x11-poll.c: without SYNC or IDLETIME (@reason), poll MIT-SCREEN-SAVER. */
void gb_x11_poll_setup(X11Monitor *self, const char *reason);
void gb_x11_poll_watch(X11Monitor *self);
/* The next poll, for a user idle for @idle_us now. */
void gb_x11_poll_schedule(X11Monitor *self, gint64 idle_us);

G_END_DECLS

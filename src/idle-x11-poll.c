/* SPDX-License-Identifier: MIT */
/* The X11 idle backend's fallback where the server has no SYNC IDLETIME counter: sampling
 * MIT-SCREEN-SAVER's idle time, often while idle or watching for input, else only when the
 * threshold could first be reached. */
#include <xcb/screensaver.h>

#include "clock.h"
#include "idle-x11.h"

/* polling fallback: how often to look for input once idle (or while watching for it); at most
 * half the threshold, so one poll never finds both the input and a whole idle period after it */
#define POLL_ACTIVITY_MS 1000
/* polling fallback: two samples disagree by this much about the last input without any input */
#define POLL_SLACK_US (20 * 1000)

static gboolean on_poll(gpointer user_data);

void
gb_x11_poll_schedule(X11Monitor *self, gint64 idle_us)
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

static void
sample(X11Monitor *self, ReplyFunc func)
{
	gb_x11_expect(self, xcb_screensaver_query_info(self->conn, self->root).sequence, func);
}

static gint64
idle_us_of(const xcb_screensaver_query_info_reply_t *info)
{
	return (gint64) info->ms_since_user_input * 1000;
}

static void
on_poll_sample(X11Monitor *self, void *reply)
{
	xcb_screensaver_query_info_reply_t *info = reply;
	gint64 idle_us, last_input_us;
	gboolean input;

	if (info == NULL) {
		if (!gb_x11_is_broken(self)) {
			g_warning("MIT-SCREEN-SAVER QueryInfo failed: '%s'", self->display_name);
			gb_x11_poll_schedule(self, 0);
		}
		return;
	}
	idle_us = idle_us_of(info);
	/* the server's idle time follows CLOCK_MONOTONIC, so compare samples on that clock */
	last_input_us = g_get_monotonic_time() - idle_us;
	input = self->last_input_us >= 0 && last_input_us > self->last_input_us + POLL_SLACK_US;
	self->last_input_us = last_input_us;
	if (input && (self->idle || self->watching)) {
		g_debug("polled: input '%" G_GINT64_FORMAT " ms' ago", idle_us / 1000);
		gb_x11_report_active(self, gb_clock_now_us() - idle_us);
	}
	if (!self->idle && idle_us >= self->threshold_us) {
		g_debug("polled: idle for '%" G_GINT64_FORMAT " ms'", idle_us / 1000);
		gb_x11_report_idle(self, gb_clock_now_us() - idle_us);
	}
	gb_x11_poll_schedule(self, idle_us);
}

static gboolean
on_poll(gpointer user_data)
{
	X11Monitor *self = user_data;

	self->poll_id = 0;
	sample(self, on_poll_sample);
	gb_x11_process(self, FALSE);
	gb_idle_emit(&self->base);
	return G_SOURCE_REMOVE;
}

static void
on_watch_sample(X11Monitor *self, void *reply)
{
	xcb_screensaver_query_info_reply_t *info = reply;

	if (info == NULL || self->idle)
		return;
	/* A fresh baseline: input before this call (the click that led to it) does not count. */
	self->last_input_us = g_get_monotonic_time() - idle_us_of(info);
	self->watching = TRUE;
	gb_x11_poll_schedule(self, idle_us_of(info));
}

void
gb_x11_poll_watch(X11Monitor *self)
{
	if (self->idle)         /* the next poll reports ACTIVE anyway */
		return;
	sample(self, on_watch_sample);
}

static void
on_first_sample(X11Monitor *self, void *reply)
{
	if (reply == NULL) {
		g_autofree char *why = NULL;

		if (gb_x11_is_broken(self))
			return;
		why = g_strdup_printf("MIT-SCREEN-SAVER QueryInfo failed: '%s'", self->display_name);
		gb_x11_fail(self, why);
		return;
	}
	gb_x11_set_ready(self);
	on_poll_sample(self, reply);
}

void
gb_x11_poll_setup(X11Monitor *self, const char *reason)
{
	/* prefetched: the answer is here */
	const xcb_query_extension_reply_t *ext =
		xcb_get_extension_data(self->conn, &xcb_screensaver_id);

	if (gb_x11_is_broken(self))
		return;
	if (ext == NULL || !ext->present) {
		g_autofree char *why = g_strdup_printf("%s and no MIT-SCREEN-SAVER extension: '%s'",
		                                       reason, self->display_name);

		gb_x11_fail(self, why);
		return;
	}
	self->last_input_us = -1;
	g_message("polling MIT-SCREEN-SAVER for idle time (%s): '%s'", reason, self->display_name);
	sample(self, on_first_sample);
}


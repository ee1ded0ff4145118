/* SPDX-License-Identifier: MIT */
/* Wayland idle backend (reference/idle-apis.md §2.3, §5.2 item 2): our own wl_display connection,
 * no surface, watched with g_unix_fd_add. ext_idle_notifier_v1 where the compositor offers it
 * else KDE's org_kde_kwin_idle (sway 1.7, old KWin). One notification at the threshold gives
 * one IDLE and one ACTIVE per idle period; watch_activity() adds a second, zero-timeout one for
 * as long as it takes to see one input.
 *
 * Idle inhibitors (a video playing), DESIGN.md rule 7: watching a film is still sitting. So the
 * threshold notification is always an ordinary one, which an inhibitor keeps from going idle: no
 * break is invented while a video plays, and once the inhibitor goes away the compositor counts
 * a full break-length afresh. The activity watch must not miss real input during a video,
 * though (after Done, the next bout starts at the next input): with version 2 it is an
 * input-idle notification, which inhibitors do not hold back, as Mutter's user-active watch.
 * Version 1 and the KDE protocol have no such notification: there a watch created during a
 * video sees the first input after it ends, one more reason to bind version 2.
 *
 * Never waiting on the compositor (DESIGN.md rule 12): start() connects, asks for the registry
 * and a wl_display.sync, and returns; the sync's done (the registry is complete by then)
 * decides, READY or BROKEN, from the main loop. No round trip blocks anywhere, and every write
 * goes out without waiting (a full socket waits in libwayland's buffer for G_IO_OUT). Only
 * connect() itself is synchronous: a stopped compositor's listening socket still accepts
 * (the kernel queues the connection), so it does not wait either, unless that queue is full. */
#include <errno.h>
#include <glib-unix.h>
#include <wayland-client.h>

#include "clock.h"
#include "errors.h"
#include "idle.h"
#include "protocols/ext-idle-notify-v1-client-protocol.h"
#include "protocols/kde-idle-client-protocol.h"

/* the highest ext_idle_notifier_v1 version our XML (src/protocols/) knows */
#define EXT_VERSION 2u

typedef struct _WaylandMonitor WaylandMonitor;

/* One idle notification object, of whichever protocol was bound. */
typedef struct {
	WaylandMonitor *monitor;
	struct ext_idle_notification_v1 *ext;
	struct org_kde_kwin_idle_timeout *kde;
	gboolean idle;          /* idled seen, resumed not yet */
} Notification;

struct _WaylandMonitor {
	GbIdleMonitor base;
	gint64 threshold_us;
	char *name;             /* WAYLAND_DISPLAY, for messages */
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_seat *seat;
	uint32_t seat_global;
	struct ext_idle_notifier_v1 *ext;
	uint32_t ext_global;
	uint32_t ext_version;
	struct org_kde_kwin_idle *kde;
	uint32_t kde_global;
	Notification *threshold;        /* at threshold_us: IDLE, then ACTIVE; NULL until ready */
	Notification *watch;            /* watch_activity(): zero timeout, gone after one input */
	struct wl_callback *sync;       /* start()'s wl_display.sync, until done */

	const char *dead;       /* why the connection is unusable, or NULL */
	gboolean lost;          /* GB_IDLE_BROKEN has been queued */
	guint fd_id;
	guint out_id;           /* the socket was full: flush once it is writable */
};

static gboolean on_writable(int fd, GIOCondition condition, gpointer user_data);

static void
mark_dead(WaylandMonitor *self, const char *why)
{
	int code = wl_display_get_error(self->display);

	if (self->dead != NULL)
		return;
	self->dead = why;
	if (code == EPROTO) {
		const struct wl_interface *interface = NULL;
		uint32_t id = 0;
		uint32_t error = wl_display_get_protocol_error(self->display, &interface, &id);

		g_debug("wayland protocol error %u on '%s@%u'", error,
		        interface != NULL ? interface->name : "?", id);
	} else if (code != 0) {
		g_debug("wayland connection error: '%s'", g_strerror(code));
	}
}

/* Sends what libwayland buffered. A full socket is not an error: the rest goes out once it is
 * writable. */
static void
flush(WaylandMonitor *self)
{
	if (self->dead != NULL || self->out_id != 0)
		return;
	if (wl_display_flush(self->display) >= 0)
		return;
	if (errno != EAGAIN) {
		mark_dead(self, "cannot write to the compositor");
		return;
	}
	self->out_id = g_unix_fd_add(wl_display_get_fd(self->display), G_IO_OUT, on_writable, self);
	g_source_set_name_by_id(self->out_id, "[glutebreak] wayland flush");
}

/* Notifications ---------------------------------------------------------------------------- */

static void
destroy_notification(Notification **pnote)
{
	Notification *note = *pnote;

	if (note == NULL)
		return;
	*pnote = NULL;
	g_clear_pointer(&note->ext, ext_idle_notification_v1_destroy);
	g_clear_pointer(&note->kde, org_kde_kwin_idle_timeout_release);
	g_free(note);
}

static void
on_idled(Notification *note)
{
	WaylandMonitor *self = note->monitor;

	note->idle = TRUE;
	if (note != self->threshold)
		return;         /* the watch: its resumed is the input we wait for */
	g_debug("wayland: idle for the threshold");
	/* from now on the threshold notification's resumed reports the next input */
	destroy_notification(&self->watch);
	gb_idle_queue(&self->base, GB_IDLE_IDLE, gb_clock_now_us() - self->threshold_us);
}

static void
on_resumed(Notification *note)
{
	WaylandMonitor *self = note->monitor;

	note->idle = FALSE;
	g_debug("wayland: input ('%s')", note == self->watch ? "watch" : "end of idle");
	/* in its own event handler: libwayland allows it */
	if (note == self->watch)
		destroy_notification(&self->watch);
	gb_idle_queue(&self->base, GB_IDLE_ACTIVE, gb_clock_now_us());
}

static void
on_ext_idled(void *data, struct ext_idle_notification_v1 *notification)
{
	(void) notification;
	on_idled(data);
}

static void
on_ext_resumed(void *data, struct ext_idle_notification_v1 *notification)
{
	(void) notification;
	on_resumed(data);
}

static const struct ext_idle_notification_v1_listener ext_listener = {
	.idled = on_ext_idled,
	.resumed = on_ext_resumed,
};

static void
on_kde_idle(void *data, struct org_kde_kwin_idle_timeout *timeout)
{
	(void) timeout;
	on_idled(data);
}

static void
on_kde_resumed(void *data, struct org_kde_kwin_idle_timeout *timeout)
{
	(void) timeout;
	on_resumed(data);
}

static const struct org_kde_kwin_idle_timeout_listener kde_listener = {
	.idle = on_kde_idle,
	.resumed = on_kde_resumed,
};

/* @input_only: ignore idle inhibitors where the compositor can (version 2). */
static Notification *
create_notification(WaylandMonitor *self, uint32_t timeout_ms, gboolean input_only)
{
	Notification *note = g_new0(Notification, 1);

	note->monitor = self;
	if (self->ext != NULL && self->ext_version >= 2 && input_only) {
		note->ext = ext_idle_notifier_v1_get_input_idle_notification(self->ext, timeout_ms,
		                                                              self->seat);
	} else if (self->ext != NULL) {
		note->ext = ext_idle_notifier_v1_get_idle_notification(self->ext, timeout_ms,
		                                                        self->seat);
	} else {
		/* the KDE protocol takes the seat first */
		note->kde = org_kde_kwin_idle_get_idle_timeout(self->kde, self->seat, timeout_ms);
	}
	if (note->ext != NULL)
		ext_idle_notification_v1_add_listener(note->ext, &ext_listener, note);
	else
		org_kde_kwin_idle_timeout_add_listener(note->kde, &kde_listener, note);
	return note;
}

/* Registry --------------------------------------------------------------------------------- */

/* Only notes what is there: start() binds what it chose once it has seen everything. */
static void
on_global(void *data, struct wl_registry *registry, uint32_t name, const char *interface,
          uint32_t version)
{
	WaylandMonitor *self = data;

	(void) registry;
	/* the first seat: a desktop session has one */
	if (g_str_equal(interface, wl_seat_interface.name) && self->seat_global == 0) {
		self->seat_global = name;
	} else if (g_str_equal(interface, ext_idle_notifier_v1_interface.name) &&
	           self->ext_global == 0) {
		self->ext_global = name;
		self->ext_version = MIN(version, EXT_VERSION);
	} else if (g_str_equal(interface, org_kde_kwin_idle_interface.name) &&
	           self->kde_global == 0) {
		self->kde_global = name;
	}
}

static void
on_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
	WaylandMonitor *self = data;

	(void) registry;
	/* the daemon probes again and finds whatever replaced it */
	if (self->seat != NULL && name == self->seat_global)
		mark_dead(self, "the compositor removed the seat");
	else if ((self->ext != NULL && name == self->ext_global) ||
	         (self->kde != NULL && name == self->kde_global))
		mark_dead(self, "the compositor removed the idle protocol");
}

static const struct wl_registry_listener registry_listener = {
	.global = on_global,
	.global_remove = on_global_remove,
};

/* Main loop -------------------------------------------------------------------------------- */

/* Queues GB_IDLE_BROKEN with @why, once, and stops listening. */
static void
fail(WaylandMonitor *self, const char *why)
{
	if (self->lost)
		return;
	self->lost = TRUE;
	g_clear_handle_id(&self->fd_id, g_source_remove);
	g_clear_handle_id(&self->out_id, g_source_remove);
	gb_idle_queue_broken(&self->base, why);
}

/* Fails once the connection is unusable. Every main loop callback ends here and with
 * gb_idle_emit(). */
static void
check_lost(WaylandMonitor *self)
{
	g_autofree char *why = NULL;

	if (self->dead == NULL && wl_display_get_error(self->display) != 0)
		mark_dead(self, "the connection broke");
	if (self->dead == NULL || self->lost)
		return;
	why = g_strdup_printf("lost the Wayland compositor: '%s' (%s)", self->name, self->dead);
	fail(self, why);
}

/* Reads and dispatches what the compositor sent. No other thread or event queue reads this
 * display, and every callback ends with the default queue dispatched, so preparing the read
 * here, after the poll, is as good as before it: prepare_read only fails while events wait in
 * the queue, and then they are dispatched first. */
static void
read_events(WaylandMonitor *self, GIOCondition condition)
{
	if (condition & G_IO_IN) {
		if (wl_display_prepare_read(self->display) == 0) {
			if (wl_display_read_events(self->display) < 0) {
				mark_dead(self, "cannot read from the compositor");
				return;
			}
		}
	}
	if (wl_display_dispatch_pending(self->display) < 0) {
		mark_dead(self, "cannot dispatch the compositor's events");
		return;
	}
	/* With G_IO_IN as well, reading reaches the end of the stream and libwayland fails with
	 * EPIPE above; poll() may also report a hang-up or an error alone. */
	if ((condition & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) && !(condition & G_IO_IN)) {
		mark_dead(self, "the compositor hung up");
		return;
	}
	/* handlers may have made requests (a notification destroyed) */
	flush(self);
}

static gboolean
on_wayland_fd(int fd, GIOCondition condition, gpointer user_data)
{
	WaylandMonitor *self = user_data;

	(void) fd;
	read_events(self, condition);
	/* on loss fail() removes this source itself */
	check_lost(self);
	gb_idle_emit(&self->base);
	return self->lost ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
on_writable(int fd, GIOCondition condition, gpointer user_data)
{
	WaylandMonitor *self = user_data;

	(void) fd;
	(void) condition;
	self->out_id = 0;
	flush(self);    /* re-adds this source if the socket is still full */
	check_lost(self);
	gb_idle_emit(&self->base);
	return G_SOURCE_REMOVE;
}

/* GbIdleBackend ---------------------------------------------------------------------------- */

static void
stop(GbIdleMonitor *monitor)
{
	WaylandMonitor *self = (WaylandMonitor *) monitor;

	g_clear_handle_id(&self->fd_id, g_source_remove);
	g_clear_handle_id(&self->out_id, g_source_remove);
	destroy_notification(&self->watch);
	destroy_notification(&self->threshold);
	g_clear_pointer(&self->sync, wl_callback_destroy);
	g_clear_pointer(&self->ext, ext_idle_notifier_v1_destroy);
	g_clear_pointer(&self->kde, org_kde_kwin_idle_destroy);
	g_clear_pointer(&self->seat, wl_seat_destroy);
	g_clear_pointer(&self->registry, wl_registry_destroy);
	if (self->display != NULL) {
		/* the destructors above, if the compositor is still there; it would clean up
		 * after our disconnect anyway */
		if (self->dead == NULL)
			wl_display_flush(self->display);
		wl_display_disconnect(self->display);
		self->display = NULL;
	}
	g_clear_pointer(&self->name, g_free);
	gb_idle_monitor_stop(monitor);
}

static void
watch_activity(GbIdleMonitor *monitor)
{
	WaylandMonitor *self = (WaylandMonitor *) monitor;

	if (self->dead != NULL || self->threshold == NULL)
		return;
	/* Idle: the threshold notification's resumed reports the next input. A watch already
	 * there has seen no input since, or it would be gone. */
	if (self->threshold->idle || self->watch != NULL)
		return;
	/* Zero timeout (KIdleTime's activity detector): idled as soon as the seat is quiet, then
	 * resumed on the next input, which is the one we want (wlroots sends idled at once and
	 * resumed on the next key, checked on sway 1.7). Destroyed after that resumed, or when the
	 * threshold notification goes idle and takes over. Old KWin stretches KDE-protocol
	 * timeouts to 5 s: there the watch answers the first input after 5 s of quiet. */
	self->watch = create_notification(self, 0, TRUE);
	flush(self);
	check_lost(self);       /* delivered from the main loop, never from here */
}

static uint32_t
threshold_ms(gint64 threshold_us)
{
	return (uint32_t) MIN((threshold_us + 999) / 1000, (gint64) G_MAXUINT32);
}

/* The registry is complete: decides. In an event handler, so reports are only queued. */
static void
on_registry_done(void *data, struct wl_callback *callback, uint32_t serial)
{
	WaylandMonitor *self = data;
	g_autofree char *why = NULL;

	(void) serial;
	wl_callback_destroy(callback);
	self->sync = NULL;
	if (self->ext_global == 0 && self->kde_global == 0)
		why = g_strdup_printf("the compositor offers neither ext_idle_notifier_v1 nor "
		                      "org_kde_kwin_idle: '%s'", self->name);
	else if (self->seat_global == 0)
		why = g_strdup_printf("the compositor offers no wl_seat: '%s'", self->name);
	if (why != NULL) {
		fail(self, why);
		return;
	}
	self->seat = wl_registry_bind(self->registry, self->seat_global, &wl_seat_interface, 1);
	/* ext is preferred: the KDE protocol is deprecated, and ext's version 2 can watch
	 * for input through an inhibitor */
	if (self->ext_global != 0) {
		self->ext = wl_registry_bind(self->registry, self->ext_global,
		                             &ext_idle_notifier_v1_interface, self->ext_version);
		g_info("wayland idle: ext_idle_notifier_v1 version %u%s", self->ext_version,
		       self->ext_version >= 2 ? " (a video is sitting; input seen through inhibitors)"
		                              : " (a video is sitting)");
	} else {
		self->kde = wl_registry_bind(self->registry, self->kde_global,
		                             &org_kde_kwin_idle_interface, 1);
		g_info("wayland idle: org_kde_kwin_idle (a video is sitting)");
	}
	self->threshold = create_notification(self, threshold_ms(self->threshold_us), FALSE);
	gb_idle_queue(&self->base, GB_IDLE_READY, gb_clock_now_us());
}

static const struct wl_callback_listener registry_done_listener = {
	.done = on_registry_done,
};

/* A new threshold notification in place of the old one. If the old one had gone idle, the
 * next input must still be reported: a zero-timeout watch sees it, as after
 * watch_activity(), until the new one goes idle and takes over. */
static void
set_threshold(GbIdleMonitor *monitor, gint64 threshold_us)
{
	WaylandMonitor *self = (WaylandMonitor *) monitor;
	gboolean was_idle;

	self->threshold_us = threshold_us;
	if (self->dead != NULL || self->threshold == NULL)
		return;         /* not ready yet: created with it */
	was_idle = self->threshold->idle;
	destroy_notification(&self->threshold);
	self->threshold = create_notification(self, threshold_ms(threshold_us), FALSE);
	if (was_idle)
		watch_activity(monitor);
	flush(self);
	check_lost(self);       /* delivered from the main loop, never from here */
}

static GbIdleMonitor *
start(const GbIdleSetup *setup, GError **error)
{
	const char *name = g_getenv("WAYLAND_DISPLAY");
	WaylandMonitor *self;
	int saved_errno;

	g_return_val_if_fail(setup->threshold_us > 0, NULL);
	g_return_val_if_fail(setup->func != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (name == NULL || *name == '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		                    "WAYLAND_DISPLAY is not set");
		return NULL;
	}
	self = g_new0(WaylandMonitor, 1);
	gb_idle_monitor_init(&self->base, &gb_idle_wayland, setup);
	self->threshold_us = setup->threshold_us;
	self->name = g_strdup(name);
	self->display = wl_display_connect(NULL);
	if (self->display == NULL) {
		saved_errno = errno;
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "cannot connect to the Wayland compositor: '%s' (%s)", self->name,
		            g_strerror(saved_errno));
		stop(&self->base);
		return NULL;
	}
	self->registry = wl_display_get_registry(self->display);
	wl_registry_add_listener(self->registry, &registry_listener, self);
	/* the globals arrive before the sync's done, which decides */
	self->sync = wl_display_sync(self->display);
	wl_callback_add_listener(self->sync, &registry_done_listener, self);
	self->fd_id = g_unix_fd_add(wl_display_get_fd(self->display), G_IO_IN | G_IO_HUP | G_IO_ERR,
	                            on_wayland_fd, self);
	g_source_set_name_by_id(self->fd_id, "[glutebreak] wayland connection");
	flush(self);
	check_lost(self);       /* a failure is reported from the main loop */
	return &self->base;
}

const GbIdleBackend gb_idle_wayland = {
	.name = "wayland",
	.dates_input = FALSE,
	.start = start,
	.watch_activity = watch_activity,
	.set_threshold = set_threshold,
	.stop = stop,
};

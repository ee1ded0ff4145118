/* SPDX-License-Identifier: MIT */
/* The fullscreen hold on X11 (reference/dnd-and-meetings.md §2, DESIGN.md rule 10).
 *
 * For the docs: on an X11 session with an EWMH window manager (GNOME on Xorg, KDE Plasma on
 * X11, Xfce, Cinnamon, MATE, i3 and most others) reminders are held while the window that has
 * the focus is fullscreen: a presentation, a video or a game in fullscreen mode. A fullscreen
 * window that is not focused (on another monitor, or behind a dialog that took the focus) does
 * not hold, nor does a window that is merely maximized or covers the screen without asking the
 * window manager for fullscreen (some games do). Without a window manager nothing holds. Under
 * Wayland this sensor is not used: XWayland shows it only X11 windows (GNOME on Wayland has no
 * way to tell; the shell itself queues banners over a fullscreen window). A window going
 * fullscreen is seen at once when the window manager resizes it for that, as window managers
 * do (it then covers the monitor, without a frame); one marked fullscreen without a resize
 * (a window already exactly the monitor's size, with no frame) is seen only when the next
 * reminder falls due, which reads the state afresh before showing it. Leaving fullscreen, the
 * focus moving to another window and the window closing are seen at once.
 *
 * How: the root window's _NET_ACTIVE_WINDOW names the focused window, whose _NET_WM_STATE
 * holds _NET_WM_STATE_FULLSCREEN while it is fullscreen. PropertyChange on the root says when
 * the active window changes; StructureNotify on the active window says when it is resized
 * (ConfigureNotify: its state is read again) or destroyed. PropertyChange on the active window
 * only while it is fullscreen, so that leaving fullscreen is seen at once: X11 cannot select
 * one property, and apps change some of their toplevel's at every key press (Chromium and
 * Electron set _NET_WM_USER_TIME), which would wake us at each; while a fullscreen window has
 * the focus a hold is on and those wakeups are the price of seeing it end. The read when a
 * reminder falls due (gb_hold_x11_fullscreen_check()) covers a state set without a resize.
 * Nothing is polled.
 *
 * Its own xcb connection, not the X11 idle backend's: that one lives and dies with the idle
 * backend (it is not there under mutter, which is chosen first, and it is closed when it
 * breaks or the backend changes), while this one lives as long as the sensor.
 *
 * Never waiting on the X server (DESIGN.md rule 12): every request is sent and its reply taken
 * from the connection's fd callback with xcb_poll_for_reply(), in the order sent. xcb_connect()
 * alone has no such form (it waits, without a bound, for the server to answer the set-up), so it
 * runs in a short-lived thread of its own (x11-connect.c). An X server that goes away turns the
 * hold off, once, said with g_info(); the sensor then sleeps until it is freed. */
#include <stdlib.h>
#include <string.h>

#include <xcb/xcb.h>
#include <xcb/xcbext.h>  /* xcb_poll_for_reply() */
#include <glib-unix.h>

#include "errors.h"
#include "hold-fullscreen-x11.h"
#include "x11-connect.h"

enum {
	NET_ACTIVE_WINDOW,
	NET_WM_STATE,
	NET_WM_STATE_FULLSCREEN,
	N_ATOMS
};

static const char *const atom_names[N_ATOMS] = {
	"_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN",
};

/* The most of _NET_WM_STATE (atoms) and WM_CLASS (4-byte units) that we read */
#define MAX_STATES 64
#define MAX_CLASS_UNITS 64

#define BAD_WINDOW 3 /* the X error code */
#define CHECK_TIMEOUT_MS 1000 /* then a check answers what it knows (hold.h) */

/* on the active window; on the root PropertyChange */
#define ACTIVE_EVENTS XCB_EVENT_MASK_STRUCTURE_NOTIFY
#define FULLSCREEN_EVENTS (XCB_EVENT_MASK_STRUCTURE_NOTIFY | XCB_EVENT_MASK_PROPERTY_CHANGE)

typedef struct _GbHoldX11Fullscreen Sensor;

/* A reply (NULL when the request failed or the connection broke) for @arg: an atom's index,
 * the window it was asked about, or a check's id. */
typedef void (*ReplyFunc)(Sensor *self, void *reply, guint32 arg);

typedef struct {
	unsigned int sequence;
	ReplyFunc func;
	guint32 arg;
} Pending;

/* A gb_hold_x11_fullscreen_check() not answered yet: waiting for the X server (@id, 0 when
 * nothing was asked, and the bound @timeout_id), or (@idle_id) for the main loop to answer @on. */
typedef struct {
	Sensor *sensor;
	guint32 id;
	GbHoldCheckFunc done;
	gpointer user_data;
	guint timeout_id;
	guint idle_id;
	gboolean on;
} Check;

struct _GbHoldX11Fullscreen {
	GbHold *hold;
	char *display_name;
	GbX11Connect *connecting; /* until connected */
	xcb_connection_t *conn; /* once connected; after a break only xcb_disconnect() frees it */
	guint fd_id;            /* 0 once the connection broke: nothing more to do */
	GArray *pending;        /* of Pending, in the order sent (the order of the replies) */
	xcb_window_t root;
	xcb_atom_t atoms[N_ATOMS];
	gboolean ready;         /* atoms known, root events selected */
	xcb_window_t active;    /* whose events we selected, or XCB_NONE */
	guint32 events;         /* those events: ACTIVE_EVENTS or FULLSCREEN_EVENTS */
	guint16 width, height;  /* @active's size as last configured, 0 before */
	char *wm_class;         /* @active's class, or NULL */
	gboolean fullscreen;    /* @active is fullscreen */
	GPtrArray *checks;      /* of Check, not answered yet */
	guint32 last_check_id;
};

static void
expect(Sensor *self, unsigned int sequence, ReplyFunc func, guint32 arg)
{
	Pending pending = { .sequence = sequence, .func = func, .arg = arg };

	g_array_append_val(self->pending, pending);
}

static void
report(Sensor *self)
{
	gb_hold_set(self->hold, GB_HOLD_FULLSCREEN, self->fullscreen, self->wm_class);
}

static void
select_events(Sensor *self, xcb_window_t window, guint32 mask)
{
	/* a window destroyed meanwhile gives BadWindow, ignored in handle_event() */
	xcb_change_window_attributes(self->conn, window, XCB_CW_EVENT_MASK, &mask);
}

static void
get_property(Sensor *self, xcb_window_t window, xcb_atom_t property, xcb_atom_t type,
             guint32 units, ReplyFunc func)
{
	expect(self, xcb_get_property(self->conn, FALSE, window, property, type, 0, units).sequence,
	       func, window);
}

/* The active window's state and class ------------------------------------------------------- */

static void on_state(Sensor *self, void *reply, guint32 window);

static void
read_state(Sensor *self)
{
	get_property(self, self->active, self->atoms[NET_WM_STATE], XCB_ATOM_ATOM, MAX_STATES,
	             on_state);
}

/* PropertyChange on the active window only while it is fullscreen (see the top): its other
 * properties may change at every key press. */
static void
watch_state(Sensor *self, gboolean fullscreen)
{
	guint32 events = fullscreen ? FULLSCREEN_EVENTS : ACTIVE_EVENTS;

	if (events == self->events)
		return;
	self->events = events;
	select_events(self, self->active, events);
	/* a change between the read that said fullscreen and now would be missed */
	if (fullscreen)
		read_state(self);
}

static void
on_state(Sensor *self, void *reply, guint32 window)
{
	xcb_get_property_reply_t *property = reply;
	gboolean fullscreen = FALSE;

	if (window != self->active)
		return;         /* asked before the active window changed */
	if (property != NULL && property->format == 32 && property->type == XCB_ATOM_ATOM) {
		const xcb_atom_t *states = xcb_get_property_value(property);
		int n = xcb_get_property_value_length(property) / 4;

		for (int i = 0; i < n; i++)
			fullscreen |= states[i] == self->atoms[NET_WM_STATE_FULLSCREEN];
	}
	g_debug("active window 0x%x: '%s'", (unsigned int) window,
	        fullscreen ? "fullscreen" : "not fullscreen");
	self->fullscreen = fullscreen;
	report(self);
	watch_state(self, fullscreen);
}


/* WM_CLASS is "instance\0class\0" in Latin-1 (ICCCM 4.1.2.5); the class names the program */
static void
on_class(Sensor *self, void *reply, guint32 window)
{
	xcb_get_property_reply_t *property = reply;
	const char *value, *class;
	int length;

	if (window != self->active || property == NULL || property->format != 8)
		return;
	value = xcb_get_property_value(property);
	length = xcb_get_property_value_length(property);
	class = memchr(value, '\0', length);
	if (class == NULL || ++class == value + length)
		return;
	g_free(self->wm_class);
	/* a detail goes to the log and over D-Bus: UTF-8 only */
	self->wm_class = g_utf8_make_valid(class, strnlen(class, value + length - class));
}

/* No active window, or none that we can watch: nothing holds. */
static void
forget_active(Sensor *self)
{
	self->active = XCB_NONE;
	self->events = 0;
	self->width = self->height = 0;
	g_clear_pointer(&self->wm_class, g_free);
	self->fullscreen = FALSE;
	report(self);
}

/* A new active window: its events instead of the old one's, and its state. Nothing is reported
 * before the state is in: two fullscreen windows in turn hold without a gap. */
static void
set_active(Sensor *self, xcb_window_t window)
{
	if (window == self->active)
		return;
	g_debug("active window: '0x%x'", (unsigned int) window);
	if (self->active != XCB_NONE)
		select_events(self, self->active, XCB_EVENT_MASK_NO_EVENT);
	if (window == XCB_NONE) {
		forget_active(self);
		return;
	}
	self->active = window;
	self->width = self->height = 0;
	g_clear_pointer(&self->wm_class, g_free);
	/* events first: a resize after the reads below is then not missed */
	self->events = ACTIVE_EVENTS;
	select_events(self, window, self->events);
	get_property(self, window, XCB_ATOM_WM_CLASS, XCB_GET_PROPERTY_TYPE_ANY, MAX_CLASS_UNITS,
	             on_class);
	read_state(self);
}

static void
on_active(Sensor *self, void *reply, guint32 root)
{
	xcb_get_property_reply_t *property = reply;
	xcb_window_t window = XCB_NONE;

	(void) root;
	/* no window manager, or none that speaks EWMH: the property is not there */
	if (property != NULL && property->format == 32 && property->type == XCB_ATOM_WINDOW &&
	    xcb_get_property_value_length(property) >= 4)
		window = *(const xcb_window_t *) xcb_get_property_value(property);
	else
		g_debug("no _NET_ACTIVE_WINDOW on the root: no EWMH window manager");
	/* not ours to deselect events on */
	if (window == self->root)
		window = XCB_NONE;
	set_active(self, window);
}

static void
read_active(Sensor *self)
{
	get_property(self, self->root, self->atoms[NET_ACTIVE_WINDOW], XCB_ATOM_WINDOW, 1,
	             on_active);
}

/* Events and replies ----------------------------------------------------------------------- */

static void
on_property_notify(Sensor *self, const xcb_property_notify_event_t *notify)
{
	if (!self->ready)
		return;
	if (notify->window == self->root && notify->atom == self->atoms[NET_ACTIVE_WINDOW])
		read_active(self);
	else if (notify->window == self->active && notify->atom == self->atoms[NET_WM_STATE])
		read_state(self);
}

/* A window manager resizes a window that goes in or out of fullscreen; a move or a restacking
 * (and the window manager's synthetic ConfigureNotify after each) changes nothing. */
static void
on_configure_notify(Sensor *self, const xcb_configure_notify_event_t *notify)
{
	if (notify->window != self->active ||
	    (notify->width == self->width && notify->height == self->height))
		return;
	self->width = notify->width;
	self->height = notify->height;
	read_state(self);
}

static void
on_destroy_notify(Sensor *self, const xcb_destroy_notify_event_t *notify)
{
	if (notify->window != self->active)
		return;
	/* the window manager names the next active window by itself */
	g_debug("active window destroyed: '0x%x'", (unsigned int) notify->window);
	forget_active(self);
}

static void
handle_event(Sensor *self, const xcb_generic_event_t *event)
{
	guint8 type = event->response_type & 0x7f;      /* without the SendEvent bit */

	if (type == 0) {
		const xcb_generic_error_t *x_error = (const xcb_generic_error_t *) event;

		/* a window we stop or start watching may be gone already */
		if (x_error->error_code == BAD_WINDOW)
			g_debug("X window gone: '0x%x'", (unsigned int) x_error->resource_id);
		else
			g_warning("X request failed: 'error %u, request %u.%u'",
			          x_error->error_code, x_error->major_code, x_error->minor_code);
	} else if (type == XCB_PROPERTY_NOTIFY) {
		on_property_notify(self, (const xcb_property_notify_event_t *) event);
	} else if (type == XCB_CONFIGURE_NOTIFY) {
		on_configure_notify(self, (const xcb_configure_notify_event_t *) event);
	} else if (type == XCB_DESTROY_NOTIFY) {
		on_destroy_notify(self, (const xcb_destroy_notify_event_t *) event);
	}
	/* the rest of StructureNotify (Map, Unmap, Reparent...) and MappingNotify: nothing */
}

/* Hands the oldest reply to its function if it has come; FALSE if it has not. */
static gboolean
take_reply(Sensor *self)
{
	Pending pending;
	void *reply = NULL;
	xcb_generic_error_t *x_error = NULL;

	if (self->pending->len == 0)
		return FALSE;
	pending = g_array_index(self->pending, Pending, 0);
	/* reads what the socket has, without waiting */
	if (!xcb_poll_for_reply(self->conn, pending.sequence, &reply, &x_error))
		return FALSE;
	g_array_remove_index(self->pending, 0);
	if (x_error != NULL)
		g_debug("X request failed: 'error %u, request %u.%u'", x_error->error_code,
		        x_error->major_code, x_error->minor_code);
	pending.func(self, reply, pending.arg);
	free(reply);
	free(x_error);
	return TRUE;
}

static void answer_later(Check *check, gboolean on);

/* Checks waiting for the server are answered "off" at once. */
static void
lose(Sensor *self, const char *why)
{
	g_clear_handle_id(&self->fd_id, g_source_remove);
	g_info("fullscreen hold off: %s: '%s'", why, self->display_name);
	forget_active(self);
	for (guint i = 0; i < self->checks->len; i++) {
		Check *check = g_ptr_array_index(self->checks, i);

		if (check->idle_id == 0)
			answer_later(check, FALSE);
	}
}

/* Reads what the server sent, then sends what that asked for; @hangup: the fd hung up. */
static void
process(Sensor *self, gboolean hangup)
{
	/* once broken, xcb hands out no events and a NULL reply for every request */
	while (xcb_connection_has_error(self->conn) == 0) {
		xcb_generic_event_t *event = xcb_poll_for_event(self->conn);

		if (event != NULL) {
			handle_event(self, event);
			free(event);
		} else if (!take_reply(self)) {
			break;
		}
	}
	xcb_flush(self->conn);
	/* xcb may not have noticed a hang-up, which would wake us up forever */
	if (xcb_connection_has_error(self->conn) != 0 || hangup)
		lose(self, "lost the connection to the X server");
}

static gboolean
on_x_fd(int fd, GIOCondition condition, gpointer user_data)
{
	Sensor *self = user_data;

	(void) fd;
	/* on loss lose() removes this source */
	process(self, (condition & (G_IO_HUP | G_IO_ERR)) != 0);
	return G_SOURCE_CONTINUE;
}

static void
on_atom(Sensor *self, void *reply, guint32 index)
{
	xcb_intern_atom_reply_t *atom = reply;

	if (atom == NULL)
		return;         /* cannot fail but by a broken connection: process() sees that */
	self->atoms[index] = atom->atom;
	if (index + 1 < N_ATOMS)
		return;
	self->ready = TRUE;
	read_active(self);
}

/* Reads when a reminder falls due ------------------------------------------------------------ */

static void
answer(Check *check)
{
	GbHoldCheckFunc done = check->done;
	gpointer user_data = check->user_data;
	gboolean on = check->on;

	g_clear_handle_id(&check->timeout_id, g_source_remove);
	g_ptr_array_remove_fast(check->sensor->checks, check);
	g_free(check);
	/* last: it may free the sensor */
	done(on, user_data);
}

static gboolean
on_answer_idle(gpointer user_data)
{
	Check *check = user_data;

	check->idle_id = 0;
	answer(check);
	return G_SOURCE_REMOVE;
}

/* From an idle source: done() may free the sensor, which must not happen under process(). */
static void
answer_later(Check *check, gboolean on)
{
	g_clear_handle_id(&check->timeout_id, g_source_remove);
	check->on = on;
	check->idle_id = g_idle_add(on_answer_idle, check);
}

static gboolean
on_check_timeout(gpointer user_data)
{
	Check *check = user_data;

	check->timeout_id = 0;
	g_debug("check: no answer from the X server in %d ms: the state as last known",
	        CHECK_TIMEOUT_MS);
	check->on = check->sensor->fullscreen;
	answer(check);
	return G_SOURCE_REMOVE;
}

/* Every reply the check asked for is in, and handled as any read: the state is known. Not
 * found: it timed out. */
static void
on_check_done(Sensor *self, void *reply, guint32 id)
{
	(void) reply;
	for (guint i = 0; i < self->checks->len; i++) {
		Check *check = g_ptr_array_index(self->checks, i);

		if (check->id == id && check->idle_id == 0)
			answer_later(check, self->fullscreen);
	}
}

static void
on_check_active(Sensor *self, void *reply, guint32 id)
{
	xcb_window_t before = self->active;

	on_active(self, reply, self->root);
	/* a new active window's state is read by set_active() */
	if (self->active != XCB_NONE && self->active == before)
		read_state(self);
	/* answered in the order sent: its reply comes after those of the reads */
	expect(self, xcb_get_input_focus(self->conn).sequence, on_check_done, id);
}

void
gb_hold_x11_fullscreen_check(GbHoldX11Fullscreen *self, GbHoldCheckFunc done,
                             gpointer user_data)
{
	Check *check;

	g_return_if_fail(self != NULL);
	g_return_if_fail(done != NULL);

	check = g_new0(Check, 1);
	check->sensor = self;
	check->done = done;
	check->user_data = user_data;
	g_ptr_array_add(self->checks, check);
	/* not connected (yet, or any more), or the atoms not in yet: what is known */
	if (self->fd_id == 0 || !self->ready) {
		answer_later(check, self->fullscreen);
		return;
	}
	check->id = ++self->last_check_id;
	check->timeout_id = g_timeout_add(CHECK_TIMEOUT_MS, on_check_timeout, check);
	expect(self, xcb_get_property(self->conn, FALSE, self->root,
	                              self->atoms[NET_ACTIVE_WINDOW], XCB_ATOM_WINDOW, 0, 1)
	               .sequence, on_check_active, check->id);
	xcb_flush(self->conn);
}

/* Connecting ------------------------------------------------------------------------------- */

static void
on_connected(xcb_connection_t *conn, xcb_window_t root, gpointer user_data)
{
	Sensor *self = user_data;

	self->connecting = NULL;
	if (conn == NULL) {
		g_message("fullscreen hold off: cannot open X display: '%s'", self->display_name);
		return;
	}
	self->conn = conn;
	self->root = root;
	self->fd_id = g_unix_fd_add(xcb_get_file_descriptor(conn), G_IO_IN | G_IO_HUP | G_IO_ERR,
	                            on_x_fd, self);
	g_source_set_name_by_id(self->fd_id, "[glutebreak] fullscreen x11 connection");
	/* root events before the first read of _NET_ACTIVE_WINDOW: no change is missed */
	select_events(self, self->root, XCB_EVENT_MASK_PROPERTY_CHANGE);
	for (guint32 i = 0; i < N_ATOMS; i++)
		expect(self, xcb_intern_atom(conn, FALSE, strlen(atom_names[i]), atom_names[i])
		               .sequence, on_atom, i);
	process(self, FALSE);
}

GbHoldX11Fullscreen *
gb_hold_x11_fullscreen_new(GbHold *hold, GError **error)
{
	const char *wayland = g_getenv("WAYLAND_DISPLAY");
	const char *name = g_getenv("DISPLAY");
	g_autoptr(GError) local_error = NULL;
	Sensor *self;

	g_return_val_if_fail(hold != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (wayland != NULL && *wayland != '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_FAILED,
		                    "WAYLAND_DISPLAY is set: under XWayland the X11 fullscreen "
		                    "sensor would only see X11 windows (mutter reports a Wayland "
		                    "window's focus as none)");
		return NULL;
	}
	if (name == NULL || *name == '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_FAILED, "DISPLAY is not set");
		return NULL;
	}

	self = g_new0(Sensor, 1);
	self->hold = hold;
	self->display_name = g_strdup(name);
	self->pending = g_array_new(FALSE, FALSE, sizeof(Pending));
	self->checks = g_ptr_array_new();
	self->connecting = gb_x11_connect_start(name, on_connected, self, &local_error);
	if (self->connecting == NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "cannot connect to the X server: '%s'", local_error->message);
		gb_hold_x11_fullscreen_free(self);
		return NULL;
	}
	return self;
}

void
gb_hold_x11_fullscreen_free(GbHoldX11Fullscreen *self)
{
	if (self == NULL)
		return;
	if (self->connecting != NULL)
		gb_x11_connect_cancel(self->connecting);
	g_clear_handle_id(&self->fd_id, g_source_remove);
	/* the server drops our event selections with the connection */
	g_clear_pointer(&self->conn, xcb_disconnect);
	g_clear_pointer(&self->pending, g_array_unref);
	for (guint i = 0; i < self->checks->len; i++) {
		Check *check = g_ptr_array_index(self->checks, i);

		g_clear_handle_id(&check->timeout_id, g_source_remove);
		g_clear_handle_id(&check->idle_id, g_source_remove);
		g_free(check);
	}
	g_ptr_array_unref(self->checks);
	g_free(self->wm_class);
	g_free(self->display_name);
	g_free(self);
}

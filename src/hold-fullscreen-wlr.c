/* SPDX-License-Identifier: MIT */
/* Fullscreen hold on wlroots compositors (reference/dnd-and-meetings.md §2), through
 * zwlr_foreign_toplevel_manager_v1, the protocol taskbars use: holds while a window is both
 * focused and fullscreen, named by its app_id.
 *
 * For the docs: on sway, Hyprland, labwc, river, niri, wayfire and the other compositors that
 * offer wlr-foreign-toplevel-management (version 2 or later), a reminder is held while the
 * focused window is fullscreen: a video, a game, a presentation. A fullscreen window that does
 * not have focus (another window or workspace is focused) does not hold. GNOME on Wayland has
 * no API for it at all (GNOME Shell queues its banners over a fullscreen window by itself);
 * KDE's window protocol is restricted to trusted clients, but from Plasma 6.4 on Plasma's
 * do-not-disturb covers fullscreen windows, and the do-not-disturb hold sees that. COSMIC's
 * own toplevel protocol is not read. On X11 the X11 sensor looks at the window manager's
 * _NET_WM_STATE instead.
 *
 * Its own wl_display connection: the Wayland idle backend has one too, but the idle source
 * has its own lifetime (the daemon probes it again after a failure) and may be another
 * backend altogether (Mutter, logind), so this sensor does not borrow it. The cost is one
 * socket and a list of toplevels.
 *
 * Never waiting on the compositor: new() connects, asks for the registry and a wl_display.sync
 * and returns; the sync's done (by then every global has been announced) binds the manager,
 * or turns the sensor off, from the main loop. Events are read when the socket is readable and
 * dispatched without blocking; requests are flushed without waiting (a full socket waits for
 * G_IO_OUT). A stopped compositor therefore stops the sensor's news, never the main loop.
 * Only connect() is synchronous: a stopped compositor's listening socket still accepts.
 *
 * A handle's state is double-buffered: app_id and state events apply at its done. A handle
 * closed is gone; a compositor gone (or one that withdraws the manager) turns the sensor off
 * and releases the hold, with a g_info, and the socket is closed, so nothing spins. */
#include <errno.h>
#include <glib-unix.h>
#include <wayland-client.h>

#include "errors.h"
#include "hold-fullscreen-wlr.h"
#include "protocols/wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"

/* the highest version our XML (src/protocols/) knows, and the first with a fullscreen state */
#define MANAGER_VERSION 3u
#define MANAGER_MIN_VERSION 2u

typedef struct {
	GbHoldWlrFullscreen *sensor;
	struct zwlr_foreign_toplevel_handle_v1 *handle;
	char *app_id;           /* as sent, pending until done */
	gboolean pending;       /* activated and fullscreen as sent, pending until done */
	char *done_app_id;      /* at the last done */
	gboolean holds;         /* activated and fullscreen at the last done */
} Toplevel;

struct _GbHoldWlrFullscreen {
	GbHold *hold;
	char *name;             /* WAYLAND_DISPLAY, for messages */
	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_callback *sync;       /* new()'s wl_display.sync, until done */
	uint32_t manager_global;
	uint32_t manager_version;
	struct zwlr_foreign_toplevel_manager_v1 *manager;
	GPtrArray *toplevels;   /* Toplevel, owned */

	char *off;              /* why the sensor stopped, or NULL while it runs */
	gboolean broken;        /* the connection is unusable: nothing more to send */
	guint in_id;
	guint out_id;           /* the socket was full: flush once it is writable */
};

static gboolean on_writable(int fd, GIOCondition condition, gpointer user_data);

/* Stops the sensor (once) and says why; the hold is released. The connection itself is closed
 * by the main loop callback that got us here (shut_down()), never inside a dispatch. */
static void
turn_off(GbHoldWlrFullscreen *self, char *why)
{
	if (self->off != NULL) {
		g_free(why);
		return;
	}
	self->off = why;
	g_info("fullscreen hold off: %s", why);
	g_ptr_array_set_size(self->toplevels, 0);
	g_clear_pointer(&self->manager, zwlr_foreign_toplevel_manager_v1_destroy);
	gb_hold_set(self->hold, GB_HOLD_FULLSCREEN, FALSE, NULL);
}

static void
connection_broke(GbHoldWlrFullscreen *self, const char *what)
{
	int code = wl_display_get_error(self->display);

	self->broken = TRUE;
	if (code == EPROTO) {
		const struct wl_interface *interface = NULL;
		uint32_t id = 0;
		uint32_t error = wl_display_get_protocol_error(self->display, &interface, &id);

		g_message("fullscreen hold: wayland protocol error %u on '%s@%u'", error,
		          interface != NULL ? interface->name : "?", id);
	}
	turn_off(self, g_strdup_printf("lost the Wayland compositor: '%s' (%s: %s)", self->name,
	                               what, g_strerror(code != 0 ? code : EPIPE)));
}

static void
wait_writable(GbHoldWlrFullscreen *self)
{
	self->out_id = g_unix_fd_add(wl_display_get_fd(self->display), G_IO_OUT, on_writable, self);
	g_source_set_name_by_id(self->out_id, "[glutebreak] wlr fullscreen flush");
}

/* Sends what libwayland buffered, without waiting. */
static void
flush(GbHoldWlrFullscreen *self)
{
	if (self->broken || self->out_id != 0)
		return;
	if (wl_display_flush(self->display) >= 0)
		return;
	if (errno == EAGAIN)
		wait_writable(self);
	else
		connection_broke(self, "cannot write");
}

/* Once off, closes the connection: no source is left that could fire again. */
static void
shut_down(GbHoldWlrFullscreen *self)
{
	g_clear_handle_id(&self->in_id, g_source_remove);
	g_clear_handle_id(&self->out_id, g_source_remove);
	g_ptr_array_set_size(self->toplevels, 0);
	g_clear_pointer(&self->manager, zwlr_foreign_toplevel_manager_v1_destroy);
	g_clear_pointer(&self->sync, wl_callback_destroy);
	g_clear_pointer(&self->registry, wl_registry_destroy);
	if (self->display != NULL) {
		/* the destructors above, if anyone still listens; the compositor cleans up
		 * after our disconnect anyway */
		if (!self->broken)
			wl_display_flush(self->display);
		wl_display_disconnect(self->display);
		self->display = NULL;
	}
}

/* The hold: the first toplevel that was activated and fullscreen at its last done. One seat
 * has one activated toplevel; with several seats, any of them holds. */
static void
report(GbHoldWlrFullscreen *self)
{
	for (guint i = 0; i < self->toplevels->len; i++) {
		Toplevel *toplevel = g_ptr_array_index(self->toplevels, i);

		if (toplevel->holds) {
			gb_hold_set(self->hold, GB_HOLD_FULLSCREEN, TRUE, toplevel->done_app_id);
			return;
		}
	}
	gb_hold_set(self->hold, GB_HOLD_FULLSCREEN, FALSE, NULL);
}

/* Toplevels --------------------------------------------------------------------------------- */

static void
toplevel_free(gpointer data)
{
	Toplevel *toplevel = data;

	zwlr_foreign_toplevel_handle_v1_destroy(toplevel->handle);
	g_free(toplevel->app_id);
	g_free(toplevel->done_app_id);
	g_free(toplevel);
}

static void
on_title(void *data, struct zwlr_foreign_toplevel_handle_v1 *handle, const char *title)
{
	(void) data;
	(void) handle;
	(void) title;
}

static void
on_app_id(void *data, struct zwlr_foreign_toplevel_handle_v1 *handle, const char *app_id)
{
	Toplevel *toplevel = data;

	(void) handle;
	g_free(toplevel->app_id);
	toplevel->app_id = g_strdup(app_id);
}

/* Not sent: we bind no wl_output. */
static void
on_output(void *data, struct zwlr_foreign_toplevel_handle_v1 *handle, struct wl_output *output)
{
	(void) data;
	(void) handle;
	(void) output;
}

static void
on_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *handle, struct wl_array *state)
{
	Toplevel *toplevel = data;
	gboolean activated = FALSE;
	gboolean fullscreen = FALSE;
	const uint32_t *entry;

	(void) handle;
	wl_array_for_each(entry, state) {
		if (*entry == ZWLR_FOREIGN_TOPLEVEL_HANDLE_V1_STATE_ACTIVATED)
			activated = TRUE;
		else if (*entry == ZWLR_FOREIGN_TOPLEVEL_HANDLE_V1_STATE_FULLSCREEN)
			fullscreen = TRUE;
	}
	toplevel->pending = activated && fullscreen;
}

static void
on_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *handle)
{
	Toplevel *toplevel = data;

	(void) handle;
	toplevel->holds = toplevel->pending;
	g_free(toplevel->done_app_id);
	toplevel->done_app_id = g_strdup(toplevel->app_id);
	g_debug("fullscreen (wlroots): '%s'%s", toplevel->app_id != NULL ? toplevel->app_id : "",
	        toplevel->holds ? " focused and fullscreen" : "");
	report(toplevel->sensor);
}

static void
on_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *handle)
{
	Toplevel *toplevel = data;
	GbHoldWlrFullscreen *self = toplevel->sensor;

	(void) handle;
	/* destroys the handle in its own event handler, which libwayland allows */
	g_ptr_array_remove(self->toplevels, toplevel);
	report(self);
}

static void
on_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *handle,
          struct zwlr_foreign_toplevel_handle_v1 *parent)
{
	(void) data;
	(void) handle;
	(void) parent;
}

static const struct zwlr_foreign_toplevel_handle_v1_listener toplevel_listener = {
	.title = on_title,
	.app_id = on_app_id,
	.output_enter = on_output,
	.output_leave = on_output,
	.state = on_state,
	.done = on_done,
	.closed = on_closed,
	.parent = on_parent,
};

/* Manager ----------------------------------------------------------------------------------- */

static void
on_toplevel(void *data, struct zwlr_foreign_toplevel_manager_v1 *manager,
            struct zwlr_foreign_toplevel_handle_v1 *handle)
{
	GbHoldWlrFullscreen *self = data;
	Toplevel *toplevel = g_new0(Toplevel, 1);

	(void) manager;
	toplevel->sensor = self;
	toplevel->handle = handle;
	zwlr_foreign_toplevel_handle_v1_add_listener(handle, &toplevel_listener, toplevel);
	g_ptr_array_add(self->toplevels, toplevel);
}

static void
on_finished(void *data, struct zwlr_foreign_toplevel_manager_v1 *manager)
{
	GbHoldWlrFullscreen *self = data;

	(void) manager;
	turn_off(self, g_strdup_printf("the compositor withdrew "
	                               "zwlr_foreign_toplevel_manager_v1: '%s'", self->name));
}

static const struct zwlr_foreign_toplevel_manager_v1_listener manager_listener = {
	.toplevel = on_toplevel,
	.finished = on_finished,
};

/* Registry ---------------------------------------------------------------------------------- */

/* Only notes the manager: on_registry_done() binds it once every global was announced. */
static void
on_global(void *data, struct wl_registry *registry, uint32_t name, const char *interface,
          uint32_t version)
{
	GbHoldWlrFullscreen *self = data;

	(void) registry;
	if (g_str_equal(interface, zwlr_foreign_toplevel_manager_v1_interface.name) &&
	    self->manager_global == 0) {
		self->manager_global = name;
		self->manager_version = version;
	}
}

static void
on_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
	GbHoldWlrFullscreen *self = data;

	(void) registry;
	if (self->manager != NULL && name == self->manager_global)
		turn_off(self, g_strdup_printf("the compositor removed "
		                               "zwlr_foreign_toplevel_manager_v1: '%s'", self->name));
}

static const struct wl_registry_listener registry_listener = {
	.global = on_global,
	.global_remove = on_global_remove,
};

static void
on_registry_done(void *data, struct wl_callback *callback, uint32_t serial)
{
	GbHoldWlrFullscreen *self = data;
	uint32_t version = MIN(self->manager_version, MANAGER_VERSION);

	(void) serial;
	wl_callback_destroy(callback);
	self->sync = NULL;
	if (self->manager_global == 0) {
		/* GNOME, KDE, COSMIC, weston */
		turn_off(self, g_strdup_printf("the compositor offers no "
		                               "zwlr_foreign_toplevel_manager_v1: '%s'", self->name));
		return;
	}
	if (version < MANAGER_MIN_VERSION) {
		turn_off(self, g_strdup_printf("the compositor offers "
		                               "zwlr_foreign_toplevel_manager_v1 version %u, "
		                               "fullscreen needs %u: '%s'", version,
		                               MANAGER_MIN_VERSION, self->name));
		return;
	}
	self->manager = wl_registry_bind(self->registry, self->manager_global,
	                                 &zwlr_foreign_toplevel_manager_v1_interface, version);
	zwlr_foreign_toplevel_manager_v1_add_listener(self->manager, &manager_listener, self);
	g_info("fullscreen hold: zwlr_foreign_toplevel_manager_v1 version %u on '%s'", version,
	       self->name);
}

static const struct wl_callback_listener registry_done_listener = {
	.done = on_registry_done,
};

/* Main loop --------------------------------------------------------------------------------- */

/* Reads what the compositor sent, if anything, and dispatches it; never blocks: the socket
 * is readable (read_events() reads what is there) and nothing else reads this display. */
static void
read_events(GbHoldWlrFullscreen *self, GIOCondition condition)
{
	if (condition & G_IO_IN) {
		/* prepare_read fails while events wait in the queue: dispatch those first */
		while (wl_display_prepare_read(self->display) != 0) {
			if (wl_display_dispatch_pending(self->display) < 0) {
				connection_broke(self, "cannot dispatch");
				return;
			}
		}
		if (wl_display_read_events(self->display) < 0) {
			/* the end of the stream too: libwayland makes it EPIPE */
			connection_broke(self, "cannot read");
			return;
		}
	}
	if (wl_display_dispatch_pending(self->display) < 0) {
		connection_broke(self, "cannot dispatch");
		return;
	}
	/* a hang-up or an error without data to read */
	if ((condition & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) && !(condition & G_IO_IN)) {
		connection_broke(self, "hung up");
		return;
	}
	/* handlers made requests (a bind, a handle destroyed) */
	flush(self);
}

static gboolean
on_readable(int fd, GIOCondition condition, gpointer user_data)
{
	GbHoldWlrFullscreen *self = user_data;

	(void) fd;
	read_events(self, condition);
	if (self->off == NULL)
		return G_SOURCE_CONTINUE;
	self->in_id = 0;        /* removed by returning */
	shut_down(self);
	return G_SOURCE_REMOVE;
}

static gboolean
on_writable(int fd, GIOCondition condition, gpointer user_data)
{
	GbHoldWlrFullscreen *self = user_data;

	(void) fd;
	(void) condition;
	self->out_id = 0;
	flush(self);    /* adds this source again if the socket is still full */
	if (self->off != NULL)
		shut_down(self);
	return G_SOURCE_REMOVE;
}

/* API --------------------------------------------------------------------------------------- */

GbHoldWlrFullscreen *
gb_hold_wlr_fullscreen_new(GbHold *hold, GError **error)
{
	const char *name = g_getenv("WAYLAND_DISPLAY");
	g_autoptr(GbHoldWlrFullscreen) self = NULL;
	int saved_errno;

	g_return_val_if_fail(hold != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (name == NULL || *name == '\0') {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_FAILED, "WAYLAND_DISPLAY is not set");
		return NULL;
	}
	self = g_new0(GbHoldWlrFullscreen, 1);
	self->hold = hold;
	self->name = g_strdup(name);
	self->toplevels = g_ptr_array_new_with_free_func(toplevel_free);
	self->display = wl_display_connect(NULL);
	if (self->display == NULL) {
		saved_errno = errno;
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "cannot connect to the Wayland compositor: '%s' (%s)", self->name,
		            g_strerror(saved_errno));
		return NULL;
	}
	self->registry = wl_display_get_registry(self->display);
	wl_registry_add_listener(self->registry, &registry_listener, self);
	/* the globals arrive before the sync's done, which decides */
	self->sync = wl_display_sync(self->display);
	wl_callback_add_listener(self->sync, &registry_done_listener, self);
	self->in_id = g_unix_fd_add(wl_display_get_fd(self->display),
	                            G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, self);
	g_source_set_name_by_id(self->in_id, "[glutebreak] wlr fullscreen");
	/* A socket that is full waits for G_IO_OUT; one that broke reads as hung up, and that
	 * is reported from the main loop, never from here. */
	if (wl_display_flush(self->display) < 0 && errno == EAGAIN)
		wait_writable(self);
	return g_steal_pointer(&self);
}

void
gb_hold_wlr_fullscreen_free(GbHoldWlrFullscreen *self)
{
	if (self == NULL)
		return;
	shut_down(self);
	g_ptr_array_unref(self->toplevels);
	g_free(self->name);
	g_free(self->off);
	g_free(self);
}

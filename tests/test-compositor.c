/* SPDX-License-Identifier: MIT */
/* A Wayland compositor with nothing but idle notifications, for what no real compositor in
 * Debian 12 offers: ext-idle-notify-v1 version 2 (get_input_idle_notification).
 *
 * Globals: wl_seat (version 1, no capabilities) and ext_idle_notifier_v1 (version 2). Every
 * notification has a real timer; it goes idle after its timeout without input, and resumes on
 * the next input. An idle inhibitor, like a playing video, keeps get_idle_notification objects
 * from going idle, but not get_input_idle_notification ones. Like KWin and sway, an inhibitor
 * that comes while a notification is already idle sends no resumed; when it goes, the timers
 * start again from the full timeout.
 *
 * Prints "ready SOCKET" once it listens (in $XDG_RUNTIME_DIR), then reads commands on stdin,
 * each answered with one line:
 *   input            user activity: resumed to idle notifications, every timer restarts -> ok
 *   inhibit on|off   an idle inhibitor appears or goes away -> ok
 *   status           -> "notifications N input-idle M idle K" (live objects; how many of them
 *                       are input-idle ones; how many are idle now)
 *   quit             exits (so does the end of input)
 * Anything else gets "error: ...". */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <wayland-server.h>

#include "tests/protocols/ext-idle-notify-v1-server-protocol.h"

#define SEAT_VERSION 1
#define NOTIFIER_VERSION 2

typedef struct {
	struct wl_display *display;
	struct wl_list notifications;   /* Notification.link */
	gboolean inhibited;
	GString *input;                 /* stdin, not yet a whole line */
} Compositor;

typedef struct {
	Compositor *compositor;
	struct wl_resource *resource;
	struct wl_event_source *timer;
	struct wl_list link;
	guint32 timeout_ms;
	gboolean input_only;            /* get_input_idle_notification: ignores inhibitors */
	gboolean idle;
} Notification;

/* Notifications ------------------------------------------------------------------------------ */

static gboolean
blocked(const Notification *self)
{
	return self->compositor->inhibited && !self->input_only;
}

/* A full timeout from now, unless an inhibitor holds this notification. */
static void
arm(Notification *self)
{
	/* 0 would disarm the timer: a zero timeout goes idle at once */
	wl_event_source_timer_update(self->timer,
	                             blocked(self) ? 0 : (int) MAX(self->timeout_ms, 1));
}

static int
on_timeout(void *data)
{
	Notification *self = data;

	if (!self->idle && !blocked(self)) {
		self->idle = TRUE;
		ext_idle_notification_v1_send_idled(self->resource);
	}
	return 0;
}

static void
on_notification_destroyed(struct wl_resource *resource)
{
	Notification *self = wl_resource_get_user_data(resource);

	wl_list_remove(&self->link);
	wl_event_source_remove(self->timer);
	g_free(self);
}

static void
handle_destroy(struct wl_client *client, struct wl_resource *resource)
{
	(void) client;
	wl_resource_destroy(resource);
}

static const struct ext_idle_notification_v1_interface notification_impl = {
	.destroy = handle_destroy,
};

static void
create_notification(struct wl_client *client, struct wl_resource *notifier, uint32_t id,
                    uint32_t timeout_ms, gboolean input_only)
{
	Compositor *compositor = wl_resource_get_user_data(notifier);
	Notification *self;
	struct wl_resource *resource;

	resource = wl_resource_create(client, &ext_idle_notification_v1_interface,
	                              wl_resource_get_version(notifier), id);
	if (resource == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	self = g_new0(Notification, 1);
	self->compositor = compositor;
	self->resource = resource;
	self->timeout_ms = timeout_ms;
	self->input_only = input_only;
	self->timer = wl_event_loop_add_timer(wl_display_get_event_loop(compositor->display),
	                                      on_timeout, self);
	wl_list_insert(&compositor->notifications, &self->link);
	wl_resource_set_implementation(resource, &notification_impl, self,
	                               on_notification_destroyed);
	arm(self);
}

static void
handle_get_idle_notification(struct wl_client *client, struct wl_resource *resource, uint32_t id,
                             uint32_t timeout, struct wl_resource *seat)
{
	(void) seat;
	create_notification(client, resource, id, timeout, FALSE);
}

static void
handle_get_input_idle_notification(struct wl_client *client, struct wl_resource *resource,
                                   uint32_t id, uint32_t timeout, struct wl_resource *seat)
{
	(void) seat;
	create_notification(client, resource, id, timeout, TRUE);
}

static const struct ext_idle_notifier_v1_interface notifier_impl = {
	.destroy = handle_destroy,
	.get_idle_notification = handle_get_idle_notification,
	.get_input_idle_notification = handle_get_input_idle_notification,
};

static void
bind_notifier(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client, &ext_idle_notifier_v1_interface,
	                                                  (int) version, id);

	if (resource == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &notifier_impl, data, NULL);
}

/* wl_seat without capabilities: nothing to get from it ------------------------------------- */

static void
handle_get_device(struct wl_client *client, struct wl_resource *resource, uint32_t id)
{
	(void) client;
	(void) id;
	wl_resource_post_error(resource, WL_DISPLAY_ERROR_INVALID_METHOD,
	                       "this seat has no input devices");
}

static const struct wl_seat_interface seat_impl = {
	.get_pointer = handle_get_device,
	.get_keyboard = handle_get_device,
	.get_touch = handle_get_device,
};

static void
bind_seat(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *resource = wl_resource_create(client, &wl_seat_interface, (int) version,
	                                                  id);

	(void) data;
	if (resource == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &seat_impl, NULL, NULL);
	wl_seat_send_capabilities(resource, 0);
}

/* Commands ------------------------------------------------------------------------------------ */

static void
user_input(Compositor *self)
{
	Notification *notification;

	wl_list_for_each(notification, &self->notifications, link) {
		if (notification->idle) {
			notification->idle = FALSE;
			ext_idle_notification_v1_send_resumed(notification->resource);
		}
		arm(notification);
	}
}

static void
set_inhibited(Compositor *self, gboolean inhibited)
{
	Notification *notification;

	if (self->inhibited == inhibited)
		return;
	self->inhibited = inhibited;
	/* holds or releases the timers of the ones not idle yet */
	wl_list_for_each(notification, &self->notifications, link) {
		if (!notification->idle)
			arm(notification);
	}
}

/* FALSE: quit */
static gboolean
run_command(Compositor *self, const char *command)
{
	if (g_str_equal(command, "quit"))
		return FALSE;
	if (g_str_equal(command, "input")) {
		user_input(self);
		printf("ok\n");
	} else if (g_str_equal(command, "inhibit on") || g_str_equal(command, "inhibit off")) {
		set_inhibited(self, g_str_equal(command, "inhibit on"));
		printf("ok\n");
	} else if (g_str_equal(command, "status")) {
		Notification *notification;
		int count = 0, input_only = 0, idle = 0;

		wl_list_for_each(notification, &self->notifications, link) {
			count++;
			input_only += notification->input_only;
			idle += notification->idle;
		}
		printf("notifications %d input-idle %d idle %d\n", count, input_only, idle);
	} else {
		printf("error: unknown command: '%s'\n", command);
	}
	/* the events go out before the answer does */
	wl_display_flush_clients(self->display);
	fflush(stdout);
	return TRUE;
}

static int
on_stdin(int fd, uint32_t mask, void *data)
{
	Compositor *self = data;
	char buffer[256];
	char *newline;
	ssize_t n;

	(void) mask;
	n = read(fd, buffer, sizeof(buffer));
	if (n <= 0) {
		wl_display_terminate(self->display);
		return 0;
	}
	g_string_append_len(self->input, buffer, n);
	while ((newline = strchr(self->input->str, '\n')) != NULL) {
		g_autofree char *command = g_strndup(self->input->str,
		                                     (gsize) (newline - self->input->str));

		g_string_erase(self->input, 0, newline - self->input->str + 1);
		if (!run_command(self, g_strstrip(command))) {
			wl_display_terminate(self->display);
			break;
		}
	}
	return 0;
}

int
main(void)
{
	Compositor self = { 0 };
	struct wl_event_source *commands;
	const char *socket;

	self.display = wl_display_create();
	self.input = g_string_new(NULL);
	wl_list_init(&self.notifications);
	socket = wl_display_add_socket_auto(self.display);
	if (socket == NULL) {
		fprintf(stderr, "test-compositor: cannot listen (is XDG_RUNTIME_DIR set?)\n");
		return 1;
	}
	if (wl_global_create(self.display, &wl_seat_interface, SEAT_VERSION, NULL,
	                     bind_seat) == NULL ||
	    wl_global_create(self.display, &ext_idle_notifier_v1_interface, NOTIFIER_VERSION,
	                     &self, bind_notifier) == NULL) {
		fprintf(stderr, "test-compositor: cannot create the globals\n");
		return 1;
	}
	commands = wl_event_loop_add_fd(wl_display_get_event_loop(self.display), STDIN_FILENO,
	                                WL_EVENT_READABLE, on_stdin, &self);
	printf("ready %s\n", socket);
	fflush(stdout);
	wl_display_run(self.display);
	/* disconnects the clients: their notifications go with them */
	wl_display_destroy_clients(self.display);
	wl_event_source_remove(commands);
	wl_display_destroy(self.display);
	g_string_free(self.input, TRUE);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* [hold] camera: a camera in use by inotify on DIR/video* (reference/dnd-and-meetings.md §3).
 * Each node is watched for opens and closes, and DIR for nodes coming and going. inotify
 * merges identical unread events, so opens and closes are never counted: after each batch of
 * events the real state is read from /proc/PID/fd (which of the user's processes hold a node
 * open). A camera holds only once it has stayed open for the settle time, which a one-shot
 * timer measures while an open is pending (so a prober's open of a moment never holds, and
 * nothing wakes up while the camera is closed or in use); it stops holding at once when the
 * last holder closes it. The detail is the holder's name (/proc/PID/comm).
 *
 * For the docs: catches any program that opens a video device directly (browsers, Zoom, Teams,
 * Cheese, OBS) and PipeWire itself while it streams a camera for an app, on every desktop, as
 * long as the user may read the device (the seat's user normally may). It misses cameras held
 * by another user's or a system process (their /proc/PID/fd is not readable), cameras that do
 * not appear as /dev/video* (some IP or virtual cameras), and a camera opened for less than
 * the settle time (3 s). It also holds for a camera that is open but not in a call (a preview
 * window, an app that keeps the device open in the background). */
#include "hold-camera.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>
#include <glib-unix.h>

#define NODE_MASK (IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)
/* IN_ATTRIB: udev grants the seat's user access (an ACL) just after the node appears */
#define DIR_MASK (IN_CREATE | IN_DELETE | IN_ATTRIB | IN_ONLYDIR)

struct _GbHoldCamera {
	GbHold *hold;
	char *dir;           /* DIR with symlinks resolved, as /proc/PID/fd links name the nodes */
	char *prefix;        /* dir + "/video" */
	gint64 settle_us;
	int inotify_fd;
	guint inotify_id;
	int dir_wd;          /* -1: DIR is not watched */
	GHashTable *nodes;   /* watch descriptor → node path (owned) */
	guint settle_id;     /* one-shot, while a camera is open but does not hold yet */
	gboolean on;
	char *holder;        /* the detail, or NULL */
};

static gboolean
is_video_node(const char *name)
{
	if (!g_str_has_prefix(name, "video") || name[5] == '\0')
		return FALSE;
	for (const char *c = name + 5; *c != '\0'; c++)
		if (!g_ascii_isdigit(*c))
			return FALSE;
	return TRUE;
}

/* The watch descriptor of node @path, or -1 */
static int
find_watch(GbHoldCamera *self, const char *path)
{
	GHashTableIter iter;
	gpointer wd, node;

	g_hash_table_iter_init(&iter, self->nodes);
	while (g_hash_table_iter_next(&iter, &wd, &node))
		if (g_str_equal(node, path))
			return GPOINTER_TO_INT(wd);
	return -1;
}

static gboolean
is_watched(GbHoldCamera *self, const char *path)
{
	return find_watch(self, path) >= 0;
}

static void
watch_node(GbHoldCamera *self, const char *name)
{
	g_autofree char *path = g_build_filename(self->dir, name, NULL);
	int wd;

	if (is_watched(self, path))
		return;
	wd = inotify_add_watch(self->inotify_fd, path, NODE_MASK);
	if (wd < 0) {
		int saved_errno = errno;

		/* EACCES: not the seat's user, or udev has not granted access yet (IN_ATTRIB
		 * comes when it does); ENOENT: gone again */
		if (saved_errno != ENOENT)
			g_info("camera '%s' is not watched: %s", path, g_strerror(saved_errno));
		return;
	}
	g_debug("watching camera '%s'", path);
	g_hash_table_replace(self->nodes, GINT_TO_POINTER(wd), g_steal_pointer(&path));
}

/* A node that goes: its own watch would end only when its last holder closes it (IN_IGNORED),
 * and a new node of the same name may come first. */
static void
unwatch_node(GbHoldCamera *self, const char *name)
{
	g_autofree char *path = g_build_filename(self->dir, name, NULL);
	int wd = find_watch(self, path);

	if (wd < 0)
		return;
	g_debug("camera '%s' is gone", path);
	inotify_rm_watch(self->inotify_fd, wd);
	g_hash_table_remove(self->nodes, GINT_TO_POINTER(wd));
}

static void
watch_nodes(GbHoldCamera *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open(self->dir, 0, &error);
	const char *name;

	if (dir == NULL) {
		g_info("no cameras: %s", error->message);
		return;
	}
	while ((name = g_dir_read_name(dir)) != NULL)
		if (is_video_node(name))
			watch_node(self, name);
}

/* Whether process @pid (a /proc entry) holds a watched node open. FALSE for another user's
 * process: its fd directory is not readable. */
static gboolean
holds_node(GbHoldCamera *self, const char *pid)
{
	g_autofree char *fd_dir = g_build_filename("/proc", pid, "fd", NULL);
	g_autoptr(GDir) fds = g_dir_open(fd_dir, 0, NULL);
	const char *fd;

	if (fds == NULL)
		return FALSE;
	while ((fd = g_dir_read_name(fds)) != NULL) {
		char link[64], target[PATH_MAX];
		ssize_t n;

		g_snprintf(link, sizeof(link), "%s/%s", fd_dir, fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (g_str_has_prefix(target, self->prefix) && is_watched(self, target))
			return TRUE;
	}
	return FALSE;
}

/* The name of the first of the user's processes that holds a camera open ("" if its name is
 * unknown), or NULL when none does. Caller frees. */
static char *
find_holder(GbHoldCamera *self)
{
	g_autoptr(GDir) proc = NULL;
	const char *pid;

	if (g_hash_table_size(self->nodes) == 0)
		return NULL;
	proc = g_dir_open("/proc", 0, NULL);
	if (proc == NULL)
		return NULL;
	while ((pid = g_dir_read_name(proc)) != NULL) {
		g_autofree char *comm_path = NULL;
		char *comm = NULL;

		if (!g_ascii_isdigit(pid[0]) || !holds_node(self, pid))
			continue;
		comm_path = g_build_filename("/proc", pid, "comm", NULL);
		if (!g_file_get_contents(comm_path, &comm, NULL, NULL))
			return g_strdup("");
		return g_strchomp(comm);
	}
	return NULL;
}

static void
set_state(GbHoldCamera *self, gboolean on, const char *holder)
{
	if (on == self->on && g_strcmp0(holder, self->holder) == 0)
		return;
	if (on && !self->on)
		g_info("camera in use by '%s'", holder);
	else if (!on && self->on)
		g_info("camera closed");
	self->on = on;
	g_free(self->holder);
	self->holder = on && *holder != '\0' ? g_strdup(holder) : NULL;
	gb_hold_set(self->hold, GB_HOLD_CAMERA, on, self->holder);
}

static gboolean
on_settled(gpointer user_data)
{
	GbHoldCamera *self = user_data;
	g_autofree char *holder = find_holder(self);

	self->settle_id = 0;
	if (holder != NULL)
		set_state(self, TRUE, holder);
	else
		g_debug("camera closed within the settle time");
	return G_SOURCE_REMOVE;
}

/* Reads the real state after a batch of events. @closed: the batch had a close, so a camera
 * that does not hold yet starts its settle time again (it was not open all along). */
static void
recheck(GbHoldCamera *self, gboolean closed)
{
	g_autofree char *holder = find_holder(self);

	if (holder == NULL) {
		if (self->settle_id != 0)
			g_debug("camera closed within the settle time");
		g_clear_handle_id(&self->settle_id, g_source_remove);
		set_state(self, FALSE, NULL);
		return;
	}
	if (self->on) {
		set_state(self, TRUE, holder);  /* the holder may be another one now */
		return;
	}
	if (self->settle_id != 0 && !closed)
		return;
	g_clear_handle_id(&self->settle_id, g_source_remove);
	g_debug("camera open by '%s': holds if still open in %" G_GINT64_FORMAT " ms", holder,
	        self->settle_us / 1000);
	self->settle_id = g_timeout_add((guint) (self->settle_us / 1000), on_settled, self);
	g_source_set_name_by_id(self->settle_id, "[glutebreak] camera settle");
}

/* Returns whether the event calls for a look at /proc; sets *@closed on a close. */
static gboolean
handle_event(GbHoldCamera *self, const struct inotify_event *event, gboolean *closed)
{
	if (event->mask & IN_Q_OVERFLOW) {
		watch_nodes(self);      /* a node may have come among the lost events */
		return TRUE;
	}
	if (event->wd == self->dir_wd) {
		if (event->mask & IN_IGNORED) {
			g_info("'%s' is gone: no new cameras are seen", self->dir);
			self->dir_wd = -1;
			return TRUE;
		}
		if (event->len == 0 || !is_video_node(event->name))
			return FALSE;
		if (event->mask & (IN_CREATE | IN_ATTRIB))
			watch_node(self, event->name);
		if (event->mask & IN_DELETE)
			unwatch_node(self, event->name);
		return TRUE;
	}
	if (event->mask & IN_IGNORED) {
		g_hash_table_remove(self->nodes, GINT_TO_POINTER(event->wd));
		return TRUE;
	}
	if (event->mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE))
		*closed = TRUE;
	return (event->mask & NODE_MASK) != 0;
}

static gboolean
on_inotify(int fd, GIOCondition condition, gpointer user_data)
{
	GbHoldCamera *self = user_data;
	union {
		struct inotify_event event;
		char bytes[4096];
	} buffer;
	gboolean check = FALSE, closed = FALSE;
	ssize_t n;

	(void) condition;
	/* the whole batch first, then one look at /proc */
	while ((n = read(fd, buffer.bytes, sizeof(buffer.bytes))) > 0) {
		for (ssize_t at = 0; at < n;) {
			const struct inotify_event *event = (const void *) (buffer.bytes + at);

			check = handle_event(self, event, &closed) || check;
			at += (ssize_t) (sizeof(*event) + event->len);
		}
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		g_warning("reading camera events: %s", g_strerror(errno));
		self->inotify_id = 0;
		return G_SOURCE_REMOVE;
	}
	if (check)
		recheck(self, closed);
	return G_SOURCE_CONTINUE;
}

GbHoldCamera *
gb_hold_camera_new_full(GbHold *hold, const char *dev_dir, gint64 settle_us)
{
	GbHoldCamera *self;
	char *real;

	g_return_val_if_fail(hold != NULL, NULL);
	g_return_val_if_fail(dev_dir != NULL, NULL);
	g_return_val_if_fail(settle_us >= 0, NULL);

	self = g_new0(GbHoldCamera, 1);
	self->hold = hold;
	self->settle_us = settle_us;
	self->dir_wd = -1;
	self->nodes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	real = realpath(dev_dir, NULL);
	self->dir = g_strdup(real != NULL ? real : dev_dir);
	free(real);             /* from libc */
	self->prefix = g_build_filename(self->dir, "video", NULL);
	self->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (self->inotify_fd < 0) {
		g_warning("cameras are not watched: inotify: %s", g_strerror(errno));
		return self;
	}
	self->dir_wd = inotify_add_watch(self->inotify_fd, self->dir, DIR_MASK);
	if (self->dir_wd < 0)
		g_info("new cameras in '%s' are not seen: %s", self->dir, g_strerror(errno));
	watch_nodes(self);
	self->inotify_id = g_unix_fd_add(self->inotify_fd, G_IO_IN, on_inotify, self);
	g_source_set_name_by_id(self->inotify_id, "[glutebreak] camera events");
	/* a camera open already holds after the settle time, reported from the main loop */
	recheck(self, FALSE);
	return self;
}

GbHoldCamera *
gb_hold_camera_new(GbHold *hold, const char *dev_dir)
{
	return gb_hold_camera_new_full(hold, dev_dir, GB_HOLD_CAMERA_SETTLE_US);
}

void
gb_hold_camera_free(GbHoldCamera *camera)
{
	if (camera == NULL)
		return;
	g_clear_handle_id(&camera->settle_id, g_source_remove);
	g_clear_handle_id(&camera->inotify_id, g_source_remove);
	if (camera->inotify_fd >= 0)
		close(camera->inotify_fd);
	g_hash_table_unref(camera->nodes);
	g_free(camera->holder);
	g_free(camera->prefix);
	g_free(camera->dir);
	g_free(camera);
}

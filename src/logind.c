/* SPDX-License-Identifier: MIT */
/* Finding our logind session, once, without waiting on logind (reference/idle-apis.md §2.5,
 * DESIGN.md rule 12): every call is asynchronous, and the main loop runs while logind thinks.
 * A logind that does not answer ends the search at the first call's timeout (the same as no
 * logind at all); one that answers "no" to a step lets the next step try.
 *
 * The system bus connection itself is made synchronously: that waits on dbus-daemon, not on
 * logind. An asynchronous connect would run in a GTask worker thread that lingers for 15 s
 * (docs/PERFORMANCE.md: at most 3 threads), and a bus daemon that does not answer leaves
 * nothing on the desktop working anyway. */
#include <unistd.h>

#include "errors.h"
#include "logind.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define LOGIND_MANAGER "org.freedesktop.login1.Manager"
#define LOGIND_SESSION "org.freedesktop.login1.Session"
#define LOGIND_USER "org.freedesktop.login1.User"
#define PROPERTIES "org.freedesktop.DBus.Properties"
/* logind answers in ms, or is not there: one that takes this long counts as not there */
#define CALL_TIMEOUT_MS 3000

enum { STEPS = 4 };

typedef struct {
	guint id;
	GbLogindFunc func;
	gpointer user_data;
} Waiter;

struct _GbLogind {
	GbLogindState state;
	char *problem;
	GDBusConnection *bus;
	char *path;
	GCancellable *cancellable;
	int step;               /* the resolution step running */
	const char *how;        /* ... and its name */
	GString *reasons;       /* "how: why" of the steps that found nothing */
	GArray *waiters;        /* of Waiter */
	guint next_id;
	guint notify_id;        /* idle source that calls the waiters */
};

static void run_step(GbLogind *self);

/* logind is not there at all, as opposed to having no session for us */
static gboolean
logind_missing(const GError *error)
{
	return g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
	       g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
	       g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
	       g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static gboolean
on_notify(gpointer user_data)
{
	GbLogind *self = user_data;

	self->notify_id = 0;
	/* one at a time: a waiter may add or cancel others */
	while (self->waiters->len > 0) {
		Waiter waiter = g_array_index(self->waiters, Waiter, 0);

		g_array_remove_index(self->waiters, 0);
		waiter.func(self, waiter.user_data);
	}
	return G_SOURCE_REMOVE;
}

static void
schedule_notify(GbLogind *self)
{
	if (self->notify_id != 0 || self->state == GB_LOGIND_RESOLVING || self->waiters->len == 0)
		return;
	self->notify_id = g_idle_add(on_notify, self);
	g_source_set_name_by_id(self->notify_id, "[glutebreak] logind session resolved");
}

static void
finish(GbLogind *self, GbLogindState state, char *problem)
{
	self->state = state;
	self->problem = problem;
	schedule_notify(self);
}

/* A step's answer, or its error; takes @path. */
static void
step_done(GbLogind *self, char *path, GError *error)
{
	if (path != NULL) {
		g_debug("logind session found by %s: '%s'", self->how, path);
		self->path = path;
		finish(self, GB_LOGIND_FOUND, NULL);
		return;
	}
	if (error != NULL) {
		g_dbus_error_strip_remote_error(error);
		g_debug("no logind session from %s: %s", self->how, error->message);
		if (logind_missing(error)) {
			finish(self, GB_LOGIND_ABSENT, g_strdup(error->message));
			return;
		}
		g_string_append_printf(self->reasons, "%s%s: %s", self->reasons->len > 0 ? "; " : "",
		                       self->how, error->message);
	}
	self->step++;
	run_step(self);
}

/* The last check: signals are only emitted on a session's real path, not on the aliases, nor
 * on a path nothing answers on. */
static void
on_id_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
	                                                          result, &error);
	GbLogind *self = user_data;
	char *path;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;         /* self is gone */
	path = g_steal_pointer(&self->path);
	if (reply == NULL) {
		g_free(path);
		step_done(self, NULL, error);
		return;
	}
	step_done(self, path, NULL);
}

static void
check_path(GbLogind *self, char *path)
{
	if (g_str_has_suffix(path, "/session/auto") || g_str_has_suffix(path, "/session/self")) {
		g_autoptr(GError) error = g_error_new(GB_ERROR, GB_ERROR_FAILED,
		                                      "an alias, not a session: '%s'", path);

		g_free(path);
		step_done(self, NULL, error);
		return;
	}
	self->path = path;      /* until its Id answers */
	g_dbus_connection_call(self->bus, LOGIND_NAME, path, PROPERTIES, "Get",
	                       g_variant_new("(ss)", LOGIND_SESSION, "Id"), G_VARIANT_TYPE("(v)"),
	                       G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, self->cancellable,
	                       on_id_reply, self);
}

static void
on_display_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
	                                                          result, &error);
	g_autoptr(GVariant) value = NULL;
	GbLogind *self = user_data;
	const char *path;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (reply == NULL) {
		step_done(self, NULL, error);
		return;
	}
	g_variant_get(reply, "(v)", &value);
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE("(so)"))) {
		error = g_error_new(GB_ERROR, GB_ERROR_FAILED, "Display is not of type (so): '%s'",
		                    g_variant_get_type_string(value));
		step_done(self, NULL, error);
		return;
	}
	g_variant_get(value, "(&s&o)", NULL, &path);
	if (g_str_equal(path, "/")) {
		error = g_error_new_literal(GB_ERROR, GB_ERROR_FAILED,
		                            "the user has no display session");
		step_done(self, NULL, error);
		return;
	}
	check_path(self, g_strdup(path));
}

static void
on_path_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
	                                                          result, &error);
	GbLogind *self = user_data;
	char *path;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (reply == NULL) {
		step_done(self, NULL, error);
		return;
	}
	g_variant_get(reply, "(o)", &path);
	if (self->step == 3) {
		/* the user, whose Display is the session */
		g_dbus_connection_call(self->bus, LOGIND_NAME, path, PROPERTIES, "Get",
		                       g_variant_new("(ss)", LOGIND_USER, "Display"),
		                       G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS,
		                       self->cancellable, on_display_reply, self);
		g_free(path);
		return;
	}
	check_path(self, path);
}

static void
call_manager(GbLogind *self, const char *method, GVariant *args)
{
	g_dbus_connection_call(self->bus, LOGIND_NAME, LOGIND_PATH, LOGIND_MANAGER, method, args,
	                       G_VARIANT_TYPE("(o)"), G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS,
	                       self->cancellable, on_path_reply, self);
}

static void
run_step(GbLogind *self)
{
	const char *id = g_getenv("XDG_SESSION_ID");

	switch (self->step) {
	case 0:
		self->how = "$XDG_SESSION_ID";
		if (id == NULL || *id == '\0') {
			step_done(self, NULL, NULL);
			return;
		}
		call_manager(self, "GetSession", g_variant_new("(s)", id));
		return;
	case 1:
		/* the caller's session, or else the user's display session: works from a
		 * systemd --user service too */
		self->how = "GetSession(\"auto\")";
		call_manager(self, "GetSession", g_variant_new("(s)", "auto"));
		return;
	case 2:
		self->how = "GetSessionByPID";
		call_manager(self, "GetSessionByPID", g_variant_new("(u)", (guint32) getpid()));
		return;
	case 3:
		self->how = "the user's Display";
		call_manager(self, "GetUser", g_variant_new("(u)", (guint32) getuid()));
		return;
	case STEPS:
		finish(self, GB_LOGIND_NO_SESSION, g_strdup(self->reasons->str));
		return;
	default:
		g_assert_not_reached();
	}
}

GbLogind *
gb_logind_new(void)
{
	GbLogind *self = g_new0(GbLogind, 1);
	g_autoptr(GError) error = NULL;

	self->cancellable = g_cancellable_new();
	self->reasons = g_string_new(NULL);
	self->waiters = g_array_new(FALSE, FALSE, sizeof(Waiter));
	self->bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	if (self->bus == NULL) {
		g_autofree char *address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SYSTEM, NULL,
		                                                           NULL);

		/* the usual case (containers) as a fact, not as an errno message */
		finish(self, GB_LOGIND_NO_BUS,
		       g_strdup_printf("no system bus at '%s' (%s)", address != NULL ? address : "?",
		                       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
		                               ? "no socket" : error->message));
		return self;
	}
	/* the system bus going away must not end us */
	g_dbus_connection_set_exit_on_close(self->bus, FALSE);
	run_step(self);
	return self;
}

void
gb_logind_free(GbLogind *logind)
{
	if (logind == NULL)
		return;
	g_cancellable_cancel(logind->cancellable);
	g_clear_object(&logind->cancellable);
	g_clear_handle_id(&logind->notify_id, g_source_remove);
	g_clear_object(&logind->bus);
	g_string_free(logind->reasons, TRUE);
	g_array_unref(logind->waiters);
	g_free(logind->problem);
	g_free(logind->path);
	g_free(logind);
}

GbLogindState
gb_logind_get_state(const GbLogind *logind)
{
	return logind->state;
}

const char *
gb_logind_get_problem(const GbLogind *logind)
{
	return logind->problem;
}

GDBusConnection *
gb_logind_get_bus(const GbLogind *logind)
{
	return logind->bus;
}

const char *
gb_logind_get_session_path(const GbLogind *logind)
{
	return logind->state == GB_LOGIND_FOUND ? logind->path : NULL;
}

guint
gb_logind_when_resolved(GbLogind *logind, GbLogindFunc func, gpointer user_data)
{
	Waiter waiter = { .id = ++logind->next_id, .func = func, .user_data = user_data };

	g_return_val_if_fail(func != NULL, 0);
	g_array_append_val(logind->waiters, waiter);
	schedule_notify(logind);
	return waiter.id;
}

void
gb_logind_cancel(GbLogind *logind, guint id)
{
	for (guint i = 0; i < logind->waiters->len; i++) {
		if (g_array_index(logind->waiters, Waiter, i).id == id) {
			g_array_remove_index(logind->waiters, i);
			return;
		}
	}
}

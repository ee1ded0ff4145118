/* SPDX-License-Identifier: MIT */
/* Always-on sensors, whatever the idle backend (reference/idle-apis.md §2.2, §2.5, §5.2):
 *
 * - logind PrepareForSleep(b) on the system bus, with a delay inhibitor held while awake, so
 *   the daemon gets to save its state before the machine sleeps. The suspend itself is measured
 *   by the daemon with CLOCK_BOOTTIME; WOKE only makes it look at once.
 * - the LockedHint of our logind session (PropertiesChanged on its real path);
 * - ActiveChanged(b) of the screensavers on the session bus (screensaver.c).
 *
 * locked = LockedHint || any screensaver active, reported only when it changes. Every report
 * comes from the main loop: signal handlers and call replies run there, and what is read
 * inside gb_session_new() is reported from an idle source. */
#include <unistd.h>
#include <gio/gunixfdlist.h>

#include "errors.h"
#include "screensaver.h"
#include "session.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define LOGIND_MANAGER "org.freedesktop.login1.Manager"
#define LOGIND_SESSION "org.freedesktop.login1.Session"
#define LOGIND_USER "org.freedesktop.login1.User"
#define PROPERTIES "org.freedesktop.DBus.Properties"
/* blocking calls at start-up: logind answers in ms, or is not there */
#define CALL_TIMEOUT_MS 3000

struct _GbSession {
	GbSessionFunc func;
	gpointer user_data;
	GbScreensavers *screensavers;
	GDBusConnection *system_bus;  /* NULL: none */
	char *session_path;           /* NULL: no logind session */
	GCancellable *cancellable;    /* logind calls */
	guint sleep_id;
	guint properties_id;
	guint initial_id;             /* reports the LockedHint read at start */
	int inhibit_fd;               /* the delay inhibitor, or -1 */
	gboolean inhibiting;          /* Inhibit() call pending */
	gboolean sleeping;            /* between PrepareForSleep(true) and (false) */
	gboolean locked_hint;
	gboolean screensaver_active;  /* any of them */
	gboolean locked;              /* as last reported */
};

static void
update_locked(GbSession *self)
{
	gboolean locked = self->locked_hint || self->screensaver_active;

	if (locked == self->locked)
		return;
	self->locked = locked;
	self->func(locked ? GB_SESSION_LOCKED : GB_SESSION_UNLOCKED, self->user_data);
}

/* logind: session resolution ------------------------------------------------------------- */

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

static GVariant *
get_property(GDBusConnection *bus, const char *path, const char *interface, const char *name,
             const char *type, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) value = NULL;

	reply = g_dbus_connection_call_sync(bus, LOGIND_NAME, path, PROPERTIES, "Get",
	                                    g_variant_new("(ss)", interface, name),
	                                    G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE,
	                                    CALL_TIMEOUT_MS, NULL, error);
	if (reply == NULL)
		return NULL;
	g_variant_get(reply, "(v)", &value);
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE(type))) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED, "%s is not of type %s: '%s'", name,
		            type, g_variant_get_type_string(value));
		return NULL;
	}
	return g_steal_pointer(&value);
}

static char *
call_for_path(GDBusConnection *bus, const char *method, GVariant *args, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	char *path = NULL;

	reply = g_dbus_connection_call_sync(bus, LOGIND_NAME, LOGIND_PATH, LOGIND_MANAGER, method,
	                                    args, G_VARIANT_TYPE("(o)"), G_DBUS_CALL_FLAGS_NONE,
	                                    CALL_TIMEOUT_MS, NULL, error);
	if (reply != NULL)
		g_variant_get(reply, "(o)", &path);
	return path;
}

static char *
user_display(GDBusConnection *bus, GError **error)
{
	g_autofree char *user = NULL;
	g_autoptr(GVariant) display = NULL;
	const char *path;

	user = call_for_path(bus, "GetUser", g_variant_new("(u)", (guint32) getuid()), error);
	if (user == NULL)
		return NULL;
	display = get_property(bus, user, LOGIND_USER, "Display", "(so)", error);
	if (display == NULL)
		return NULL;
	g_variant_get(display, "(&s&o)", NULL, &path);
	if (g_str_equal(path, "/")) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "the user has no display session: '%s'", user);
		return NULL;
	}
	return g_strdup(path);
}

/* Step @step of the resolution order; NULL without an error: the step does not apply. */
static char *
resolve_step(GDBusConnection *bus, int step, const char **how, GError **error)
{
	const char *id = g_getenv("XDG_SESSION_ID");

	switch (step) {
	case 0:
		*how = "$XDG_SESSION_ID";
		if (id == NULL || *id == '\0')
			return NULL;
		return call_for_path(bus, "GetSession", g_variant_new("(s)", id), error);
	case 1:
		/* the caller's session, or else the user's display session: works from
		 * a systemd --user service too */
		*how = "GetSession(\"auto\")";
		return call_for_path(bus, "GetSession", g_variant_new("(s)", "auto"), error);
	case 2:
		*how = "GetSessionByPID";
		return call_for_path(bus, "GetSessionByPID",
		                     g_variant_new("(u)", (guint32) getpid()), error);
	case 3:
		*how = "the user's Display";
		return user_display(bus, error);
	default:
		g_assert_not_reached();
	}
}

/* Signals are only emitted on a session's real path: not on the aliases, nor on a path
 * nothing answers on. */
static gboolean
check_session_path(GDBusConnection *bus, const char *path, GError **error)
{
	g_autoptr(GVariant) id = NULL;

	if (g_str_has_suffix(path, "/session/auto") || g_str_has_suffix(path, "/session/self")) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED, "an alias, not a session: '%s'",
		            path);
		return FALSE;
	}
	id = get_property(bus, path, LOGIND_SESSION, "Id", "s", error);
	return id != NULL;
}

char *
gb_session_no_system_bus(const GError *error)
{
	g_autofree char *address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SYSTEM, NULL, NULL);

	/* the usual case (containers) as a fact, not as an errno message */
	return g_strdup_printf("no system bus at '%s' (%s)", address != NULL ? address : "?",
	                       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
	                               ? "no socket" : error->message);
}

char *
gb_session_find_logind_path(GDBusConnection *system_bus, GError **error)
{
	g_autoptr(GString) reasons = g_string_new(NULL);

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(system_bus), NULL);

	for (int step = 0; step < 4; step++) {
		g_autoptr(GError) local_error = NULL;
		g_autofree char *path = NULL;
		const char *how = NULL;

		path = resolve_step(system_bus, step, &how, &local_error);
		if (path != NULL && check_session_path(system_bus, path, &local_error)) {
			g_debug("logind session found by %s: '%s'", how, path);
			return g_steal_pointer(&path);
		}
		if (local_error == NULL)
			continue;
		g_dbus_error_strip_remote_error(local_error);
		g_debug("no logind session from %s: %s", how, local_error->message);
		if (logind_missing(local_error)) {
			g_propagate_error(error, g_steal_pointer(&local_error));
			return NULL;
		}
		g_string_append_printf(reasons, "%s%s: %s", reasons->len > 0 ? "; " : "", how,
		                       local_error->message);
	}
	g_set_error_literal(error, GB_ERROR, GB_ERROR_FAILED, reasons->str);
	return NULL;
}

/* logind: sleep --------------------------------------------------------------------------- */

static void
release_inhibitor(GbSession *self)
{
	if (self->inhibit_fd < 0)
		return;
	close(self->inhibit_fd);
	self->inhibit_fd = -1;
	g_debug("sleep delay inhibitor released");
}

static void
on_inhibit_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GbSession *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GVariant) reply = NULL;
	int handle, fd;

	reply = g_dbus_connection_call_with_unix_fd_list_finish(G_DBUS_CONNECTION(source), &fds,
	                                                        result, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;         /* self is gone */
	self->inhibiting = FALSE;
	if (reply == NULL || fds == NULL) {
		if (error != NULL)
			g_dbus_error_strip_remote_error(error);
		g_message("cannot delay suspend to record it (it is still measured): %s",
		          error != NULL ? error->message : "no file descriptor");
		return;
	}
	g_variant_get(reply, "(h)", &handle);
	fd = g_unix_fd_list_get(fds, handle, &error);
	if (fd < 0) {
		g_message("cannot delay suspend to record it (it is still measured): %s",
		          error->message);
		return;
	}
	if (self->sleeping) {
		close(fd);      /* too late for this suspend: do not hold it up */
		return;
	}
	release_inhibitor(self);
	self->inhibit_fd = fd;
	g_debug("sleep delay inhibitor taken");
}

static void
take_inhibitor(GbSession *self)
{
	if (self->inhibit_fd >= 0 || self->inhibiting)
		return;
	self->inhibiting = TRUE;
	g_dbus_connection_call_with_unix_fd_list(
		self->system_bus, LOGIND_NAME, LOGIND_PATH, LOGIND_MANAGER, "Inhibit",
		g_variant_new("(ssss)", "sleep", "glutebreak",
		              "Record the time away from the computer", "delay"),
		G_VARIANT_TYPE("(h)"), G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, NULL,
		self->cancellable, on_inhibit_reply, self);
}

static void
on_prepare_for_sleep(GDBusConnection *bus, const char *sender, const char *path,
                     const char *interface, const char *signal, GVariant *parameters,
                     gpointer user_data)
{
	GbSession *self = user_data;
	gboolean start;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	(void) signal;
	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(b)")))
		return;
	g_variant_get(parameters, "(b)", &start);
	g_debug("PrepareForSleep(%s)", start ? "true" : "false");
	if (start && !self->sleeping) {
		self->sleeping = TRUE;
		/* synchronous: the daemon has saved its state when this returns */
		self->func(GB_SESSION_SLEEPING, self->user_data);
		release_inhibitor(self);
	} else if (!start) {
		self->sleeping = FALSE;
		take_inhibitor(self);
		self->func(GB_SESSION_WOKE, self->user_data);
	}
}

/* logind: LockedHint ---------------------------------------------------------------------- */

static void
on_locked_hint_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GbSession *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) value = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (reply == NULL) {
		g_debug("cannot read LockedHint: %s", error->message);
		return;
	}
	g_variant_get(reply, "(v)", &value);
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN))
		return;
	self->locked_hint = g_variant_get_boolean(value);
	update_locked(self);
}

static void
on_session_properties(GDBusConnection *bus, const char *sender, const char *path,
                      const char *interface, const char *signal, GVariant *parameters,
                      gpointer user_data)
{
	GbSession *self = user_data;
	g_autoptr(GVariant) changed = NULL;
	g_autofree const char **invalidated = NULL;

	(void) sender;
	(void) path;
	(void) interface;
	(void) signal;
	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	g_variant_get(parameters, "(&s@a{sv}^a&s)", NULL, &changed, &invalidated);
	if (g_variant_lookup(changed, "LockedHint", "b", &self->locked_hint)) {
		g_debug("LockedHint: %s", self->locked_hint ? "true" : "false");
		update_locked(self);
	} else if (g_strv_contains((const char *const *) invalidated, "LockedHint")) {
		g_dbus_connection_call(bus, LOGIND_NAME, self->session_path, PROPERTIES, "Get",
		                       g_variant_new("(ss)", LOGIND_SESSION, "LockedHint"),
		                       G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE,
		                       CALL_TIMEOUT_MS, self->cancellable, on_locked_hint_reply,
		                       self);
	}
}

static gboolean
on_initial_state(gpointer user_data)
{
	GbSession *self = user_data;

	self->initial_id = 0;
	update_locked(self);
	return G_SOURCE_REMOVE;
}

static void
watch_session(GbSession *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) locked = NULL;

	/* subscribed before reading, so no change falls in between */
	self->properties_id = g_dbus_connection_signal_subscribe(
		self->system_bus, LOGIND_NAME, PROPERTIES, "PropertiesChanged", self->session_path,
		LOGIND_SESSION, G_DBUS_SIGNAL_FLAGS_NONE, on_session_properties, self, NULL);
	locked = get_property(self->system_bus, self->session_path, LOGIND_SESSION, "LockedHint",
	                      "b", &error);
	if (locked == NULL) {
		g_dbus_error_strip_remote_error(error);
		g_debug("cannot read LockedHint: %s", error->message);
		return;
	}
	self->locked_hint = g_variant_get_boolean(locked);
	if (self->locked_hint) {
		self->initial_id = g_idle_add(on_initial_state, self);
		g_source_set_name_by_id(self->initial_id, "[glutebreak] initial lock state");
	}
}

static void
start_logind(GbSession *self)
{
	g_autoptr(GError) error = NULL;

	self->system_bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	if (self->system_bus == NULL) {
		g_autofree char *reason = gb_session_no_system_bus(error);

		g_warning("%s: suspend is noticed by the clock alone, "
		          "lock only through the screensavers", reason);
		return;
	}
	/* shared with idle-logind.c; the system bus going away must not end us */
	g_dbus_connection_set_exit_on_close(self->system_bus, FALSE);
	self->session_path = gb_session_find_logind_path(self->system_bus, &error);
	if (self->session_path == NULL && error->domain != GB_ERROR) {
		g_warning("no logind (%s): suspend is noticed by the clock alone, "
		          "lock only through the screensavers", error->message);
		g_clear_object(&self->system_bus);
		return;
	}
	if (self->session_path == NULL)
		g_warning("no logind session for this process (%s): lock only through the "
		          "screensavers", error->message);
	self->sleep_id = g_dbus_connection_signal_subscribe(
		self->system_bus, LOGIND_NAME, LOGIND_MANAGER, "PrepareForSleep", LOGIND_PATH, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep, self, NULL);
	take_inhibitor(self);
	if (self->session_path != NULL)
		watch_session(self);
}

/* GbSession ------------------------------------------------------------------------------- */

static void
on_screensaver_active(gboolean active, gpointer user_data)
{
	GbSession *self = user_data;

	self->screensaver_active = active;
	update_locked(self);
}

GbSession *
gb_session_new(GDBusConnection *session_bus, GbSessionFunc func, gpointer user_data)
{
	GbSession *self;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(session_bus), NULL);
	g_return_val_if_fail(func != NULL, NULL);

	self = g_new0(GbSession, 1);
	self->func = func;
	self->user_data = user_data;
	self->cancellable = g_cancellable_new();
	self->inhibit_fd = -1;
	start_logind(self);
	self->screensavers = gb_screensavers_new(session_bus, on_screensaver_active, self);
	return self;
}

void
gb_session_free(GbSession *session)
{
	if (session == NULL)
		return;
	g_clear_pointer(&session->screensavers, gb_screensavers_free);
	g_cancellable_cancel(session->cancellable);
	g_clear_object(&session->cancellable);
	g_clear_handle_id(&session->initial_id, g_source_remove);
	if (session->system_bus != NULL) {
		if (session->sleep_id != 0)
			g_dbus_connection_signal_unsubscribe(session->system_bus,
			                                     session->sleep_id);
		if (session->properties_id != 0)
			g_dbus_connection_signal_unsubscribe(session->system_bus,
			                                     session->properties_id);
	}
	release_inhibitor(session);
	g_clear_object(&session->system_bus);
	g_free(session->session_path);
	g_free(session);
}

/* SPDX-License-Identifier: MIT */
/* Always-on sensors, whatever the idle backend (reference/idle-apis.md §2.2, §2.5, §5.2):
 *
 * - logind PrepareForSleep(b) on the system bus, with a delay inhibitor held while awake, so
 *   the daemon gets to save its state before the machine sleeps. The suspend itself is measured
 *   by the daemon with CLOCK_BOOTTIME; WOKE only makes it look at once.
 * - the resume sensor, for where no logind says PrepareForSleep(false) (containers, minimal
 *   sessions): a CLOCK_REALTIME timerfd armed for the end of time with TFD_TIMER_CANCEL_ON_SET
 *   never expires, but the kernel cancels it on every resume (timekeeping_resume() ->
 *   timerfd_resume(), Linux >= 5.14) and wall-clock change, which wakes us right when a
 *   suspend ends, at no cost in between. Also WOKE.
 * - the LockedHint of our logind session (PropertiesChanged on its real path, logind.c);
 * - ActiveChanged(b) of the screensavers on the session bus (screensaver.c).
 *
 * locked = LockedHint || any screensaver active, reported only when it changes. Every report
 * comes from the main loop: signal handlers, fd sources and call replies run there. Nothing
 * waits on logind (DESIGN.md rule 12): every call to it is asynchronous. */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <gio/gunixfdlist.h>
#include <glib-unix.h>

#include "errors.h"
#include "logind.h"
#include "screensaver.h"
#include "session.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define LOGIND_MANAGER "org.freedesktop.login1.Manager"
#define LOGIND_SESSION "org.freedesktop.login1.Session"
#define PROPERTIES "org.freedesktop.DBus.Properties"
#define CALL_TIMEOUT_MS 3000
/* The latest time a (signed) time_t holds, 32 or 64 bits wide: never reached. The kernel
 * takes any such value (it clamps what is beyond its own range). */
#define TIME_T_MAX ((time_t) (G_MAXUINT64 >> (65 - 8 * sizeof(time_t))))

struct _GbSession {
	GbSessionFunc func;
	gpointer user_data;
	GbScreensavers *screensavers;
	GbLogind *logind;
	guint resolved_id;            /* waiting for logind.c; 0 once resolved */
	GDBusConnection *system_bus;  /* NULL: none, or no logind on it */
	const char *session_path;     /* logind's; NULL: no logind session */
	GCancellable *cancellable;    /* logind calls */
	guint sleep_id;
	guint properties_id;
	int resume_fd;                /* the resume sensor, or -1 */
	GSource *resume_source;
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

static void
watch_session(GbSession *self)
{
	/* subscribed before reading, so no change falls in between */
	self->properties_id = g_dbus_connection_signal_subscribe(
		self->system_bus, LOGIND_NAME, PROPERTIES, "PropertiesChanged", self->session_path,
		LOGIND_SESSION, G_DBUS_SIGNAL_FLAGS_NONE, on_session_properties, self, NULL);
	g_dbus_connection_call(self->system_bus, LOGIND_NAME, self->session_path, PROPERTIES, "Get",
	                       g_variant_new("(ss)", LOGIND_SESSION, "LockedHint"),
	                       G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS,
	                       self->cancellable, on_locked_hint_reply, self);
}

static void
on_logind_resolved(GbLogind *logind, gpointer user_data)
{
	GbSession *self = user_data;
	const char *problem = gb_logind_get_problem(logind);

	self->resolved_id = 0;
	switch (gb_logind_get_state(logind)) {
	case GB_LOGIND_NO_BUS:
		g_warning("%s: suspend is noticed by the clock alone, "
		          "lock only through the screensavers", problem);
		return;
	case GB_LOGIND_ABSENT:
		g_warning("no logind (%s): suspend is noticed by the clock alone, "
		          "lock only through the screensavers", problem);
		return;
	case GB_LOGIND_NO_SESSION:
		g_warning("no logind session for this process (%s): lock only through the "
		          "screensavers", problem);
		break;
	case GB_LOGIND_FOUND:
		self->session_path = gb_logind_get_session_path(logind);
		break;
	case GB_LOGIND_RESOLVING:
	default:
		g_assert_not_reached();
	}
	self->system_bus = g_object_ref(gb_logind_get_bus(logind));
	self->sleep_id = g_dbus_connection_signal_subscribe(
		self->system_bus, LOGIND_NAME, LOGIND_MANAGER, "PrepareForSleep", LOGIND_PATH, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep, self, NULL);
	take_inhibitor(self);
	if (self->session_path != NULL)
		watch_session(self);
}

/* The resume sensor ------------------------------------------------------------------------ */

static void
arm_resume_sensor(GbSession *self)
{
	struct itimerspec spec = { .it_value.tv_sec = TIME_T_MAX };

	if (timerfd_settime(self->resume_fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec,
	                    NULL) != 0)
		g_warning("cannot arm the resume sensor: %s", g_strerror(errno));
}

static gboolean
on_resume_sensor(int fd, GIOCondition condition, gpointer user_data)
{
	GbSession *self = user_data;
	guint64 expirations;

	(void) condition;
	/* ECANCELED is how it fires */
	if (read(fd, &expirations, sizeof(expirations)) < 0 && errno != ECANCELED &&
	    errno != EAGAIN)
		g_warning("cannot read the resume sensor: %s", g_strerror(errno));
	arm_resume_sensor(self);
	g_debug("resumed, or the wall clock was set");
	self->func(GB_SESSION_WOKE, self->user_data);
	return G_SOURCE_CONTINUE;
}

static void
start_resume_sensor(GbSession *self)
{
	self->resume_fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	if (self->resume_fd < 0) {
		g_warning("cannot create the resume sensor: %s", g_strerror(errno));
		return;
	}
	arm_resume_sensor(self);
	self->resume_source = g_unix_fd_source_new(self->resume_fd, G_IO_IN);
	/* after a resume, before the idle events and D-Bus messages that are ready in the same
	 * iteration: they are then seen as coming after the suspend, which they do */
	g_source_set_priority(self->resume_source, G_PRIORITY_HIGH);
	g_source_set_callback(self->resume_source, G_SOURCE_FUNC(on_resume_sensor), self, NULL);
	g_source_set_name(self->resume_source, "[glutebreak] resume sensor");
	g_source_attach(self->resume_source, NULL);
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
	self->resume_fd = -1;
	start_resume_sensor(self);
	self->logind = gb_logind_new();
	self->resolved_id = gb_logind_when_resolved(self->logind, on_logind_resolved, self);
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
	if (session->resolved_id != 0)
		gb_logind_cancel(session->logind, session->resolved_id);
	if (session->resume_source != NULL)
		g_source_destroy(session->resume_source);
	g_clear_pointer(&session->resume_source, g_source_unref);
	if (session->resume_fd >= 0)
		close(session->resume_fd);
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
	g_clear_pointer(&session->logind, gb_logind_free);
	g_free(session);
}

GbLogind *
gb_session_get_logind(GbSession *session)
{
	return session->logind;
}

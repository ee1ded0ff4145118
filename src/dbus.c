/* SPDX-License-Identifier: MIT */
/* Exports org.glutebreak.Glutebreak1 through the skeleton that gdbus-codegen generates from
 * data/org.glutebreak.Glutebreak1.xml. The skeleton sends PropertiesChanged itself, from an
 * idle source, merging every property set since: one signal per change of the daemon's
 * state, none while nothing changes. */
#include "dbus.h"
#include "errors.h"
#include "glutebreak-dbus.h"

struct _GbDBus {
	GbDBusService *skeleton;
	const GbDBusHandlers *handlers;
	gpointer user_data;
	GDBusConnection *bus;
	guint lost_id;           /* NameLost for our name */
	gulong closed_id;
	GCancellable *cancellable; /* the RequestName call */
};

/* Finishes @invocation as the handler decided; TRUE: the call was handled. */
static gboolean
reply(GDBusMethodInvocation *invocation, gboolean ok, GError *error)
{
	if (ok) {
		g_dbus_method_invocation_return_value(invocation, NULL);
	} else if (error->domain != GB_ERROR) {
		/* only our names go out, with the message as it is */
		g_dbus_method_invocation_return_error_literal(invocation, GB_ERROR,
		                                              GB_ERROR_FAILED, error->message);
		g_error_free(error);
	} else {
		g_dbus_method_invocation_take_error(invocation, error);
	}
	return TRUE;
}

static gboolean
on_pause(GbDBusService *object, GDBusMethodInvocation *invocation, gint64 duration_us,
         GbDBus *self)
{
	GError *error = NULL;
	gboolean ok = self->handlers->pause(self->user_data, duration_us, &error);

	(void) object;
	return reply(invocation, ok, error);
}

static gboolean
on_snooze(GbDBusService *object, GDBusMethodInvocation *invocation, gint64 duration_us,
          GbDBus *self)
{
	GError *error = NULL;
	gboolean ok = self->handlers->snooze(self->user_data, duration_us, &error);

	(void) object;
	return reply(invocation, ok, error);
}

/* The methods without arguments, or with one string: which handler is in the signal's closure
 * data. */
typedef gboolean (*SimpleHandler)(gpointer user_data, GError **error);
typedef gboolean (*StringHandler)(gpointer user_data, const char *arg, GError **error);

typedef struct {
	GbDBus *self;
	SimpleHandler handler;
	StringHandler string_handler;
} Simple;

static gboolean
on_simple(GbDBusService *object, GDBusMethodInvocation *invocation, Simple *simple)
{
	GError *error = NULL;
	gboolean ok = simple->handler(simple->self->user_data, &error);

	(void) object;
	return reply(invocation, ok, error);
}

static gboolean
on_string(GbDBusService *object, GDBusMethodInvocation *invocation, const char *arg,
          Simple *simple)
{
	GError *error = NULL;
	gboolean ok = simple->string_handler(simple->self->user_data, arg, &error);

	(void) object;
	return reply(invocation, ok, error);
}

static void
free_simple(gpointer data, GClosure *closure)
{
	(void) closure;
	g_free(data);
}

static void
connect_simple(GbDBus *self, const char *signal, SimpleHandler handler,
               StringHandler string_handler)
{
	Simple *simple = g_new(Simple, 1);

	*simple = (Simple) { self, handler, string_handler };
	g_signal_connect_data(self->skeleton, signal,
	                      handler != NULL ? G_CALLBACK(on_simple) : G_CALLBACK(on_string),
	                      simple, free_simple, 0);
}

static void
on_name_lost(GDBusConnection *bus, const char *sender, const char *path, const char *interface,
             const char *signal, GVariant *parameters, gpointer user_data)
{
	GbDBus *self = user_data;
	const char *name;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	(void) signal;
	g_variant_get(parameters, "(&s)", &name);
	g_warning("lost the name %s", name);
	self->handlers->name_lost(self->user_data);
}

static void
on_closed(GDBusConnection *bus, gboolean remote_peer_vanished, GError *error,
          gpointer user_data)
{
	GbDBus *self = user_data;

	(void) bus;
	(void) remote_peer_vanished;
	g_warning("lost the session bus%s%s", error != NULL ? ": " : "",
	          error != NULL ? error->message : "");
	self->handlers->name_lost(self->user_data);
}

/* The answer to RequestName. The daemon touches no file before it owns the name: a second
 * daemon on the bus must leave the state and the history of the one that runs alone. */
static void
on_request_name(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
	                                                           result, &error);
	GbDBus *self = user_data;
	guint32 code = 0;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return; /* freed */
	if (reply != NULL)
		g_variant_get(reply, "(u)", &code);
	if (code == 1 /* PRIMARY_OWNER */ || code == 4 /* ALREADY_OWNER */) {
		g_debug("owns the name %s", GB_DBUS_NAME);
		self->handlers->name_acquired(self->user_data);
	} else if (reply != NULL) {
		g_warning("%s is taken on this session bus: is another glutebreak running?",
		          GB_DBUS_NAME);
		self->handlers->name_lost(self->user_data);
	} else {
		g_warning("cannot own the name %s: %s", GB_DBUS_NAME, error->message);
		self->handlers->name_lost(self->user_data);
	}
}

GbDBus *
gb_dbus_new(GDBusConnection *bus, const GbDBusHandlers *handlers, gpointer user_data,
            GError **error)
{
	g_autoptr(GbDBus) self = g_new0(GbDBus, 1);

	(void) gb_error_quark(); /* registers the error names */
	self->handlers = handlers;
	self->user_data = user_data;
	self->skeleton = gb_dbus_service_skeleton_new();
	g_signal_connect(self->skeleton, "handle-pause", G_CALLBACK(on_pause), self);
	g_signal_connect(self->skeleton, "handle-snooze", G_CALLBACK(on_snooze), self);
	connect_simple(self, "handle-resume", handlers->resume, NULL);
	connect_simple(self, "handle-skip", handlers->skip, NULL);
	connect_simple(self, "handle-take-break", handlers->take_break, NULL);
	connect_simple(self, "handle-reload", handlers->reload, NULL);
	connect_simple(self, "handle-show-exercise", NULL, handlers->show_exercise);
	connect_simple(self, "handle-too-hard", NULL, handlers->too_hard);
	/* exported before the name is asked for: whoever sees the name finds the object */
	if (!g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(self->skeleton), bus,
	                                      GB_DBUS_PATH, error))
		return NULL;
	/* Asked for without waiting (DESIGN rule 12: a bus that does not answer must not hold
	 * up the main loop); g_bus_own_name() would call a name we already own lost. The
	 * NameLost subscription and "closed" follow a later loss. */
	self->bus = g_object_ref(bus);
	self->lost_id = g_dbus_connection_signal_subscribe(
		bus, "org.freedesktop.DBus", "org.freedesktop.DBus", "NameLost",
		"/org/freedesktop/DBus", GB_DBUS_NAME, G_DBUS_SIGNAL_FLAGS_NONE, on_name_lost, self,
		NULL);
	self->closed_id = g_signal_connect(bus, "closed", G_CALLBACK(on_closed), self);
	self->cancellable = g_cancellable_new();
	g_dbus_connection_call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                       "org.freedesktop.DBus", "RequestName",
	                       g_variant_new("(su)", GB_DBUS_NAME, 0x4 /* DO_NOT_QUEUE */),
	                       G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
	                       self->cancellable, on_request_name, self);
	return g_steal_pointer(&self);
}

void
gb_dbus_free(GbDBus *dbus)
{
	if (dbus == NULL)
		return;
	if (dbus->cancellable != NULL) {
		g_cancellable_cancel(dbus->cancellable);
		g_clear_object(&dbus->cancellable);
	}
	if (dbus->bus != NULL) {
		g_clear_signal_handler(&dbus->closed_id, dbus->bus);
		if (dbus->lost_id != 0)
			g_dbus_connection_signal_unsubscribe(dbus->bus, dbus->lost_id);
		g_clear_object(&dbus->bus);
	}
	if (g_dbus_interface_skeleton_get_connection(G_DBUS_INTERFACE_SKELETON(dbus->skeleton)))
		g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(dbus->skeleton));
	g_clear_object(&dbus->skeleton);
	g_free(dbus);
}

void
gb_dbus_set_status(GbDBus *dbus, const GbDBusStatus *status)
{
	GbDBusService *s = dbus->skeleton;

	/* the generated setters notify only when a value differs */
	gb_dbus_service_set_state(s, status->state);
	gb_dbus_service_set_hold(s, status->hold);
	gb_dbus_service_set_warning(s, status->warning);
	gb_dbus_service_set_bout_start(s, status->bout_start);
	gb_dbus_service_set_next_reminder(s, status->next_reminder);
	gb_dbus_service_set_paused_until(s, status->paused_until);
	gb_dbus_service_set_unanswered(s, status->unanswered);
	gb_dbus_service_set_idle_source(s, status->idle_source);
	gb_dbus_service_set_sit_limit(s, status->sit_limit_us);
	gb_dbus_service_set_break_length(s, status->break_length_us);
}

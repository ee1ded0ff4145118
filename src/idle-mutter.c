/* SPDX-License-Identifier: MIT */
/* Mutter idle backend (reference/idle-apis.md §2.1): org.gnome.Mutter.IdleMonitor on the session
 * bus, or Cinnamon's org.cinnamon.Muffin.IdleMonitor with the same API. AddIdleWatch(threshold)
 * fires once per idle period; a one-shot AddUserActiveWatch, added after each fire (and for
 * watch_activity()), reports the next input. Watches belong to our connection and die with either
 * side, so the name is watched: when it vanishes we report GONE, and when it comes back we
 * subscribe, add the watches again and report BACK. Nothing polls and nothing is retried.
 *
 * Idle inhibitors (gnome-session's InhibitedActions IDLE bit, a video playing): while one is
 * set, mutter gives inhibitable idle watches no deadline, so the idle watch does not fire and
 * we report no IDLE. That is what DESIGN.md rule 7 asks for (watching a film is sitting), so
 * this backend does not watch InhibitedActions itself and never polls GetIdletime. Two things
 * make it right, both checked against mutter 43 by tests/test-daemon-mutter.py:
 * - Active watches are not inhibitable: input while inhibited after an earlier IDLE is
 *   reported, because the one-shot active watch is armed from the moment the idle watch fires
 *   (and GetIdletime, asked after arming it, catches input that came before it was armed).
 * - When the inhibitor goes away, mutter restarts its idle clock (GetIdletime drops to 0) and
 *   re-arms every idle watch: ours fires break-length after the later of the last input and
 *   the end of the inhibition, and GetIdletime then dates the IDLE to that moment. The sitting
 *   went on until the film ended, so that is when a break can begin; nothing is lost or
 *   invented. Re-arming also fires a watch that had already fired in the same idle period
 *   (inhibited and released without input): such a second fire is ignored, so there is one
 *   IDLE and one ACTIVE per idle period. */
#include <gio/gio.h>

#include "clock.h"
#include "errors.h"
#include "idle.h"

/* start() asks the service once, synchronously: a live mutter answers in ms */
#define CHECK_TIMEOUT_MS 2000

typedef struct {
	const char *name; /* bus name, and the interface of @path */
	const char *path;
} Service;

static const Service services[] = {
	{ "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core" },
	{ "org.cinnamon.Muffin.IdleMonitor", "/org/cinnamon/Muffin/IdleMonitor/Core" },
};

typedef struct _MutterMonitor MutterMonitor;
typedef void (*ReplyFunc)(MutterMonitor *self, GVariant *reply, GError *error);

/* One method call in flight. Detached (self = NULL) when the monitor stops or the service
 * leaves: its reply is then dropped, and a watch it added is removed again. */
typedef struct {
	MutterMonitor *self;
	ReplyFunc func;
	char *owner;
	const Service *service;
} Call;

struct _MutterMonitor {
	GbIdleMonitor base;
	gint64 threshold_us;
	guint64 threshold_ms;
	GDBusConnection *bus;
	const Service *service;
	guint name_watch;       /* g_bus_watch_name_on_connection() */
	char *owner;            /* unique name of the service while it is armed, else NULL */
	guint signal_id;        /* WatchFired from owner */
	GPtrArray *calls;       /* of Call, attached to self */
	guint32 idle_watch;     /* ids in the current owner; 0: none (yet) */
	guint32 active_watch;
	gboolean adding_active; /* AddUserActiveWatch in flight */
	gboolean gone;          /* GONE reported, BACK not yet */

	gboolean idle;          /* the idle watch fired and no input came since */
	gboolean idle_reported; /* ... and IDLE was reported (else GetIdletime is in flight) */
	gint64 fired_us;        /* when the idle watch fired */
	gboolean watching;      /* watch_activity() wants the next input */
};

/* Every report comes from a D-Bus callback, in the main loop: delivered at once. Returns FALSE
 * if base.func stopped the monitor, which must not be touched then. */
static gboolean
report(MutterMonitor *self, GbIdleEvent event, gint64 time_us)
{
	gb_idle_queue(&self->base, event, time_us);
	return gb_idle_emit(&self->base);
}

/* D-Bus calls -------------------------------------------------------------------------------- */

static void
call_free(Call *call)
{
	g_free(call->owner);
	g_free(call);
}

static void
remove_watch(GDBusConnection *bus, const char *owner, const Service *service, guint32 id)
{
	if (id == 0)
		return;
	g_dbus_connection_call(bus, owner, service->path, service->name, "RemoveWatch",
	                       g_variant_new("(u)", id), NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
	                       NULL, NULL, NULL);
}

static void
on_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GDBusConnection *bus = G_DBUS_CONNECTION(source);
	Call *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(bus, result, &error);

	if (call->self == NULL) {
		/* a watch added for a monitor that no longer wants it */
		if (reply != NULL && g_variant_is_of_type(reply, G_VARIANT_TYPE("(u)"))) {
			guint32 id;

			g_variant_get(reply, "(u)", &id);
			remove_watch(bus, call->owner, call->service, id);
		}
	} else {
		g_ptr_array_remove_fast(call->self->calls, call);
		call->func(call->self, reply, error);
	}
	call_free(call);
}

static void
call_method(MutterMonitor *self, const char *method, GVariant *args, const char *reply_type,
            ReplyFunc func)
{
	Call *call = g_new0(Call, 1);

	call->self = self;
	call->func = func;
	call->owner = g_strdup(self->owner);
	call->service = self->service;
	g_ptr_array_add(self->calls, call);
	/* to the unique name: a restarted service must not get calls about the old one's watches */
	g_dbus_connection_call(self->bus, self->owner, self->service->path, self->service->name,
	                       method, args, G_VARIANT_TYPE(reply_type),
	                       G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, on_reply, call);
}

/* TRUE if @error only says that the owner left: on_name_vanished() follows. */
static gboolean
owner_left(const GError *error)
{
	return g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
	       g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
	       g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/* Forgets everything about the current owner: its watches died with it, or are removed. */
static void
forget_owner(MutterMonitor *self, gboolean remove_watches)
{
	for (guint i = 0; i < self->calls->len; i++)
		((Call *) g_ptr_array_index(self->calls, i))->self = NULL;
	g_ptr_array_set_size(self->calls, 0);
	if (self->signal_id != 0)
		g_dbus_connection_signal_unsubscribe(self->bus, self->signal_id);
	self->signal_id = 0;
	if (remove_watches && self->owner != NULL) {
		remove_watch(self->bus, self->owner, self->service, self->idle_watch);
		remove_watch(self->bus, self->owner, self->service, self->active_watch);
	}
	g_clear_pointer(&self->owner, g_free);
	self->idle_watch = 0;
	self->active_watch = 0;
	self->adding_active = FALSE;
	self->idle = FALSE;
}

/* Returns FALSE if self was stopped. */
static gboolean
report_gone(MutterMonitor *self)
{
	if (self->gone)
		return TRUE;
	self->gone = TRUE;
	return report(self, GB_IDLE_GONE, gb_clock_now_us());
}

/* A call failed for another reason than the service leaving: blind until it comes back. */
static void
call_failed(MutterMonitor *self, const char *method, const GError *error)
{
	if (owner_left(error)) {
		g_debug("%s: the idle monitor left: '%s'", method, error->message);
		return;
	}
	g_warning("idle monitor call %s failed: '%s'", method, error->message);
	forget_owner(self, TRUE);
	report_gone(self);
}

/* Watches ----------------------------------------------------------------------------------- */

static void
on_active_watch_added(MutterMonitor *self, GVariant *reply, GError *error)
{
	guint32 id;

	self->adding_active = FALSE;
	if (reply == NULL) {
		call_failed(self, "AddUserActiveWatch", error);
		return;
	}
	g_variant_get(reply, "(u)", &id);
	if (!self->idle && !self->watching) {
		/* GetIdletime saw the input first */
		remove_watch(self->bus, self->owner, self->service, id);
		return;
	}
	self->active_watch = id;
}

static void
arm_active_watch(MutterMonitor *self)
{
	if (self->owner == NULL || self->active_watch != 0 || self->adding_active)
		return;
	self->adding_active = TRUE;
	call_method(self, "AddUserActiveWatch", NULL, "(u)", on_active_watch_added);
}

/* Reports the IDLE of the current idle period if GetIdletime has not yet. */
static gboolean
report_idle_by_threshold(MutterMonitor *self)
{
	if (self->idle_reported)
		return TRUE;
	self->idle_reported = TRUE;
	return report(self, GB_IDLE_IDLE, self->fired_us - self->threshold_us);
}

static void
on_idletime(MutterMonitor *self, GVariant *reply, GError *error)
{
	gint64 now = gb_clock_now_us();
	guint64 idle_ms;

	if (!self->idle || self->idle_reported)
		return;         /* the active watch reported input first */
	if (reply == NULL && owner_left(error)) {
		g_debug("GetIdletime: the idle monitor left: '%s'", error->message);
		return;
	}
	if (reply == NULL) {
		g_debug("GetIdletime failed, dating the idle period by the threshold: '%s'",
		        error->message);
		report_idle_by_threshold(self);
		return;
	}
	g_variant_get(reply, "(t)", &idle_ms);
	g_debug("idle watch fired: idle for '%" G_GUINT64_FORMAT " ms'", idle_ms);
	if (idle_ms >= self->threshold_ms) {
		self->idle_reported = TRUE;
		report(self, GB_IDLE_IDLE, now - (gint64) MIN(idle_ms, G_MAXINT64 / 1000) * 1000);
		return;
	}
	/* Input came after the fire but before the active watch was armed, which missed it. */
	g_debug("input while arming the active watch");
	if (!report_idle_by_threshold(self))
		return;
	self->idle = FALSE;
	self->watching = FALSE;
	remove_watch(self->bus, self->owner, self->service, self->active_watch);
	self->active_watch = 0;
	report(self, GB_IDLE_ACTIVE, now - (gint64) idle_ms * 1000);
}

static void
on_idle_fired(MutterMonitor *self, gint64 now)
{
	if (self->idle) {
		/* mutter re-arms idle watches when an inhibitor goes away, input or not */
		g_debug("idle watch fired again without input in between");
		return;
	}
	self->idle = TRUE;
	self->idle_reported = FALSE;
	self->fired_us = now;
	arm_active_watch(self);
	/* Asked after arming: mutter answers in order, so input the active watch saw is reported
	 * before this reply, and input it did not see shows here. It also tells how long the user
	 * has been idle when the watch fired at once (already idle when it was added). */
	call_method(self, "GetIdletime", NULL, "(t)", on_idletime);
}

static void
on_input(MutterMonitor *self, gint64 now)
{
	g_debug("active watch fired");
	if (!self->idle && !self->watching)
		return;
	if (self->idle && !report_idle_by_threshold(self))
		return;
	self->idle = FALSE;
	self->watching = FALSE;
	report(self, GB_IDLE_ACTIVE, now);
}

static void
on_watch_fired(GDBusConnection *bus, const char *sender, const char *path, const char *interface,
               const char *signal, GVariant *parameters, gpointer user_data)
{
	MutterMonitor *self = user_data;
	gint64 now = gb_clock_now_us();
	guint32 id;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	(void) signal;
	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(u)")))
		return;
	g_variant_get(parameters, "(u)", &id);
	if (id != 0 && id == self->idle_watch) {
		on_idle_fired(self, now);
	} else if (id != 0 && id == self->active_watch) {
		self->active_watch = 0; /* one-shot: mutter removed it */
		on_input(self, now);
	} else {
		g_debug("ignoring a watch that is not ours (any more): '%u'", id);
	}
}

static void
on_idle_watch_added(MutterMonitor *self, GVariant *reply, GError *error)
{
	if (reply == NULL) {
		call_failed(self, "AddIdleWatch", error);
		return;
	}
	g_variant_get(reply, "(u)", &self->idle_watch);
	g_debug("idle watch '%u' at '%" G_GUINT64_FORMAT " ms'", self->idle_watch,
	        self->threshold_ms);
	if (self->gone) {
		self->gone = FALSE;
		report(self, GB_IDLE_BACK, gb_clock_now_us());
	}
}

static void
on_name_appeared(GDBusConnection *bus, const char *name, const char *owner, gpointer user_data)
{
	MutterMonitor *self = user_data;

	g_debug("idle monitor on the bus: '%s' ('%s')", name, owner);
	forget_owner(self, TRUE);
	self->owner = g_strdup(owner);
	/* subscribed before any watch exists, so no WatchFired can be missed */
	self->signal_id = g_dbus_connection_signal_subscribe(
		bus, owner, self->service->name, "WatchFired", self->service->path, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, on_watch_fired, self, NULL);
	call_method(self, "AddIdleWatch", g_variant_new("(t)", self->threshold_ms), "(u)",
	            on_idle_watch_added);
	if (self->watching)
		arm_active_watch(self);
}

static void
on_name_vanished(GDBusConnection *bus, const char *name, gpointer user_data)
{
	MutterMonitor *self = user_data;

	(void) bus;
	g_debug("idle monitor left the bus: '%s'", name);
	forget_owner(self, FALSE);
	report_gone(self);
}

/* GbIdleBackend ---------------------------------------------------------------------------- */

static gboolean
name_has_owner(GDBusConnection *bus, const char *name, gboolean *has_owner, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	/* synchronous, and not auto-starting it: start() must answer now */
	reply = g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                                    "org.freedesktop.DBus", "NameHasOwner",
	                                    g_variant_new("(s)", name), G_VARIANT_TYPE("(b)"),
	                                    G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
	if (reply == NULL)
		return FALSE;
	g_variant_get(reply, "(b)", has_owner);
	return TRUE;
}

static gboolean
answers(GDBusConnection *bus, const Service *service, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_sync(bus, service->name, service->path, service->name,
	                                    "GetIdletime", NULL, G_VARIANT_TYPE("(t)"),
	                                    G_DBUS_CALL_FLAGS_NO_AUTO_START, CHECK_TIMEOUT_MS,
	                                    NULL, error);
	return reply != NULL;
}

static void
stop(GbIdleMonitor *monitor)
{
	MutterMonitor *self = (MutterMonitor *) monitor;

	/* no callback runs after this */
	g_bus_unwatch_name(self->name_watch);
	/* our connection stays, and with it our watches unless we remove them */
	forget_owner(self, TRUE);
	g_ptr_array_unref(self->calls);
	g_object_unref(self->bus);
	gb_idle_monitor_stop(monitor);
}

static void
watch_activity(GbIdleMonitor *monitor)
{
	MutterMonitor *self = (MutterMonitor *) monitor;

	if (self->idle)
		return;         /* the active watch is armed already */
	self->watching = TRUE;
	arm_active_watch(self); /* or when the service appears */
}

static GbIdleMonitor *
start(gint64 threshold_us, GbIdleFunc func, gpointer user_data, GError **error)
{
	g_autoptr(GError) local_error = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	const Service *service = NULL;
	MutterMonitor *self;

	g_return_val_if_fail(threshold_us > 0, NULL);
	g_return_val_if_fail(func != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &local_error);
	if (bus == NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "no session bus: '%s'", local_error->message);
		return NULL;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(services) && service == NULL; i++) {
		gboolean has_owner = FALSE;

		if (!name_has_owner(bus, services[i].name, &has_owner, &local_error)) {
			g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
			            "cannot ask the session bus for '%s': '%s'", services[i].name,
			            local_error->message);
			return NULL;
		}
		if (has_owner)
			service = &services[i];
	}
	if (service == NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "neither %s nor %s is on the session bus", services[0].name,
		            services[1].name);
		return NULL;
	}
	/* A name alone proves little: a service that cannot answer this will not give us
	 * watches either, and "auto" must then try the next source rather than sit blind. */
	if (!answers(bus, service, &local_error)) {
		g_dbus_error_strip_remote_error(local_error);
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "%s does not answer GetIdletime: '%s'", service->name,
		            local_error->message);
		return NULL;
	}

	self = g_new0(MutterMonitor, 1);
	gb_idle_monitor_init(&self->base, &gb_idle_mutter, func, user_data);
	self->threshold_us = threshold_us;
	self->threshold_ms = (guint64) (threshold_us + 999) / 1000;
	self->bus = g_steal_pointer(&bus);
	self->service = service;
	self->calls = g_ptr_array_new();
	/* both callbacks come from the main loop, the first one after GetNameOwner */
	self->name_watch = g_bus_watch_name_on_connection(self->bus, service->name,
	                                                  G_BUS_NAME_WATCHER_FLAGS_NONE,
	                                                  on_name_appeared, on_name_vanished,
	                                                  self, NULL);
	g_debug("watching for idle monitor: '%s'", service->name);
	return &self->base;
}

const GbIdleBackend gb_idle_mutter = {
	.name = "mutter",
	.dates_input = TRUE,
	.start = start,
	.watch_activity = watch_activity,
	.stop = stop,
};

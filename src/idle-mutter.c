/* SPDX-License-Identifier: MIT */
/* Mutter idle backend (reference/idle-apis.md §2.1): org.gnome.Mutter.IdleMonitor on the session
 * bus, or Cinnamon's org.cinnamon.Muffin.IdleMonitor with the same API. AddIdleWatch(threshold)
 * fires once per idle period; a one-shot AddUserActiveWatch, added after each fire (and for
 * watch_activity()), reports the next input. Watches belong to our connection and die with either
 * side, so the name is watched: when it vanishes we report ABSENT, and when it comes back we
 * subscribe, add the watches again and report BACK. Nothing polls and nothing is retried.
 *
 * start() only sends questions (is the name owned? does its owner answer GetIdletime?) and the
 * answers decide, READY or BROKEN, from the main loop: a mutter that stopped answering holds up
 * nothing but this probe, which idle.c ends after its timeout. Every call is asynchronous.
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
	gboolean adding_idle;   /* AddIdleWatch in flight */
	gboolean rearm_idle;    /* ... for an old threshold: replace it once added */
	gboolean gone;          /* ABSENT reported, BACK not yet */
	GCancellable *probe;    /* the calls start() makes; NULL once READY */
	gsize probing;          /* services[probing] is the one asked about */

	gboolean idle;          /* the idle watch fired and no input came since */
	gboolean idle_reported; /* ... and IDLE was reported (else GetIdletime is in flight) */
	gint64 fired_us;        /* when the idle watch fired */
	gboolean watching;      /* watch_activity() wants the next input */
};

/* Every report comes from a D-Bus callback, in the main loop: delivered at once. */
static void
report(MutterMonitor *self, GbIdleEvent event, gint64 time_us)
{
	gb_idle_queue(&self->base, event, time_us);
	gb_idle_emit(&self->base);
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
	self->adding_idle = FALSE;
	self->rearm_idle = FALSE;
	self->idle = FALSE;
}

static void
report_gone(MutterMonitor *self)
{
	if (self->gone)
		return;
	self->gone = TRUE;
	report(self, GB_IDLE_ABSENT, gb_clock_now_us());
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
static void
report_idle_by_threshold(MutterMonitor *self)
{
	if (self->idle_reported)
		return;
	self->idle_reported = TRUE;
	report(self, GB_IDLE_IDLE, self->fired_us - self->threshold_us);
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
	report_idle_by_threshold(self);
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
	if (self->idle)
		report_idle_by_threshold(self);
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

static void on_idle_watch_added(MutterMonitor *self, GVariant *reply, GError *error);

static void
add_idle_watch(MutterMonitor *self)
{
	self->adding_idle = TRUE;
	self->rearm_idle = FALSE;
	call_method(self, "AddIdleWatch", g_variant_new("(t)", self->threshold_ms), "(u)",
	            on_idle_watch_added);
}

static void
on_idle_watch_added(MutterMonitor *self, GVariant *reply, GError *error)
{
	guint32 id;

	self->adding_idle = FALSE;
	if (reply == NULL) {
		call_failed(self, "AddIdleWatch", error);
		return;
	}
	g_variant_get(reply, "(u)", &id);
	if (self->rearm_idle) {
		/* added for a threshold that has changed since */
		remove_watch(self->bus, self->owner, self->service, id);
		add_idle_watch(self);
		return;
	}
	self->idle_watch = id;
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
	add_idle_watch(self);
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

/* The probe ------------------------------------------------------------------------------- */

static void
probe_failed(MutterMonitor *self, const char *why)
{
	g_clear_object(&self->probe);
	gb_idle_queue_broken(&self->base, why);
	gb_idle_emit(&self->base);
}

static void
on_probe_idletime(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
	                                                          result, &error);
	MutterMonitor *self = user_data;
	const Service *service;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;         /* self is gone */
	service = &services[self->probing];
	/* A name alone proves little: a service that cannot answer this will not give us
	 * watches either, and "auto" must then try the next source rather than sit blind. */
	if (reply == NULL) {
		g_autofree char *why = NULL;

		g_dbus_error_strip_remote_error(error);
		why = g_strdup_printf("%s does not answer GetIdletime: '%s'", service->name,
		                      error->message);
		probe_failed(self, why);
		return;
	}
	g_clear_object(&self->probe);
	self->service = service;
	/* both callbacks come from the main loop, the first one after GetNameOwner */
	self->name_watch = g_bus_watch_name_on_connection(self->bus, service->name,
	                                                  G_BUS_NAME_WATCHER_FLAGS_NONE,
	                                                  on_name_appeared, on_name_vanished,
	                                                  self, NULL);
	g_debug("watching for idle monitor: '%s'", service->name);
	report(self, GB_IDLE_READY, gb_clock_now_us());
}

static void ask_has_owner(MutterMonitor *self);

static void
on_probe_has_owner(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
	                                                          result, &error);
	MutterMonitor *self = user_data;
	const Service *service;
	g_autofree char *why = NULL;
	gboolean has_owner;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	service = &services[self->probing];
	if (reply == NULL) {
		why = g_strdup_printf("cannot ask the session bus for '%s': '%s'", service->name,
		                      error->message);
		probe_failed(self, why);
		return;
	}
	g_variant_get(reply, "(b)", &has_owner);
	if (has_owner) {
		g_dbus_connection_call(self->bus, service->name, service->path, service->name,
		                       "GetIdletime", NULL, G_VARIANT_TYPE("(t)"),
		                       G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->probe,
		                       on_probe_idletime, self);
		return;
	}
	if (++self->probing < G_N_ELEMENTS(services)) {
		ask_has_owner(self);
		return;
	}
	self->probing = 0;
	why = g_strdup_printf("neither %s nor %s is on the session bus", services[0].name,
	                      services[1].name);
	probe_failed(self, why);
}

/* Not auto-starting it: a service that is not running is not this session's idle monitor. */
static void
ask_has_owner(MutterMonitor *self)
{
	g_dbus_connection_call(self->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                       "org.freedesktop.DBus", "NameHasOwner",
	                       g_variant_new("(s)", services[self->probing].name),
	                       G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, self->probe,
	                       on_probe_has_owner, self);
}

/* GbIdleBackend ---------------------------------------------------------------------------- */

static void
stop(GbIdleMonitor *monitor)
{
	MutterMonitor *self = (MutterMonitor *) monitor;

	/* no callback runs after this */
	if (self->probe != NULL)
		g_cancellable_cancel(self->probe);
	g_clear_object(&self->probe);
	if (self->name_watch != 0)
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

/* A new idle watch in place of the old one. The active watch stays: an IDLE already reported
 * still ends at the next input, and the new watch firing at once during that idle period is
 * ignored (on_idle_fired()). */
static void
set_threshold(GbIdleMonitor *monitor, gint64 threshold_us)
{
	MutterMonitor *self = (MutterMonitor *) monitor;

	self->threshold_us = threshold_us;
	self->threshold_ms = (guint64) (threshold_us + 999) / 1000;
	if (self->owner == NULL)
		return;         /* added with it when the service appears */
	if (self->adding_idle) {
		self->rearm_idle = TRUE;
		return;
	}
	remove_watch(self->bus, self->owner, self->service, self->idle_watch);
	self->idle_watch = 0;
	add_idle_watch(self);
}

static GbIdleMonitor *
start(const GbIdleSetup *setup, GError **error)
{
	g_autoptr(GError) local_error = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	MutterMonitor *self;

	g_return_val_if_fail(setup->threshold_us > 0, NULL);
	g_return_val_if_fail(setup->func != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* the daemon's own connection, made before any backend starts: no wait here */
	bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &local_error);
	if (bus == NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE,
		            "no session bus: '%s'", local_error->message);
		return NULL;
	}
	self = g_new0(MutterMonitor, 1);
	gb_idle_monitor_init(&self->base, &gb_idle_mutter, setup);
	self->threshold_us = setup->threshold_us;
	self->threshold_ms = (guint64) (setup->threshold_us + 999) / 1000;
	self->bus = g_steal_pointer(&bus);
	self->calls = g_ptr_array_new();
	self->probe = g_cancellable_new();
	ask_has_owner(self);
	return &self->base;
}

const GbIdleBackend gb_idle_mutter = {
	.name = "mutter",
	.dates_input = TRUE,
	.start = start,
	.watch_activity = watch_activity,
	.set_threshold = set_threshold,
	.stop = stop,
};

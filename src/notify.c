/* SPDX-License-Identifier: MIT */
/* libnotify adapter: writes the reminder, shows one at most, replaced in
 * place, withdrawn on a break, with Done/Snooze/Skip actions. */
#include <libnotify/notify.h>

#include "duration.h"
#include "notify.h"

#define APP_ID "org.glutebreak.Glutebreak"
#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define SOUND_NAME "message-new-instant"

struct _GbNotify {
	GbNotifyFunc func;
	gpointer user_data;
	/* The reminder on screen. libnotify 0.8.1 emits "closed" only once per
	 * NotifyNotification, so a closed one is never shown again: the next
	 * reminder gets a new object. */
	NotifyNotification *current;
	gboolean answered;  /* an action was invoked on current */
	guint watch_id;     /* the notification server's bus name */
	GList *caps;        /* of the server now running; NULL: ask it */
	gboolean show_failed;
};

static void
drop_current(GbNotify *self)
{
	if (self->current == NULL)
		return;
	g_signal_handlers_disconnect_by_data(self->current, self);
	g_clear_object(&self->current);
}

static void
on_action(NotifyNotification *notification, char *action, gpointer user_data)
{
	GbNotify *self = user_data;
	GbAnswer answer;

	if (notification != self->current)
		return;
	if (g_str_equal(action, "done"))
		answer = GB_ANSWER_DONE;
	else if (g_str_equal(action, "snooze"))
		answer = GB_ANSWER_SNOOZE;
	else if (g_str_equal(action, "skip"))
		answer = GB_ANSWER_SKIP;
	else
		return;
	g_info("reminder answered: %s", action);
	self->answered = TRUE;
	self->func(answer, self->user_data);
}

static void
on_closed(NotifyNotification *notification, gpointer user_data)
{
	GbNotify *self = user_data;
	gboolean answered = self->answered;

	if (notification != self->current)
		return;
	g_debug("reminder closed by the server (reason %d)",
	        notify_notification_get_closed_reason(notification));
	drop_current(self);
	if (!answered)
		self->func(GB_ANSWER_IGNORED, self->user_data);
}

static void
on_server_vanished(GDBusConnection *connection, const char *name, gpointer user_data)
{
	GbNotify *self = user_data;

	(void) connection;
	g_list_free_full(g_steal_pointer(&self->caps), g_free); /* the next server may differ */
	if (self->current == NULL)
		return;
	/* A restarted server knows nothing of our id: the next reminder must be
	 * a fresh notification, not a replacement (dunst would reuse the stale id). */
	g_message("notification server '%s' went away; the next reminder starts afresh", name);
	drop_current(self);
}

GbNotify *
gb_notify_new(GDBusConnection *bus, GbNotifyFunc func, gpointer user_data)
{
	GbNotify *self = g_new0(GbNotify, 1);

	self->func = func;
	self->user_data = user_data;
	if (!notify_is_initted())
		notify_init("Glutebreak");
	/* on the connection we have: g_bus_watch_name() would get it again asynchronously,
	 * which costs a worker thread */
	self->watch_id = g_bus_watch_name_on_connection(bus, NOTIFICATIONS_NAME,
	                                                G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
	                                                on_server_vanished, self, NULL);
	return self;
}

void
gb_notify_free(GbNotify *notify)
{
	if (notify == NULL)
		return;
	gb_notify_withdraw(notify);
	g_clear_handle_id(&notify->watch_id, g_bus_unwatch_name);
	g_list_free_full(notify->caps, g_free);
	g_free(notify);
}

static gboolean
has_cap(GList *caps, const char *cap)
{
	return g_list_find_custom(caps, cap, (GCompareFunc) g_strcmp0) != NULL;
}

void
gb_notify_show(GbNotify *self, const GbReminder *reminder)
{
	g_autoptr(GError) local_error = NULL;
	const GbExercise *exercise = reminder->exercise;
	g_autofree char *sitting = gb_duration_format(
		gb_duration_round_minutes(reminder->sitting_us));
	g_autofree char *summary = g_strdup_printf("You've been sitting for %s", sitting);
	g_autofree char *text = exercise != NULL
	        ? gb_exercise_format_body(exercise)
	        : g_strdup("Stand up and move for a few minutes.");
	g_autofree char *body = NULL;
	g_autofree char *snooze_label = NULL;
	gboolean actions, markup;

	g_message("reminder: sitting for %s%s, suggesting '%s'", sitting,
	          reminder->critical ? " (critical)" : "", exercise != NULL ? exercise->id : "-");
	if (self->caps == NULL)
		self->caps = notify_get_server_caps();
	actions = has_cap(self->caps, "actions");
	markup = has_cap(self->caps, "body-markup");
	body = actions ? g_strdup(text)
	               : g_strconcat(text,
	                             "\n\n(No buttons here: taking a break clears this reminder.)",
	                             NULL);
	if (markup) {
		/* user catalogue text may hold '&' or '<' */
		char *escaped = g_markup_escape_text(body, -1);

		g_free(body);
		body = escaped;
	}
	if (self->current == NULL) {
		self->current = notify_notification_new(summary, body, NULL);
		g_signal_connect(self->current, "closed", G_CALLBACK(on_closed), self);
	} else {
		notify_notification_update(self->current, summary, body, NULL);
	}
	self->answered = FALSE;
	/* a replaced reminder must not keep hints from before a reload */
	notify_notification_clear_hints(self->current);
	notify_notification_set_app_name(self->current, "Glutebreak");
	notify_notification_set_hint_string(self->current, "desktop-entry", APP_ID);
	notify_notification_set_urgency(self->current, reminder->critical ?
	                                 NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
	if (reminder->sound)
		notify_notification_set_hint_string(self->current, "sound-name", SOUND_NAME);
	else
		notify_notification_set_hint(self->current, "suppress-sound",
		                             g_variant_new_boolean(TRUE));
	notify_notification_clear_actions(self->current);
	if (actions) {
		g_autofree char *snooze = gb_duration_format(reminder->snooze_us);

		snooze_label = g_strdup_printf("Snooze %s", snooze);
		notify_notification_add_action(self->current, "done", "Done", on_action, self, NULL);
		notify_notification_add_action(self->current, "snooze", snooze_label, on_action,
		                               self, NULL);
		notify_notification_add_action(self->current, "skip", "Skip", on_action, self, NULL);
	}
	if (!notify_notification_show(self->current, &local_error)) {
		drop_current(self);
		if (!self->show_failed)
			g_warning("cannot show the reminder: %s", local_error->message);
		self->show_failed = TRUE;
		return;
	}
	self->show_failed = FALSE;
}

void
gb_notify_withdraw(GbNotify *self)
{
	g_autoptr(GError) error = NULL;
	NotifyNotification *notification = self->current;

	if (notification == NULL)
		return;
	g_object_ref(notification);
	drop_current(self);
	if (!notify_notification_close(notification, &error))
		g_debug("cannot withdraw the reminder: %s", error->message);
	g_object_unref(notification);
}

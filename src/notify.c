/* SPDX-License-Identifier: MIT */
/* libnotify adapter: writes the reminder, shows one at most, replaced in
 * place, withdrawn on a break, with Done/Snooze/Skip (and Too hard) actions.
 *
 * Never frozen (DESIGN rule 12). libnotify 0.8 only has synchronous calls,
 * each waiting up to 25 s (GDBus's default timeout) for the notification
 * server: notify_get_server_caps(), notify_notification_show() and _close(),
 * and the proxy that the first of them creates asks GetServerInformation. A
 * stopped or wedged server used to freeze the whole daemon for a minute and
 * more: no idle event, no break, no SIGTERM. So the main thread never calls
 * libnotify. One notification thread does, with a GMainContext of its own
 * pushed as its thread-default before its first libnotify call: libnotify's
 * GDBusProxy is created there, and the server's ActionInvoked and
 * NotificationClosed are dispatched there. gb_notify_show() and _withdraw()
 * leave a request (copied text) in a mailbox and wake the thread; the thread
 * sends what happened (an answer, a close, a failure) back to the main context
 * as an idle callback. While the thread is stuck in a call, requests wait in
 * the mailbox, coalesced: a newer show replaces one not yet sent, a withdraw
 * drops a pending show, and they run in order (the server vanished, withdraw,
 * show) once the call returns. Every withdraw starts a new episode; whatever
 * the thread reports from an older episode is stale and dropped, so an answer
 * can never reach the core after its reminder was withdrawn.
 *
 * Thread budget (DESIGN §5: 3 threads; main, gmain and gdbus exist): the
 * thread starts at a reminder and ends once nothing is on screen and nothing
 * is pending, after notify_uninit() has dropped the proxy and the thread has
 * dispatched the end of its subscriptions. Between reminders the daemon has
 * its three threads and libnotify holds nothing; the server's capabilities
 * are asked again by each thread (and after the server's name vanished).
 *
 * Exit: gb_notify_free() asks the thread to withdraw the reminder and end,
 * and waits at most QUIT_WAIT_US. A thread stuck in a call is left behind: it
 * holds its own reference to all it touches, and the process exits right
 * after, so SIGTERM is honoured at once even with a hung server.
 *
 * Not chosen: our own asynchronous D-Bus calls (libnotify is the product's
 * notification library, and knows portals and the spec's quirks); a thread per
 * call (the reminder's signals need a context that runs while it is on screen,
 * and libnotify's global state must stay in one thread at a time); a thread
 * for the daemon's whole life (a fourth thread, over DESIGN §5's budget). */
#include <libnotify/notify.h>

#include "duration.h"
#include "notify.h"

#define APP_NAME "Glutebreak"
#define APP_ID "org.glutebreak.Glutebreak"
#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define SOUND_NAME "message-new-instant"
#define THREAD_NAME "gb-notify"
/* how long gb_notify_free() waits for the reminder to be withdrawn */
#define QUIT_WAIT_US (300 * G_TIME_SPAN_MILLISECOND)

typedef struct {
	char *summary;
	char *body;     /* plain text: escaped in the thread if the server wants markup */
	gboolean critical;
	gboolean sound;
	gint64 snooze_us;
	gboolean offer_skip;
	gboolean offer_too_hard;
	guint episode;
} ShowRequest;

typedef struct _Worker Worker;

/* The main thread's side. */
struct _GbNotify {
	GbNotifyFunc func;
	gpointer user_data;
	guint watch_id;         /* the notification server's bus name */
	guint episode;          /* bumped by every withdraw */
	gboolean on_screen;     /* as far as this side knows */
	gboolean show_failed;   /* warned; quiet until a reminder shows again */
	GThread *thread;        /* the last one started: joined before the next */
	Worker *worker;
};

/* Shared with the notification thread; outlives GbNotify while a thread
 * stuck in a call holds it. */
struct _Worker {
	gatomicrefcount ref;
	GMainContext *context;       /* the thread's: libnotify's proxy and signals */
	GMainContext *main_context;  /* where reports go */
	GbNotify *owner;             /* main thread only; NULL once freed */

	GMutex lock;                 /* guards running and the mailbox */
	GCond stopped;               /* running became FALSE */
	gboolean running;            /* a thread serves the mailbox */
	gboolean vanished;           /* mailbox: the server went away */
	gboolean withdraw;           /* mailbox */
	ShowRequest *show;           /* mailbox */
	gboolean quit;               /* withdraw, then end for good */

	/* The thread's own. libnotify 0.8.1 emits "closed" only once per
	 * NotifyNotification, so a closed one is never shown again: the next
	 * reminder gets a new object. */
	gboolean initted;
	GList *caps;                 /* of the server now running; NULL: ask it */
	NotifyNotification *current;
	guint current_episode;
	gboolean answered;           /* an action was invoked on current */
};

typedef enum {
	REPORT_SHOWN,
	REPORT_SHOW_FAILED,
	REPORT_ANSWER,
	REPORT_CLOSED,
} ReportKind;

typedef struct {
	Worker *worker;
	ReportKind kind;
	guint episode;
	GbAnswer answer;     /* REPORT_ANSWER */
	int reason;          /* REPORT_CLOSED */
	gboolean answered;   /* REPORT_CLOSED: after an action */
	char *message;       /* REPORT_SHOW_FAILED */
} Report;

static gpointer run_thread(gpointer data);

static const struct {
	const char *key;
	GbAnswer answer;
} actions[] = {
	{ "done", GB_ANSWER_DONE },
	{ "snooze", GB_ANSWER_SNOOZE },
	{ "skip", GB_ANSWER_SKIP },
	{ "too-hard", GB_ANSWER_TOO_HARD },
};

static void
show_request_free(ShowRequest *request)
{
	if (request == NULL)
		return;
	g_free(request->summary);
	g_free(request->body);
	g_free(request);
}

static Worker *
worker_ref(Worker *w)
{
	g_atomic_ref_count_inc(&w->ref);
	return w;
}

static void
worker_unref(Worker *w)
{
	if (!g_atomic_ref_count_dec(&w->ref))
		return;
	show_request_free(w->show);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->stopped);
	g_main_context_unref(w->context);
	g_main_context_unref(w->main_context);
	g_free(w);
}

/* ---- the main thread ---- */

static gboolean
on_report(gpointer user_data)
{
	Report *r = user_data;
	GbNotify *self = r->worker->owner;

	if (self == NULL)
		return G_SOURCE_REMOVE;
	switch (r->kind) {
	case REPORT_SHOWN:
		self->show_failed = FALSE;
		return G_SOURCE_REMOVE;
	case REPORT_SHOW_FAILED:
		if (!self->show_failed)
			g_warning("cannot show the reminder: %s", r->message);
		self->show_failed = TRUE;
		if (r->episode == self->episode)
			self->on_screen = FALSE;
		return G_SOURCE_REMOVE;
	case REPORT_ANSWER:
		if (r->episode != self->episode)
			return G_SOURCE_REMOVE; /* to a reminder withdrawn since */
		for (gsize i = 0; i < G_N_ELEMENTS(actions); i++) {
			if (actions[i].answer == r->answer)
				g_info("reminder answered: %s", actions[i].key);
		}
		self->func(r->answer, self->user_data);
		return G_SOURCE_REMOVE;
	case REPORT_CLOSED:
		if (r->episode != self->episode)
			return G_SOURCE_REMOVE;
		g_debug("reminder closed by the server (reason %d)", r->reason);
		self->on_screen = FALSE;
		if (!r->answered)
			self->func(GB_ANSWER_IGNORED, self->user_data);
		return G_SOURCE_REMOVE;
	default:
		g_assert_not_reached();
	}
}

static void
report_free(gpointer data)
{
	Report *r = data;

	worker_unref(r->worker);
	g_free(r->message);
	g_free(r);
}

static void
start_thread(GbNotify *self)
{
	g_autoptr(GError) error = NULL;
	Worker *w = self->worker;

	/* The last one has left the mailbox for good and is returning; joined, it
	 * has also released the context, which the next one acquires. */
	if (self->thread != NULL)
		g_thread_join(g_steal_pointer(&self->thread));
	self->thread = g_thread_try_new(THREAD_NAME, run_thread, worker_ref(w), &error);
	if (self->thread != NULL)
		return;
	worker_unref(w);
	g_mutex_lock(&w->lock);
	w->running = FALSE;
	g_clear_pointer(&w->show, show_request_free);
	w->withdraw = w->vanished = FALSE;
	g_mutex_unlock(&w->lock);
	self->on_screen = FALSE;
	if (!self->show_failed)
		g_warning("cannot show the reminder: %s", error->message);
	self->show_failed = TRUE;
}

/* Leaves @show (NULL: none) in the mailbox, or a withdraw, or news that the
 * server vanished; starts a thread for a show if none runs. Without a thread
 * nothing is on screen, so the rest needs none. */
static void
post(GbNotify *self, ShowRequest *show, gboolean withdraw, gboolean vanished)
{
	Worker *w = self->worker;
	gboolean start = FALSE;

	g_mutex_lock(&w->lock);
	if (show != NULL) {
		show_request_free(w->show);
		w->show = show;
		start = !w->running;
		w->running = TRUE;
	} else if (w->running) {
		if (withdraw)
			g_clear_pointer(&w->show, show_request_free);
		w->withdraw |= withdraw;
		w->vanished |= vanished;
	}
	if (w->running && !start)
		g_main_context_wakeup(w->context);
	g_mutex_unlock(&w->lock);
	if (start)
		start_thread(self);
}

static void
on_server_vanished(GDBusConnection *connection, const char *name, gpointer user_data)
{
	GbNotify *self = user_data;

	(void) connection;
	/* A restarted server knows nothing of our id: the next reminder must be
	 * a fresh notification, not a replacement (dunst would reuse the stale id). */
	if (self->on_screen)
		g_message("notification server '%s' went away; the next reminder starts afresh",
		          name);
	self->on_screen = FALSE;
	post(self, NULL, FALSE, TRUE);
}

GbNotify *
gb_notify_new(GDBusConnection *bus, GbNotifyFunc func, gpointer user_data)
{
	GbNotify *self = g_new0(GbNotify, 1);
	Worker *w = g_new0(Worker, 1);

	g_atomic_ref_count_init(&w->ref);
	g_mutex_init(&w->lock);
	g_cond_init(&w->stopped);
	w->context = g_main_context_new();
	w->main_context = g_main_context_ref_thread_default();
	w->owner = self;
	self->worker = w;
	self->func = func;
	self->user_data = user_data;
	/* on the connection we have: g_bus_watch_name() would get it again asynchronously,
	 * which costs a worker thread */
	self->watch_id = g_bus_watch_name_on_connection(bus, NOTIFICATIONS_NAME,
	                                                G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
	                                                on_server_vanished, self, NULL);
	return self;
}

void
gb_notify_free(GbNotify *self)
{
	Worker *w;
	gint64 until = g_get_monotonic_time() + QUIT_WAIT_US;
	gboolean running;

	if (self == NULL)
		return;
	w = self->worker;
	g_clear_handle_id(&self->watch_id, g_bus_unwatch_name);
	g_mutex_lock(&w->lock);
	g_clear_pointer(&w->show, show_request_free);
	if (w->running) {
		w->quit = w->withdraw = TRUE;
		g_main_context_wakeup(w->context);
	}
	while (w->running && g_cond_wait_until(&w->stopped, &w->lock, until))
		;
	running = w->running;
	g_mutex_unlock(&w->lock);
	if (running) {
		g_message("the notification server does not answer; not waiting for it");
		g_thread_unref(g_steal_pointer(&self->thread));
	} else if (self->thread != NULL) {
		g_thread_join(g_steal_pointer(&self->thread));
	}
	w->owner = NULL; /* reports still queued in the main context are dropped */
	worker_unref(w);
	g_free(self);
}

void
gb_notify_show(GbNotify *self, const GbReminder *reminder)
{
	const GbExercise *exercise = reminder->exercise;
	g_autofree char *sitting = gb_duration_format(
		gb_duration_round_minutes(reminder->sitting_us));
	ShowRequest *request = g_new0(ShowRequest, 1);

	/* an exercise asked for on a break (glutebreakctl exercise) has no sitting to tell */
	request->summary = !reminder->asked || reminder->sitting_us > 0
	                   ? g_strdup_printf("You've been sitting for %s", sitting)
	                   : g_strdup("Time for a glute exercise");
	request->body = exercise == NULL ? g_strdup("Stand up and move for a few minutes.")
	                : reminder->programme ? gb_exercise_format_level_body(exercise, reminder->level)
	                : gb_exercise_format_body(exercise);
	request->critical = reminder->critical;
	request->sound = reminder->sound;
	request->snooze_us = reminder->snooze_us;
	request->offer_skip = reminder->offer_skip;
	request->offer_too_hard = reminder->programme && exercise != NULL &&
	                          exercise->category == GB_CATEGORY_STRENGTHEN;
	request->episode = self->episode;
	g_message("reminder: sitting for %s%s, suggesting '%s'", sitting,
	          reminder->critical ? " (critical)" : "", exercise != NULL ? exercise->id : "-");
	self->on_screen = TRUE;
	post(self, request, FALSE, FALSE);
}

void
gb_notify_withdraw(GbNotify *self)
{
	self->episode++;
	self->on_screen = FALSE;
	post(self, NULL, TRUE, FALSE);
}

gboolean
gb_notify_on_screen(const GbNotify *self)
{
	return self->on_screen;
}

/* ---- the notification thread ---- */

/* Every libnotify call below may wait up to 25 s for a server that stopped answering
 * (notify_get_server_caps(), notify_notification_show(), _close(), notify_uninit()): they
 * run only here, in the thread that owns w->context, never in the daemon's main loop. */
#define ASSERT_NOTIFICATION_THREAD(w) g_assert(g_main_context_is_owner((w)->context))

static void
send_report(Worker *w, ReportKind kind, guint episode, const Report *details)
{
	Report *r = g_new0(Report, 1);

	if (details != NULL)
		*r = *details;
	r->worker = worker_ref(w);
	r->kind = kind;
	r->episode = episode;
	/* from this thread, always queued: the main context is not its thread-default */
	g_main_context_invoke_full(w->main_context, G_PRIORITY_DEFAULT, on_report, r,
	                           report_free);
}

static void
drop_current(Worker *w)
{
	if (w->current == NULL)
		return;
	g_signal_handlers_disconnect_by_data(w->current, w);
	g_clear_object(&w->current);
}

static void
on_action(NotifyNotification *notification, char *action, gpointer user_data)
{
	Worker *w = user_data;

	if (notification != w->current)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(actions); i++) {
		if (g_str_equal(action, actions[i].key)) {
			Report details = { .answer = actions[i].answer };

			w->answered = TRUE;
			send_report(w, REPORT_ANSWER, w->current_episode, &details);
			return;
		}
	}
}

static void
on_closed(NotifyNotification *notification, gpointer user_data)
{
	Worker *w = user_data;
	Report details = {
		.reason = notify_notification_get_closed_reason(notification),
		.answered = w->answered,
	};

	if (notification != w->current)
		return;
	drop_current(w);
	send_report(w, REPORT_CLOSED, w->current_episode, &details);
}

static gboolean
has_cap(GList *caps, const char *cap)
{
	return g_list_find_custom(caps, cap, (GCompareFunc) g_strcmp0) != NULL;
}

static void
show_now(Worker *w, const ShowRequest *request)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *body = NULL;
	gboolean with_actions, markup;

	ASSERT_NOTIFICATION_THREAD(w);
	if (!w->initted)
		w->initted = notify_init(APP_NAME);
	if (w->caps == NULL)
		w->caps = notify_get_server_caps();
	with_actions = has_cap(w->caps, "actions");
	markup = has_cap(w->caps, "body-markup");
	body = with_actions ? g_strdup(request->body)
	                    : g_strconcat(request->body,
	                                  "\n\n(No buttons here: taking a break clears this "
	                                  "reminder.)", NULL);
	if (markup) {
		/* user catalogue text may hold '&' or '<' */
		char *escaped = g_markup_escape_text(body, -1);

		g_free(body);
		body = escaped;
	}
	if (w->current == NULL) {
		w->current = notify_notification_new(request->summary, body, NULL);
		g_signal_connect(w->current, "closed", G_CALLBACK(on_closed), w);
	} else {
		notify_notification_update(w->current, request->summary, body, NULL);
	}
	w->current_episode = request->episode;
	w->answered = FALSE;
	/* a replaced reminder must not keep hints from before a reload */
	notify_notification_clear_hints(w->current);
	notify_notification_set_app_name(w->current, APP_NAME);
	notify_notification_set_hint_string(w->current, "desktop-entry", APP_ID);
	notify_notification_set_urgency(w->current, request->critical ?
	                                NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
	if (request->sound)
		notify_notification_set_hint_string(w->current, "sound-name", SOUND_NAME);
	else
		notify_notification_set_hint(w->current, "suppress-sound",
		                             g_variant_new_boolean(TRUE));
	notify_notification_clear_actions(w->current);
	if (with_actions) {
		g_autofree char *snooze = gb_duration_format(request->snooze_us);
		g_autofree char *snooze_label = g_strdup_printf("Snooze %s", snooze);

		notify_notification_add_action(w->current, "done", "Done", on_action, w, NULL);
		notify_notification_add_action(w->current, "snooze", snooze_label, on_action, w,
		                               NULL);
		if (request->offer_skip)
			notify_notification_add_action(w->current, "skip", "Skip", on_action, w,
			                               NULL);
		if (request->offer_too_hard)
			notify_notification_add_action(w->current, "too-hard", "Too hard", on_action,
			                               w, NULL);
	}
	if (!notify_notification_show(w->current, &error)) {
		Report details = { .message = g_strdup(error->message) };

		drop_current(w);
		send_report(w, REPORT_SHOW_FAILED, request->episode, &details);
		return;
	}
	send_report(w, REPORT_SHOWN, request->episode, NULL);
}

static void
close_current(Worker *w)
{
	g_autoptr(GError) error = NULL;
	NotifyNotification *notification = w->current;

	ASSERT_NOTIFICATION_THREAD(w);
	if (notification == NULL)
		return;
	g_object_ref(notification);
	drop_current(w);
	if (!notify_notification_close(notification, &error))
		g_debug("cannot withdraw the reminder: %s", error->message);
	g_object_unref(notification);
}

static void
forget_server(Worker *w)
{
	drop_current(w);
	g_list_free_full(g_steal_pointer(&w->caps), g_free); /* the next server may differ */
}

/* Nothing on screen: libnotify lets go of its proxy, whose signal subscriptions
 * end with destroy notifications dispatched in this thread's context. */
static void
shut_down(Worker *w)
{
	ASSERT_NOTIFICATION_THREAD(w);
	forget_server(w);
	notify_uninit();
	w->initted = FALSE;
	while (g_main_context_iteration(w->context, FALSE))
		;
}

/* One turn of the thread: handles what the mailbox holds, or waits for it
 * and for the server's signals. FALSE: the thread is done. */
static gboolean
serve(Worker *w)
{
	ShowRequest *show;
	gboolean vanished, withdraw, quit;

	g_mutex_lock(&w->lock);
	show = g_steal_pointer(&w->show);
	vanished = w->vanished;
	withdraw = w->withdraw;
	quit = w->quit;
	w->vanished = w->withdraw = FALSE;
	if (show == NULL && !vanished && !withdraw) {
		if (w->current != NULL && !quit) {
			g_mutex_unlock(&w->lock);
			/* the reminder's signals, or a wake-up for the mailbox */
			g_main_context_iteration(w->context, TRUE);
			return TRUE;
		}
		if (!w->initted) {
			w->running = FALSE;
			g_cond_broadcast(&w->stopped);
			g_mutex_unlock(&w->lock);
			return FALSE;
		}
		g_mutex_unlock(&w->lock);
		shut_down(w);
		return TRUE; /* a request may have come meanwhile */
	}
	g_mutex_unlock(&w->lock);
	if (vanished)
		forget_server(w);
	if (withdraw)
		close_current(w);
	if (show != NULL && !quit)
		show_now(w, show);
	show_request_free(show);
	return TRUE;
}

static gpointer
run_thread(gpointer data)
{
	Worker *w = data; /* the thread's reference */

	g_main_context_push_thread_default(w->context);
	while (serve(w))
		;
	g_main_context_pop_thread_default(w->context);
	worker_unref(w);
	return NULL;
}

/* SPDX-License-Identifier: MIT */
/* The X11 idle backend against a real Xvfb, driven by xdotool (reference/test-peers.md). */
#include <dlfcn.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <xcb/sync.h>
#include <xcb/xcb.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "clock.h"
#include "errors.h"
#include "idle.h"

#define MS(ms) ((gint64) (ms) * 1000)
#define WAIT_MS 5000
/* how far a reported time may be from the input: the report is computed from the server's
 * millisecond counter when the event is read, which a busy (sanitizer) build delays */
#define TOLERANCE_US MS(150)

typedef struct {
	GbIdleEvent event;
	gint64 time_us;         /* as reported */
	gint64 seen_us;         /* when the callback ran */
} Seen;

typedef struct {
	GSubprocess *xvfb;
	GbIdleMonitor *monitor;
	GArray *seen;           /* of Seen, but READY */
	gboolean ready;         /* READY seen */
	char *why;              /* of BROKEN */
	int moves;
} Fixture;

/* Xvfb cannot run without SYNC ("can not be disabled"), so the polling fallback is tested by
 * hiding the extension: the linker binds the backend's call to this definition, not libxcb's.
 * libxcb's own calls may come here too (xcb_send_request() looks up extension opcodes): only
 * the backend's question about SYNC gets a different answer, and then it sends no SYNC request. */
static gboolean hide_sync;

const xcb_query_extension_reply_t *
xcb_get_extension_data(xcb_connection_t *conn, xcb_extension_t *ext)
{
	static const xcb_query_extension_reply_t absent = { .present = 0 };
	const xcb_query_extension_reply_t *(*real)(xcb_connection_t *, xcb_extension_t *);

	if (hide_sync && ext == &xcb_sync_id)
		return &absent;
	real = (const xcb_query_extension_reply_t *(*)(xcb_connection_t *, xcb_extension_t *))
		dlsym(RTLD_NEXT, "xcb_get_extension_data");
	g_assert_nonnull(real);
	return real(conn, ext);
}

static void send_key(void);

/* Set to make input happen after the backend read the counter for the watch alarm and before it
 * arms the alarm with what it read: the race watch_activity() must handle. */
static gboolean input_after_query;

xcb_void_cookie_t
xcb_sync_create_alarm_aux(xcb_connection_t *conn, xcb_sync_alarm_t id, uint32_t value_mask,
                          const xcb_sync_create_alarm_value_list_t *value_list)
{
	xcb_void_cookie_t (*real)(xcb_connection_t *, xcb_sync_alarm_t, uint32_t,
	                          const xcb_sync_create_alarm_value_list_t *);

	real = (xcb_void_cookie_t (*)(xcb_connection_t *, xcb_sync_alarm_t, uint32_t,
	                              const xcb_sync_create_alarm_value_list_t *))
		dlsym(RTLD_NEXT, "xcb_sync_create_alarm_aux");
	g_assert_nonnull(real);
	if (input_after_query && value_list->testType == XCB_SYNC_TESTTYPE_NEGATIVE_COMPARISON) {
		input_after_query = FALSE;
		send_key();     /* returns once the server has it */
	}
	return real(conn, id, value_mask, value_list);
}

/* A call that returns later than this was waiting on the X server. */
#define NO_WAIT_US MS(200)

/* Ends the test program if the calls until disarm_watchdog() wait on a stopped X server for
 * good: a failure, where waiting would hang the test. */
static void
arm_watchdog(void)
{
	alarm(5);
}

static void
disarm_watchdog(void)
{
	alarm(0);
}

/* waiting: iterate the default main context, never sleep ------------------------------------ */

static gboolean
on_deadline(gpointer user_data)
{
	gboolean *expired = user_data;

	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

/* Until @fx has seen @n events or WAIT_MS passed. */
static void
wait_for_events(Fixture *fx, guint n)
{
	gboolean expired = FALSE;
	guint id = g_timeout_add(WAIT_MS, on_deadline, &expired);

	while (fx->seen->len < n && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(id);
	g_assert_cmpuint(fx->seen->len, >=, n);
}

/* Iterates for @ms; returns how many sources were dispatched, the deadline included. */
static guint
run_for(guint ms)
{
	gboolean expired = FALSE;
	guint dispatched = 0;

	g_timeout_add(ms, on_deadline, &expired);
	while (!expired) {
		if (g_main_context_iteration(NULL, TRUE))
			dispatched++;
	}
	return dispatched;
}

/* peers ----------------------------------------------------------------------------------- */

typedef struct {
	GString *text;
	gboolean done;
} DisplayFdReader;

static gboolean
on_displayfd(int fd, GIOCondition condition, gpointer user_data)
{
	DisplayFdReader *reader = user_data;
	char chunk[32];
	ssize_t n;

	(void) condition;
	n = read(fd, chunk, sizeof chunk);
	if (n > 0)
		g_string_append_len(reader->text, chunk, n);
	if (n > 0 && strchr(reader->text->str, '\n') == NULL)
		return G_SOURCE_CONTINUE;
	reader->done = TRUE;
	return G_SOURCE_REMOVE;
}

/* An aborted test skips the teardown: take Xvfb down with us. */
static void
on_child_setup(gpointer user_data)
{
	(void) user_data;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts Xvfb and points DISPLAY at it; FALSE (the test skipped) if a peer is not installed. */
static gboolean
start_xvfb(Fixture *fx)
{
	g_autofree char *xvfb = g_find_program_in_path("Xvfb");
	g_autofree char *xdotool = g_find_program_in_path("xdotool");
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree char *display = NULL;
	DisplayFdReader reader = { .text = text };
	gboolean expired = FALSE;
	guint deadline_id, fd_id;
	int fds[2];

	if (xvfb == NULL || xdotool == NULL) {
		g_test_skip("Xvfb or xdotool is not installed");
		return FALSE;
	}
	g_unix_open_pipe(fds, FD_CLOEXEC, &error);
	g_assert_no_error(error);
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
	                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE);
	g_subprocess_launcher_take_fd(launcher, fds[1], 3);
	g_subprocess_launcher_set_child_setup(launcher, on_child_setup, NULL, NULL);
	fx->xvfb = g_subprocess_launcher_spawn(launcher, &error, xvfb, "-displayfd", "3",
	                                       "-noreset", "-nolisten", "tcp", NULL);
	g_assert_no_error(error);
	g_clear_object(&launcher);      /* closes our copy of the write end */

	fd_id = g_unix_fd_add(fds[0], G_IO_IN | G_IO_HUP | G_IO_ERR, on_displayfd, &reader);
	deadline_id = g_timeout_add(WAIT_MS, on_deadline, &expired);
	while (!reader.done && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!reader.done)
		g_source_remove(fd_id);
	if (!expired)
		g_source_remove(deadline_id);
	g_close(fds[0], NULL);
	g_assert_true(reader.done);
	g_strstrip(text->str);
	g_assert_cmpstr(text->str, !=, "");

	display = g_strdup_printf(":%s", text->str);
	g_test_message("Xvfb on '%s'", display);
	g_setenv("DISPLAY", display, TRUE);
	g_unsetenv("WAYLAND_DISPLAY");
	return TRUE;
}

static void
kill_xvfb(Fixture *fx)
{
	g_autoptr(GError) error = NULL;

	g_subprocess_force_exit(fx->xvfb);
	g_subprocess_wait(fx->xvfb, NULL, &error);
	g_assert_no_error(error);
}

/* Moves the pointer somewhere else; the input happened between *before_us and *after_us. */
static void
send_input(Fixture *fx, gint64 *before_us, gint64 *after_us)
{
	g_autofree char *x = g_strdup_printf("%d", 10 + fx->moves++ % 100);
	const char *argv[] = { "xdotool", "mousemove", x, "20", NULL };
	g_autoptr(GError) error = NULL;
	gint64 before = gb_clock_now_us();
	int status;

	g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
	             &status, &error);
	g_assert_no_error(error);
	g_spawn_check_wait_status(status, &error);
	g_assert_no_error(error);
	if (before_us != NULL)
		*before_us = before;
	if (after_us != NULL)
		*after_us = gb_clock_now_us();
}

static void
send_key(void)
{
	const char *argv[] = { "xdotool", "key", "shift", NULL };
	g_autoptr(GError) error = NULL;
	int status;

	g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
	             &status, &error);
	g_assert_no_error(error);
	g_spawn_check_wait_status(status, &error);
	g_assert_no_error(error);
}

/* the backend --------------------------------------------------------------------------- */

static void
on_idle_event(GbIdleEvent event, gint64 time_us, const char *why, gpointer user_data)
{
	Fixture *fx = user_data;
	Seen seen = { .event = event, .time_us = time_us, .seen_us = gb_clock_now_us() };

	g_test_message("event %d: time %+" G_GINT64_FORMAT " ms from now%s%s", event,
	               (time_us - seen.seen_us) / 1000, why != NULL ? ": " : "",
	               why != NULL ? why : "");
	g_assert_true(why == NULL || event == GB_IDLE_BROKEN);
	if (event == GB_IDLE_READY) {
		/* first, and once */
		g_assert_false(fx->ready);
		g_assert_cmpuint(fx->seen->len, ==, 0);
		fx->ready = TRUE;
		return;
	}
	if (event == GB_IDLE_BROKEN) {
		g_free(fx->why);
		fx->why = g_strdup(why);
	}
	g_array_append_val(fx->seen, seen);
}

static GbIdleMonitor *
start_x11(Fixture *fx, gint64 threshold_us, GError **error)
{
	GbIdleSetup setup = {
		.threshold_us = threshold_us,
		.func = on_idle_event,
		.user_data = fx,
	};

	return gb_idle_x11.start(&setup, error);
}

/* Until READY or WAIT_MS passed. */
static void
wait_ready(Fixture *fx)
{
	gboolean expired = FALSE;
	guint id = g_timeout_add(WAIT_MS, on_deadline, &expired);

	while (!fx->ready && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(id);
	g_assert_true(fx->ready);
}

/* Starts it and waits until it is ready. */
static void
start_monitor(Fixture *fx, gint64 threshold_us)
{
	g_autoptr(GError) error = NULL;

	fx->monitor = start_x11(fx, threshold_us, &error);
	g_assert_no_error(error);
	g_assert_nonnull(fx->monitor);
	g_assert_true(fx->monitor->backend == &gb_idle_x11);
	/* never from inside start() */
	g_assert_false(fx->ready);
	wait_ready(fx);
}

static const Seen *
nth(Fixture *fx, guint i)
{
	g_assert_cmpuint(i, <, fx->seen->len);
	return &g_array_index(fx->seen, Seen, i);
}

/* event @i is @event and its time lies in [@from_us, @to_us] give or take TOLERANCE_US */
static void
assert_event(Fixture *fx, guint i, GbIdleEvent event, gint64 from_us, gint64 to_us)
{
	const Seen *seen = nth(fx, i);

	g_assert_cmpint(seen->event, ==, event);
	g_assert_cmpint(seen->time_us, >=, from_us - TOLERANCE_US);
	g_assert_cmpint(seen->time_us, <=, to_us + TOLERANCE_US);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	(void) data;
	fx->seen = g_array_new(FALSE, FALSE, sizeof(Seen));
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	(void) data;
	g_clear_pointer(&fx->monitor, gb_idle_x11.stop);
	if (fx->xvfb != NULL)
		kill_xvfb(fx);
	g_clear_object(&fx->xvfb);
	g_array_unref(fx->seen);
	g_free(fx->why);
	g_unsetenv("DISPLAY");
	disarm_watchdog();
	hide_sync = FALSE;
	input_after_query = FALSE;
}

/* tests --------------------------------------------------------------------------------- */

static void
test_idle_then_active(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	/* alarms, not the polling fallback: the backend found IDLETIME among the counters */
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "SYNC 3.* IDLETIME alarms at '500 ms'");
	start_monitor(fx, MS(500));
	g_test_assert_expected_messages();
	send_input(fx, &before, &after);
	wait_for_events(fx, 1);
	assert_event(fx, 0, GB_IDLE_IDLE, before, after);
	/* not before the threshold (the server counts whole ms) */
	g_assert_cmpint(nth(fx, 0)->seen_us, >=, before + MS(500) - MS(2));

	send_input(fx, &before, &after);
	wait_for_events(fx, 2);
	g_assert_cmpuint(fx->seen->len, ==, 2);
	assert_event(fx, 1, GB_IDLE_ACTIVE, before, after);
}

static void
test_second_idle_period(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, MS(300));
	for (guint period = 0; period < 2; period++) {
		send_input(fx, &before, &after);
		wait_for_events(fx, 2 * period + 1);
		assert_event(fx, 2 * period, GB_IDLE_IDLE, before, after);
		send_key();
		wait_for_events(fx, 2 * period + 2);
		g_assert_cmpint(nth(fx, 2 * period + 1)->event, ==, GB_IDLE_ACTIVE);
	}
	/* still idle-free: the last input was just now */
	run_for(100);
	g_assert_cmpuint(fx->seen->len, ==, 4);
}

static void
test_input_before_threshold_is_quiet(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, MS(800));
	for (int i = 0; i < 4; i++) {
		send_input(fx, &before, &after);
		run_for(250);
	}
	g_assert_cmpuint(fx->seen->len, ==, 0);
	wait_for_events(fx, 1);
	assert_event(fx, 0, GB_IDLE_IDLE, before, after);
	g_assert_cmpint(nth(fx, 0)->seen_us, >=, before + MS(800) - MS(2));
}

static void
test_already_idle_at_start(Fixture *fx, gconstpointer data)
{
	gint64 before, after, started;

	(void) data;
	if (!start_xvfb(fx))
		return;
	send_input(fx, &before, &after);
	run_for(500);
	started = gb_clock_now_us();
	start_monitor(fx, MS(300));
	wait_for_events(fx, 1);
	assert_event(fx, 0, GB_IDLE_IDLE, before, after);
	/* at once, not another threshold later */
	g_assert_cmpint(nth(fx, 0)->seen_us - started, <, MS(200));

	/* the ACTIVE alarm fires although it never saw the counter rise */
	send_input(fx, &before, &after);
	wait_for_events(fx, 2);
	assert_event(fx, 1, GB_IDLE_ACTIVE, before, after);
}

static void
test_watch_activity(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, 10 * G_USEC_PER_SEC);
	send_input(fx, NULL, NULL);
	run_for(100);

	for (guint round = 0; round < 2; round++) {
		gb_idle_x11.watch_activity(fx->monitor);
		g_assert_cmpuint(fx->seen->len, ==, round);
		run_for(300);
		g_assert_cmpuint(fx->seen->len, ==, round);     /* no input, no report */

		send_input(fx, &before, &after);
		wait_for_events(fx, round + 1);
		assert_event(fx, round, GB_IDLE_ACTIVE, before, after);

		send_input(fx, NULL, NULL);                     /* one-shot */
		send_key();
		run_for(300);
		g_assert_cmpuint(fx->seen->len, ==, round + 1);
	}
}

static void
test_watch_activity_input_while_arming(Fixture *fx, gconstpointer data)
{
	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, 10 * G_USEC_PER_SEC);
	send_input(fx, NULL, NULL);
	run_for(100);

	input_after_query = TRUE;
	gb_idle_x11.watch_activity(fx->monitor);
	g_assert_cmpuint(fx->seen->len, ==, 0);
	wait_for_events(fx, 1);
	g_assert_false(input_after_query);
	g_assert_cmpint(nth(fx, 0)->event, ==, GB_IDLE_ACTIVE);
	run_for(300);
	g_assert_cmpuint(fx->seen->len, ==, 1);
}

static void
test_watch_activity_while_idle(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, MS(300));
	send_input(fx, NULL, NULL);
	wait_for_events(fx, 1);
	g_assert_cmpint(nth(fx, 0)->event, ==, GB_IDLE_IDLE);

	gb_idle_x11.watch_activity(fx->monitor);
	run_for(200);
	g_assert_cmpuint(fx->seen->len, ==, 1);
	send_input(fx, &before, &after);
	wait_for_events(fx, 2);
	assert_event(fx, 1, GB_IDLE_ACTIVE, before, after);
	run_for(200);
	g_assert_cmpuint(fx->seen->len, ==, 2);         /* one ACTIVE for one input */
}

static void
xvfb_signal(Fixture *fx, int signum)
{
	g_subprocess_send_signal(fx->xvfb, signum);
}

/* A stopped X server still accepts the connection (the kernel queues it) but never answers
 * the set-up: start() returns at once, and READY comes once it answers. */
static void
test_start_stopped_server(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	gint64 before;

	(void) data;
	if (!start_xvfb(fx))
		return;
	xvfb_signal(fx, SIGSTOP);
	before = gb_clock_now_us();
	arm_watchdog();
	fx->monitor = start_x11(fx, MS(500), &error);
	disarm_watchdog();
	g_assert_no_error(error);
	g_assert_cmpint(gb_clock_now_us() - before, <, NO_WAIT_US);
	run_for(300);
	g_assert_false(fx->ready);
	g_assert_cmpuint(fx->seen->len, ==, 0);
	xvfb_signal(fx, SIGCONT);
	wait_ready(fx);
	/* and it works */
	send_input(fx, NULL, NULL);
	wait_for_events(fx, 1);
	g_assert_cmpint(nth(fx, 0)->event, ==, GB_IDLE_IDLE);
}

/* Stopped (the supervisor gave up on it) while the connection was still being made: nothing is
 * reported, and the connection that comes later is closed. */
static void
test_stop_while_connecting(Fixture *fx, gconstpointer data)
{
	(void) data;
	if (!start_xvfb(fx))
		return;
	xvfb_signal(fx, SIGSTOP);
	fx->monitor = start_x11(fx, MS(300), NULL);
	run_for(100);
	g_clear_pointer(&fx->monitor, gb_idle_x11.stop);
	xvfb_signal(fx, SIGCONT);
	run_for(500);
	g_assert_false(fx->ready);
	g_assert_cmpuint(fx->seen->len, ==, 0);
}

/* watch_activity() (after a "Done" click) against a stopped X server returns at once; the
 * input after it continues is reported. */
static void
test_watch_activity_stopped_server(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, 10 * G_USEC_PER_SEC);
	send_input(fx, NULL, NULL);
	run_for(100);
	xvfb_signal(fx, SIGSTOP);
	before = gb_clock_now_us();
	arm_watchdog();
	gb_idle_x11.watch_activity(fx->monitor);
	run_for(100);
	disarm_watchdog();
	g_assert_cmpint(gb_clock_now_us() - before, <, MS(100) + NO_WAIT_US);
	g_assert_cmpuint(fx->seen->len, ==, 0);
	xvfb_signal(fx, SIGCONT);
	run_for(200);
	g_assert_cmpuint(fx->seen->len, ==, 0);
	send_input(fx, &before, &after);
	wait_for_events(fx, 1);
	assert_event(fx, 0, GB_IDLE_ACTIVE, before, after);
}

/* A new threshold takes effect without a new connection. */
static void
test_set_threshold(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, 10 * G_USEC_PER_SEC);
	gb_idle_x11.set_threshold(fx->monitor, MS(300));
	g_assert_cmpuint(fx->seen->len, ==, 0);
	send_input(fx, &before, &after);
	wait_for_events(fx, 1);
	assert_event(fx, 0, GB_IDLE_IDLE, before, after);
	g_assert_cmpint(nth(fx, 0)->seen_us, >=, before + MS(300) - MS(2));
	g_assert_cmpint(nth(fx, 0)->seen_us, <, before + 10 * G_USEC_PER_SEC);
	send_input(fx, &before, &after);
	wait_for_events(fx, 2);
	assert_event(fx, 1, GB_IDLE_ACTIVE, before, after);
}

/* Idle reported, then the threshold grows past the idle time so far: the next input still ends
 * the idle period, once. */
static void
test_set_threshold_while_idle(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, MS(300));
	send_input(fx, NULL, NULL);
	wait_for_events(fx, 1);
	g_assert_cmpint(nth(fx, 0)->event, ==, GB_IDLE_IDLE);
	gb_idle_x11.set_threshold(fx->monitor, 10 * G_USEC_PER_SEC);
	run_for(200);
	g_assert_cmpuint(fx->seen->len, ==, 1);
	send_input(fx, &before, &after);
	wait_for_events(fx, 2);
	assert_event(fx, 1, GB_IDLE_ACTIVE, before, after);
	run_for(300);
	g_assert_cmpuint(fx->seen->len, ==, 2);
}

/* Already idle for longer than a new, shorter threshold: IDLE at once, dated to the input. */
static void
test_set_threshold_already_idle(Fixture *fx, gconstpointer data)
{
	gint64 before, after, changed;

	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, 10 * G_USEC_PER_SEC);
	send_input(fx, &before, &after);
	run_for(500);
	changed = gb_clock_now_us();
	gb_idle_x11.set_threshold(fx->monitor, MS(300));
	wait_for_events(fx, 1);
	assert_event(fx, 0, GB_IDLE_IDLE, before, after);
	g_assert_cmpint(nth(fx, 0)->seen_us - changed, <, MS(200));
}

static void
test_wayland_display(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	(void) data;
	g_setenv("DISPLAY", ":0", TRUE);
	g_setenv("WAYLAND_DISPLAY", "wayland-0", TRUE);
	fx->monitor = start_x11(fx, MS(500), &error);
	g_unsetenv("WAYLAND_DISPLAY");
	g_assert_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE);
	g_assert_null(fx->monitor);
	g_assert_nonnull(strstr(error->message, "WAYLAND_DISPLAY"));
}

static void
test_no_display(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	(void) data;
	g_unsetenv("WAYLAND_DISPLAY");
	g_unsetenv("DISPLAY");
	fx->monitor = start_x11(fx, MS(500), &error);
	g_assert_error(error, GB_ERROR, GB_ERROR_IDLE_UNAVAILABLE);
	g_assert_null(fx->monitor);
	g_clear_error(&error);

	/* a display number nobody listens on: found out from the main loop */
	g_setenv("DISPLAY", ":4095", TRUE);
	fx->monitor = start_x11(fx, MS(500), &error);
	g_assert_no_error(error);
	g_assert_nonnull(fx->monitor);
	wait_for_events(fx, 1);
	g_assert_false(fx->ready);
	g_assert_cmpint(nth(fx, 0)->event, ==, GB_IDLE_BROKEN);
	g_assert_nonnull(strstr(fx->why, "cannot open X display: ':4095'"));
	g_assert_false(g_main_context_iteration(NULL, FALSE));
}

/* After BROKEN nothing is left to dispatch: no source spinning on the dead fd. */
static void
assert_quiet_after_lost(Fixture *fx)
{
	g_assert_cmpuint(fx->seen->len, ==, 1);
	g_assert_cmpint(nth(fx, 0)->event, ==, GB_IDLE_BROKEN);
	g_assert_cmpint(nth(fx, 0)->time_us, >=, nth(fx, 0)->seen_us - TOLERANCE_US);
	g_assert_false(g_main_context_iteration(NULL, FALSE));
	g_assert_cmpuint(run_for(300), ==, 1);          /* only run_for()'s own deadline */
	g_assert_cmpuint(fx->seen->len, ==, 1);
}

static void
test_server_killed(Fixture *fx, gconstpointer data)
{
	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, MS(500));
	send_input(fx, NULL, NULL);
	run_for(50);

	kill_xvfb(fx);
	wait_for_events(fx, 1);
	g_test_assert_expected_messages();
	assert_quiet_after_lost(fx);

	/* harmless once lost, and silent */
	gb_idle_x11.watch_activity(fx->monitor);
	g_assert_cmpuint(run_for(100), ==, 1);
	g_assert_cmpuint(fx->seen->len, ==, 1);
}

static void
test_server_killed_during_watch(Fixture *fx, gconstpointer data)
{
	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, 10 * G_USEC_PER_SEC);
	run_for(50);

	/* the backend has not read the hang-up yet: watch_activity() runs into it */
	kill_xvfb(fx);
	gb_idle_x11.watch_activity(fx->monitor);
	g_assert_cmpuint(fx->seen->len, ==, 0);
	wait_for_events(fx, 1);
	g_test_assert_expected_messages();
	assert_quiet_after_lost(fx);
}

static void
test_stop_after_server_died(Fixture *fx, gconstpointer data)
{
	(void) data;
	if (!start_xvfb(fx))
		return;
	start_monitor(fx, MS(500));
	run_for(50);

	/* stop() comes before the backend read the hang-up */
	kill_xvfb(fx);
	g_clear_pointer(&fx->monitor, gb_idle_x11.stop);
	g_assert_cmpuint(run_for(100), ==, 1);
	g_assert_cmpuint(fx->seen->len, ==, 0);
}

static void
test_polling_fallback(Fixture *fx, gconstpointer data)
{
	gint64 before, after;

	(void) data;
	if (!start_xvfb(fx))
		return;
	hide_sync = TRUE;
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
	                      "polling MIT-SCREEN-SAVER*no SYNC*");
	start_monitor(fx, MS(500));
	g_test_assert_expected_messages();

	send_input(fx, &before, &after);
	wait_for_events(fx, 1);
	assert_event(fx, 0, GB_IDLE_IDLE, before, after);
	g_assert_cmpint(nth(fx, 0)->seen_us, >=, before + MS(500) - MS(2));

	/* while idle it looks every half threshold (at most a second) */
	send_input(fx, &before, &after);
	wait_for_events(fx, 2);
	assert_event(fx, 1, GB_IDLE_ACTIVE, before, after);
	g_assert_cmpint(nth(fx, 1)->seen_us, <=, after + MS(250) + TOLERANCE_US);

	/* watch_activity() ignores the input before it */
	gb_idle_x11.watch_activity(fx->monitor);
	run_for(200);
	g_assert_cmpuint(fx->seen->len, ==, 2);
	send_input(fx, &before, &after);
	wait_for_events(fx, 3);
	assert_event(fx, 2, GB_IDLE_ACTIVE, before, after);
	wait_for_events(fx, 4);
	assert_event(fx, 3, GB_IDLE_IDLE, before, after);

	/* killed while polling */
	kill_xvfb(fx);
	wait_for_events(fx, 5);
	g_test_assert_expected_messages();
	g_assert_cmpint(nth(fx, 4)->event, ==, GB_IDLE_BROKEN);
	g_assert_false(g_main_context_iteration(NULL, FALSE));
	g_assert_cmpuint(run_for(300), ==, 1);
	g_assert_cmpuint(fx->seen->len, ==, 5);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
	g_test_add("/idle-x11/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("idle-then-active", test_idle_then_active);
	ADD("second-idle-period", test_second_idle_period);
	ADD("input-before-threshold-is-quiet", test_input_before_threshold_is_quiet);
	ADD("already-idle-at-start", test_already_idle_at_start);
	ADD("watch-activity", test_watch_activity);
	ADD("watch-activity-input-while-arming", test_watch_activity_input_while_arming);
	ADD("watch-activity-while-idle", test_watch_activity_while_idle);
	ADD("start-stopped-server", test_start_stopped_server);
	ADD("stop-while-connecting", test_stop_while_connecting);
	ADD("watch-activity-stopped-server", test_watch_activity_stopped_server);
	ADD("set-threshold", test_set_threshold);
	ADD("set-threshold-while-idle", test_set_threshold_while_idle);
	ADD("set-threshold-already-idle", test_set_threshold_already_idle);
	ADD("wayland-display", test_wayland_display);
	ADD("no-display", test_no_display);
	ADD("server-killed", test_server_killed);
	ADD("server-killed-during-watch", test_server_killed_during_watch);
	ADD("stop-after-server-died", test_stop_after_server_died);
	ADD("polling-fallback", test_polling_fallback);
#undef ADD
	return g_test_run();
}

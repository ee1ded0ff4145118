/* SPDX-License-Identifier: MIT */
/* See x11-fixture.h. */
#include <dlfcn.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <xcb/sync.h>
#include <xcb/xcb.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "clock.h"
#include "x11-fixture.h"

/* Xvfb cannot run without SYNC ("can not be disabled"), so the polling fallback is tested by
 * hiding the extension: the linker binds the backend's call to this definition, not libxcb's.
 * libxcb's own calls may come here too (xcb_send_request() looks up extension opcodes): only
 * the backend's question about SYNC gets a different answer, and then it sends no SYNC request. */
gboolean hide_sync;

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

/* Set to make input happen after the backend read the counter for the watch alarm and before it
 * arms the alarm with what it read: the race watch_activity() must handle. */
gboolean input_after_query;

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

/* Ends the test program if the calls until disarm_watchdog() wait on a stopped X server for
 * good: a failure, where waiting would hang the test. */
void
arm_watchdog(void)
{
	alarm(5);
}

void
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
void
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
guint
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
gboolean
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

void
kill_xvfb(Fixture *fx)
{
	g_autoptr(GError) error = NULL;

	g_subprocess_force_exit(fx->xvfb);
	g_subprocess_wait(fx->xvfb, NULL, &error);
	g_assert_no_error(error);
}

/* Moves the pointer somewhere else; the input happened between *before_us and *after_us. */
void
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

void
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

GbIdleMonitor *
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
void
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
void
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

const Seen *
nth(Fixture *fx, guint i)
{
	g_assert_cmpuint(i, <, fx->seen->len);
	return &g_array_index(fx->seen, Seen, i);
}

/* event @i is @event and its time lies in [@from_us, @to_us] give or take TOLERANCE_US */
void
assert_event(Fixture *fx, guint i, GbIdleEvent event, gint64 from_us, gint64 to_us)
{
	const Seen *seen = nth(fx, i);

	g_assert_cmpint(seen->event, ==, event);
	g_assert_cmpint(seen->time_us, >=, from_us - TOLERANCE_US);
	g_assert_cmpint(seen->time_us, <=, to_us + TOLERANCE_US);
}

void
fixture_setup(Fixture *fx, gconstpointer data)
{
	(void) data;
	fx->seen = g_array_new(FALSE, FALSE, sizeof(Seen));
}

void
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

void
xvfb_signal(Fixture *fx, int signum)
{
	g_autofree char *stat_path = g_strdup_printf("/proc/%s/stat",
	                                             g_subprocess_get_identifier(fx->xvfb));
	gint64 deadline = g_get_monotonic_time() + MS(WAIT_MS);

	g_subprocess_send_signal(fx->xvfb, signum);
	if (signum != SIGSTOP)
		return;
	/* stopped for sure before the test goes on: state 'T' after the name in /proc */
	for (;;) {
		g_autofree char *stat = NULL;
		const char *end;

		g_assert_true(g_file_get_contents(stat_path, &stat, NULL, NULL));
		end = strrchr(stat, ')');
		if (end != NULL && end[1] == ' ' && end[2] == 'T')
			return;
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_thread_yield();
	}
}


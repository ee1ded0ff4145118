/* SPDX-License-Identifier: MIT */
/* The X11 idle backend against a real Xvfb, driven by xdotool (reference/test-peers.md). */
#include <signal.h>
#include <string.h>

#include <xcb/sync.h>
#include <xcb/xcb.h>

#include "clock.h"
#include "errors.h"
#include "idle.h"
#include "x11-fixture.h"

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

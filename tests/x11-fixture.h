/* SPDX-License-Identifier: MIT */
/* The harness of tests/test-idle-x11.c: a real Xvfb driven by xdotool, the X11 backend
 * started on it, and bounded waits that iterate the main context (nothing sleeps). */
#pragma once

#include <gio/gio.h>

#include "idle.h"

#define MS(ms) ((gint64) (ms) * 1000)
#define WAIT_MS 5000
/* A call that returns later than this was waiting on the X server. */
#define NO_WAIT_US MS(200)
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

/* Hide the SYNC extension from the backend (the polling fallback). */
extern gboolean hide_sync;
/* Input right before the backend arms its watch alarm (the race watch_activity() handles). */
extern gboolean input_after_query;

/* Ends the test program if the calls until disarm_watchdog() wait on a stopped X server for
 * good: a failure, where waiting would hang the test. */
void arm_watchdog(void);
void disarm_watchdog(void);
/* Until @fx has seen @n events or WAIT_MS passed. */
void wait_for_events(Fixture *fx, guint n);
/* Iterates for @ms; returns how many sources were dispatched, the deadline included. */
guint run_for(guint ms);
/* Starts Xvfb and points DISPLAY at it; FALSE (the test skipped) if a peer is not installed. */
gboolean start_xvfb(Fixture *fx);
void kill_xvfb(Fixture *fx);
/* Moves the pointer somewhere else; the input happened between *before_us and *after_us. */
void send_input(Fixture *fx, gint64 *before_us, gint64 *after_us);
void send_key(void);
GbIdleMonitor *start_x11(Fixture *fx, gint64 threshold_us, GError **error);
/* Until READY or WAIT_MS passed. */
void wait_ready(Fixture *fx);
/* Starts it and waits until it is ready. */
void start_monitor(Fixture *fx, gint64 threshold_us);
const Seen *nth(Fixture *fx, guint i);
/* event @i is @event and its time lies in [@from_us, @to_us] give or take TOLERANCE_US */
void assert_event(Fixture *fx, guint i, GbIdleEvent event, gint64 from_us, gint64 to_us);
void fixture_setup(Fixture *fx, gconstpointer data);
void fixture_teardown(Fixture *fx, gconstpointer data);
void xvfb_signal(Fixture *fx, int signum);

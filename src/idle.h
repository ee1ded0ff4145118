/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	GB_IDLE_ACTIVE, /* input at @time_us */
	GB_IDLE_IDLE,   /* no input since @time_us (the last input) */
	GB_IDLE_LOST,   /* the source went away for good (server gone); @time_us is now.
	                 * The daemon stops the monitor and probes again. */
	GB_IDLE_GONE,   /* the source went away but is watched for (a bus name that can come
	                 * back); nothing is reported until GB_IDLE_BACK; @time_us is now */
	GB_IDLE_BACK,   /* it came back and is armed afresh: idleness is reported anew, as
	                 * after start(); @time_us is now */
} GbIdleEvent;

/* @time_us is CLOCK_BOOTTIME µs (gb_clock_now_us()). Never called from inside
 * a GbIdleBackend function: always from the main loop. It may call stop() or
 * watch_activity() on the monitor. */
typedef void (*GbIdleFunc)(GbIdleEvent event, gint64 time_us, gpointer user_data);

typedef struct _GbIdleMonitor GbIdleMonitor;

typedef struct {
	const char *name; /* value of [idle] backend= in the config */
	/* An idle period that began before start() is reported with its real beginning (the
	 * source knows when the last input was), so restart recovery can trust it. */
	gboolean dates_input;
	/* Reports GB_IDLE_IDLE once input has been idle for @threshold_us, then
	 * GB_IDLE_ACTIVE on the next input: one pair per idle period, no polling
	 * where the desktop has an event API. Sets GB_ERROR_IDLE_UNAVAILABLE with
	 * the reason when the backend cannot work in this session. */
	GbIdleMonitor *(*start)(gint64 threshold_us, GbIdleFunc func, gpointer user_data,
	                        GError **error);
	/* One-shot: report GB_IDLE_ACTIVE on the next input even if the user
	 * never went idle for @threshold_us (e.g. after a "Done" click). */
	void (*watch_activity)(GbIdleMonitor *monitor);
	/* Releases everything and ends with gb_idle_monitor_stop(). Both functions are only
	 * called on a monitor that is not NULL and not stopped: gb_idle_watch_activity() and
	 * gb_idle_stop() check that. */
	void (*stop)(GbIdleMonitor *monitor);
} GbIdleBackend;

/* Starts backend @name ("auto" tries them in order); "none" always succeeds
 * and never reports anything (timer-only mode). */
GbIdleMonitor *gb_idle_start(const char *name, gint64 threshold_us, GbIdleFunc func,
                             gpointer user_data, GError **error);
void gb_idle_watch_activity(GbIdleMonitor *monitor);
void gb_idle_stop(GbIdleMonitor *monitor);
const char *gb_idle_get_name(const GbIdleMonitor *monitor);
gboolean gb_idle_dates_input(const GbIdleMonitor *monitor);
/* TRUE if @name is a backend name this build knows (for config validation). */
gboolean gb_idle_backend_known(const char *name);
/* Comma-separated list of the names, for error messages. */
const char *gb_idle_backend_names(void);
/* --list-backends: one line per backend in the order "auto" tries them, saying
 * why it cannot run in this session or that it can, and which one "auto" picks.
 * Starts and stops each backend; never calls a GbIdleFunc. Caller frees. */
char *gb_idle_describe(gint64 threshold_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbIdleMonitor, gb_idle_stop)

extern const GbIdleBackend gb_idle_none;
extern const GbIdleBackend gb_idle_mutter;
#ifdef HAVE_WAYLAND
extern const GbIdleBackend gb_idle_wayland;
#endif
#ifdef HAVE_X11
extern const GbIdleBackend gb_idle_x11;
#endif
extern const GbIdleBackend gb_idle_logind;

/* For backends ----------------------------------------------------------------------------- */

/* The report queue every backend delivers through. Backends queue reports wherever they learn
 * something, and idle.c keeps these invariants for all of them:
 * - base.func runs only from the main loop, never from inside start(), watch_activity() or
 *   stop(): there reports are only queued, and an idle source or the backend's own main-loop
 *   callback (gb_idle_emit()) delivers them;
 * - reports arrive in the order they were queued; one queued while base.func runs (by
 *   watch_activity(), or by a callback of a main loop base.func iterates) comes after it;
 * - base.func may call stop(): the monitor stays allocated until base.func returns, and
 *   gb_idle_watch_activity() and gb_idle_stop() do nothing meanwhile;
 * - nothing is delivered after stop(): the rest of the queue is dropped. */

/* Backends embed this as their first member and keep their own state after it. */
struct _GbIdleMonitor {
	const GbIdleBackend *backend;
	GbIdleFunc func;
	gpointer user_data;
	/* idle.c's; backends leave these alone */
	GArray *reports;        /* queued, not yet given to func, oldest first */
	guint flush_id;         /* idle source that delivers them */
	gboolean emitting;      /* inside func */
	gboolean stopped;       /* stop() ran: freed once func returns */
};

/* In start(), on the zeroed (g_new0) backend struct that @monitor begins, before anything
 * can queue a report or call stop(). */
void gb_idle_monitor_init(GbIdleMonitor *monitor, const GbIdleBackend *backend,
                          GbIdleFunc func, gpointer user_data);
/* Queues a report and makes sure the main loop delivers it. Allowed anywhere until stop(). */
void gb_idle_queue(GbIdleMonitor *monitor, GbIdleEvent event, gint64 time_us);
/* Delivers the queue now; only from the backend's own main-loop callbacks. Returns FALSE if
 * func stopped the monitor: it is freed then (or once an outer call's func returns), so the
 * caller must not touch it again. */
gboolean gb_idle_emit(GbIdleMonitor *monitor);
/* The end of every stop(), once the backend released all it holds but its struct: drops the
 * queue and frees @monitor with g_free(), at once or, when stop() came from inside func,
 * after func returns. */
void gb_idle_monitor_stop(GbIdleMonitor *monitor);

G_END_DECLS

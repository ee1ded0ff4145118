/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "logind.h"

G_BEGIN_DECLS

/* The idle source, as the daemon sees it ---------------------------------------------------- */

typedef enum {
	GB_IDLE_SOURCE_IDLE,     /* no input since @time_us (the last input) */
	GB_IDLE_SOURCE_ACTIVE,   /* input at @time_us */
	/* A source that reports input was (re)started, or came back: what any source reported
	 * before is void. Also after every (re)start that picked the same source. @time_us is
	 * now. */
	GB_IDLE_SOURCE_INPUT,
	/* No source reports input (none works, "none" is configured, or the one in use went
	 * away until it comes back): remind on timers only. @time_us is now. */
	GB_IDLE_SOURCE_NO_INPUT,
} GbIdleSourceEvent;

/* @time_us is CLOCK_BOOTTIME µs (gb_clock_now_us()). Always called from the main loop, never
 * from inside a gb_idle_source_*() call. */
typedef void (*GbIdleSourceFunc)(GbIdleSourceEvent event, gint64 time_us, gpointer user_data);

typedef struct _GbIdleSource GbIdleSource;

/* Runs backend @name ("auto": the first of them that works, in the order of
 * gb_idle_describe()) with the idle threshold @threshold_us, and keeps it running: falls back
 * to timers only with one warning, probes again after a loss, follows a source that goes away
 * and comes back. @logind (not NULL; borrowed, must outlive the source) is the session the
 * logind backend watches. Never blocks on a peer: the choice is reported from the main loop,
 * as GB_IDLE_SOURCE_INPUT or _NO_INPUT, and until then no source reports input. */
GbIdleSource *gb_idle_source_new(const char *name, gint64 threshold_us, GbLogind *logind,
                                 GbIdleSourceFunc func, gpointer user_data);
void gb_idle_source_free(GbIdleSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbIdleSource, gb_idle_source_free)

/* One-shot: report GB_IDLE_SOURCE_ACTIVE on the next input even if the user never went idle
 * for the threshold (e.g. after a "Done" click). Nothing while no source reports input. */
void gb_idle_source_watch_activity(GbIdleSource *source);
/* A reload: a new backend @name is started afresh (reported as after gb_idle_source_new());
 * only a new @threshold_us is handed to the source in use, which keeps running. */
void gb_idle_source_reconfigure(GbIdleSource *source, const char *name, gint64 threshold_us);
/* The backend reporting input now, or NULL (timer-only, or still deciding). */
const char *gb_idle_source_get_name(const GbIdleSource *source);
/* Whether that backend dates input (GbIdleBackend.dates_input); FALSE while none reports
 * input. At start-up it is known once GB_IDLE_SOURCE_INPUT or _NO_INPUT was reported. */
gboolean gb_idle_source_dates_input(const GbIdleSource *source);

/* TRUE if @name is a backend name this build knows (for config validation). */
gboolean gb_idle_backend_known(const char *name);
/* Comma-separated list of the names, for error messages. */
const char *gb_idle_backend_names(void);
/* --list-backends: one line per backend in the order "auto" tries them, saying
 * why it cannot run in this session or that it can, and which one "auto" picks.
 * Starts and stops each backend, running the main loop until each has decided (bounded by
 * the same timeout as the daemon's probe). Caller frees. */
char *gb_idle_describe(gint64 threshold_us);

/* For backends ----------------------------------------------------------------------------- */

typedef enum {
	GB_IDLE_ACTIVE, /* input at @time_us */
	GB_IDLE_IDLE,   /* no input since @time_us (the last input) */
	/* start() has decided: the source works and is armed. Nothing else comes before it. */
	GB_IDLE_READY,
	/* The source broke for good (a connection lost), or, before GB_IDLE_READY, cannot work
	 * in this session; @why says why. Nothing comes after it: the supervisor stops the
	 * monitor (from the main loop, never from inside this report) and probes again. */
	GB_IDLE_BROKEN,
	/* The source went away but is watched for (a bus name that can come back): nothing is
	 * reported until GB_IDLE_BACK. */
	GB_IDLE_ABSENT,
	/* It came back and is armed afresh: idleness is reported anew, as after READY. */
	GB_IDLE_BACK,
} GbIdleEvent;

/* @time_us is CLOCK_BOOTTIME µs (gb_clock_now_us()); @why is NULL but for GB_IDLE_BROKEN.
 * Never called from inside a GbIdleBackend function: always from the main loop. It may call
 * watch_activity() and set_threshold(), but never stop() (see idle.c). */
typedef void (*GbIdleFunc)(GbIdleEvent event, gint64 time_us, const char *why,
                           gpointer user_data);

typedef struct _GbIdleMonitor GbIdleMonitor;

typedef struct {
	gint64 threshold_us;
	GbLogind *logind;       /* borrowed; NULL only for backends that do not need it */
	GbIdleFunc func;
	gpointer user_data;
} GbIdleSetup;

typedef struct {
	const char *name; /* value of [idle] backend= in the config */
	/* An idle period that began before start() is reported with its real beginning (the
	 * source knows when the last input was), so restart recovery can trust it. */
	gboolean dates_input;
	/* Starts watching for idle periods of @setup->threshold_us: GB_IDLE_IDLE once input has
	 * been idle that long, then GB_IDLE_ACTIVE on the next input, one pair per idle period,
	 * no polling where the desktop has an event API. Never waits for a peer: returns at once
	 * and reports GB_IDLE_READY or GB_IDLE_BROKEN later, from the main loop. Only what it
	 * can tell without asking a peer (no WAYLAND_DISPLAY) is an error here, in
	 * GB_ERROR_IDLE_UNAVAILABLE. */
	GbIdleMonitor *(*start)(const GbIdleSetup *setup, GError **error);
	/* One-shot: report GB_IDLE_ACTIVE on the next input even if the user never went idle
	 * (e.g. after a "Done" click). Only after GB_IDLE_READY. */
	void (*watch_activity)(GbIdleMonitor *monitor);
	/* A new threshold for the coming idle periods, without a new connection. Any time after
	 * start(). An IDLE already reported still ends with an ACTIVE on the next input. */
	void (*set_threshold)(GbIdleMonitor *monitor, gint64 threshold_us);
	/* Releases everything and ends with gb_idle_monitor_stop(); nothing is reported after
	 * it. Never from inside the monitor's own GbIdleFunc. */
	void (*stop)(GbIdleMonitor *monitor);
} GbIdleBackend;

extern const GbIdleBackend gb_idle_mutter;
#ifdef HAVE_WAYLAND
extern const GbIdleBackend gb_idle_wayland;
#endif
#ifdef HAVE_X11
extern const GbIdleBackend gb_idle_x11;
#endif
extern const GbIdleBackend gb_idle_logind;

/* The report queue every backend delivers through. Backends queue reports wherever they learn
 * something, and idle.c keeps these invariants for all of them:
 * - func runs only from the main loop, never from inside start(), watch_activity(),
 *   set_threshold() or stop(): there reports are only queued, and an idle source or the
 *   backend's own main-loop callback (gb_idle_emit()) delivers them;
 * - reports arrive in the order they were queued; one queued while func runs (by
 *   watch_activity()) comes after it;
 * - nothing is delivered after stop(): the rest of the queue is dropped.
 * func must not stop the monitor: whoever handles GB_IDLE_BROKEN defers that to the main
 * loop, so no backend has to survive being freed inside its own callback. */

/* Backends embed this as their first member and keep their own state after it. */
struct _GbIdleMonitor {
	const GbIdleBackend *backend;
	GbIdleFunc func;
	gpointer user_data;
	/* idle.c's; backends leave these alone */
	GArray *reports;        /* queued, not yet given to func, oldest first */
	guint flush_id;         /* idle source that delivers them */
};

/* In start(), on the zeroed (g_new0) backend struct that @monitor begins, before anything
 * can queue a report. */
void gb_idle_monitor_init(GbIdleMonitor *monitor, const GbIdleBackend *backend,
                          const GbIdleSetup *setup);
/* Queues a report and makes sure the main loop delivers it. Allowed anywhere until stop(). */
void gb_idle_queue(GbIdleMonitor *monitor, GbIdleEvent event, gint64 time_us);
/* Queues GB_IDLE_BROKEN with @why (copied). */
void gb_idle_queue_broken(GbIdleMonitor *monitor, const char *why);
/* Delivers the queue now; only from the backend's own main-loop callbacks. */
void gb_idle_emit(GbIdleMonitor *monitor);
/* The end of every stop(), once the backend released all it holds but its struct: drops the
 * queue and frees @monitor with g_free(). */
void gb_idle_monitor_stop(GbIdleMonitor *monitor);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
/* The daemon's holds (DESIGN.md rule 10): the sensors the settings ask for, their combined
 * state fed to the core, the read-when-due of sensors without change signals, the history's
 * hold events, and GNOME's own movement breaks (not a hold: a warning). */
#include "clock.h"
#include "daemon-private.h"
#include "gnome-breaks.h"
#include "hold-camera.h"
#include "hold-dnd.h"
#include "hold-inhibit.h"
#include "hold-schedule.h"
#ifdef HAVE_X11
#include "hold-fullscreen-x11.h"
#endif
#ifdef HAVE_WAYLAND
#include "hold-fullscreen-wlr.h"
#endif

/* The sensors read when a reminder falls due (GB_ACTION_CHECK_HOLD). */
typedef enum {
	CHECK_DND        = 1 << 0,
	CHECK_FULLSCREEN = 1 << 1,
} CheckSensor;

struct _GbDaemonHolds {
	GbHold *hold;
	CheckSensor checking;         /* the sensors whose answer the check waits for */
	gboolean checked_on;          /* one of the answers so far said "holding" */
	GbHoldDnd *dnd;
#ifdef HAVE_X11
	GbHoldX11Fullscreen *fullscreen_x11; /* also read when a reminder falls due */
#endif
#ifdef HAVE_WAYLAND
	GbHoldWlrFullscreen *fullscreen_wlr;
#endif
	GbHoldInhibit *inhibit;
	GbHoldCamera *camera;
	GbHoldSchedule *schedule;
	GbGnomeBreaks *breaks;
	gboolean warned;              /* the GNOME breaks warning went to the log */
};

static void
on_hold_changed(gpointer user_data)
{
	GbDaemon *self = user_data;
	gint64 now = gb_daemon_woke(self);
	GbHoldReason reasons = gb_hold_get_reasons(self->holds->hold);
	g_autofree char *text = gb_hold_describe(self->holds->hold);

	g_info("hold: %s", *text != '\0' ? text : "none");
	gb_record_holds(self->record, reasons, gb_clock_wall_us());
	/* a do-not-disturb that cannot signal its end (mako before 1.10) holds only through the
	 * read when a reminder falls due: as a hold that ends by itself it would never end */
	if (self->holds->dnd != NULL && gb_hold_dnd_needs_check(self->holds->dnd))
		reasons &= ~GB_HOLD_DND;
	gb_daemon_apply(self, gb_core_set_held(self->core, reasons != 0, now));
}

/* @sensor answered the check (or is gone: @on FALSE); the core hears once all did. */
static void
checked(GbDaemon *self, CheckSensor sensor, gboolean on)
{
	GbDaemonHolds *h = self->holds;
	gint64 now;

	if (!(h->checking & sensor))
		return;
	h->checking &= ~sensor;
	h->checked_on |= on;
	if (h->checking != 0)
		return;
	now = gb_daemon_woke(self);
	if (h->checked_on)
		g_info("a reminder is due, but a hold is on: held back until the next repeat");
	gb_daemon_apply(self, gb_core_hold_checked(self->core, h->checked_on, now));
}

static void
on_dnd_checked(gboolean on, gpointer user_data)
{
	checked(user_data, CHECK_DND, on);
}

#ifdef HAVE_X11
static void
on_fullscreen_checked(gboolean on, gpointer user_data)
{
	checked(user_data, CHECK_FULLSCREEN, on);
}
#endif

static void
on_breaks_changed(gpointer user_data)
{
	GbDaemon *self = user_data;
	const char *warning = gb_gnome_breaks_get_warning(self->holds->breaks);

	if (warning != NULL && !self->holds->warned)
		g_warning("%s", warning);
	self->holds->warned |= warning != NULL;
	gb_daemon_apply(self, GB_ACTION_NONE);
}

static gboolean
has_fullscreen(const GbDaemonHolds *h)
{
#ifdef HAVE_X11
	if (h->fullscreen_x11 != NULL)
		return TRUE;
#endif
#ifdef HAVE_WAYLAND
	if (h->fullscreen_wlr != NULL)
		return TRUE;
#endif
	(void) h;
	return FALSE;
}

static gboolean
checks_fullscreen(const GbDaemonHolds *h)
{
#ifdef HAVE_X11
	return h->fullscreen_x11 != NULL;
#else
	(void) h;
	return FALSE;
#endif
}

/* wlroots under Wayland, else X11 (not under XWayland: the sensor refuses) */
static void
start_fullscreen(GbDaemonHolds *h)
{
	g_autoptr(GError) error = NULL;

#ifdef HAVE_WAYLAND
	if (g_getenv("WAYLAND_DISPLAY") != NULL)
		h->fullscreen_wlr = gb_hold_wlr_fullscreen_new(h->hold, &error);
#endif
#ifdef HAVE_X11
	if (!has_fullscreen(h) && error == NULL)
		h->fullscreen_x11 = gb_hold_x11_fullscreen_new(h->hold, &error);
#endif
	if (!has_fullscreen(h))
		g_info("no fullscreen hold: %s",
		       error != NULL ? error->message : "built without X11 and Wayland");
}

static void
stop_fullscreen(GbDaemonHolds *h)
{
#ifdef HAVE_X11
	g_clear_pointer(&h->fullscreen_x11, gb_hold_x11_fullscreen_free);
#endif
#ifdef HAVE_WAYLAND
	g_clear_pointer(&h->fullscreen_wlr, gb_hold_wlr_fullscreen_free);
#endif
	(void) h;
}

/* Starts the sensors @s asks for and stops the others; @old: the settings before a reload
 * (NULL at start), to restart only what changed. */
static void
configure(GbDaemon *self, const GbSettings *old)
{
	GbDaemonHolds *h = self->holds;
	const GbSettings *s = self->settings;
	gboolean modes_changed = old != NULL && !g_strv_equal((const char *const *) old->mako_modes,
	                                                      (const char *const *) s->mako_modes);
	gboolean schedule_changed = old != NULL && !gb_schedule_equal(old->schedule, s->schedule);

	if ((!s->hold_dnd || modes_changed) && h->dnd != NULL) {
		g_clear_pointer(&h->dnd, gb_hold_dnd_free);
		gb_hold_set(h->hold, GB_HOLD_DND, FALSE, NULL);
		checked(self, CHECK_DND, FALSE); /* its answer will not come */
	}
	if (s->hold_dnd && h->dnd == NULL)
		h->dnd = gb_hold_dnd_new(self->bus, h->hold,
		                         (const char *const *) s->mako_modes);
	if (!s->hold_fullscreen && has_fullscreen(h)) {
		stop_fullscreen(h);
		gb_hold_set(h->hold, GB_HOLD_FULLSCREEN, FALSE, NULL);
		checked(self, CHECK_FULLSCREEN, FALSE); /* its answer will not come */
	}
	if (s->hold_fullscreen && !has_fullscreen(h) && (old == NULL || !old->hold_fullscreen))
		start_fullscreen(h);
	if (!s->hold_inhibitors && h->inhibit != NULL) {
		g_clear_pointer(&h->inhibit, gb_hold_inhibit_free);
		gb_hold_set(h->hold, GB_HOLD_INHIBITOR, FALSE, NULL);
	}
	if (s->hold_inhibitors && h->inhibit == NULL)
		h->inhibit = gb_hold_inhibit_new(self->bus, h->hold);
	if (!s->hold_camera && h->camera != NULL) {
		g_clear_pointer(&h->camera, gb_hold_camera_free);
		gb_hold_set(h->hold, GB_HOLD_CAMERA, FALSE, NULL);
	}
	if (s->hold_camera && h->camera == NULL)
		h->camera = gb_hold_camera_new(h->hold, "/dev");
	if (schedule_changed && h->schedule != NULL) {
		g_clear_pointer(&h->schedule, gb_hold_schedule_free);
		gb_hold_set(h->hold, GB_HOLD_SCHEDULE, FALSE, NULL);
	}
	if (!gb_schedule_is_always(s->schedule) && h->schedule == NULL)
		h->schedule = gb_hold_schedule_new(h->hold, s->schedule);
	/* read when a reminder falls due: do-not-disturb (mako before 1.10 cannot signal), and
	 * X11 fullscreen (a window manager may mark a window fullscreen without resizing it) */
	gb_daemon_apply(self, gb_core_set_hold_check(self->core,
	                                             h->dnd != NULL || checks_fullscreen(h),
	                                             gb_clock_now_us()));
}

void
gb_daemon_holds_start(GbDaemon *self)
{
	self->holds = g_new0(GbDaemonHolds, 1);
	self->holds->hold = gb_hold_new(on_hold_changed, self);
	self->holds->breaks = gb_gnome_breaks_new(self->bus, on_breaks_changed, self);
	configure(self, NULL);
}

void
gb_daemon_holds_reconfigure(GbDaemon *self, const GbSettings *old)
{
	configure(self, old);
}

void
gb_daemon_holds_check(GbDaemon *self)
{
	GbDaemonHolds *h = self->holds;

	h->checked_on = FALSE;
	h->checking = (h->dnd != NULL ? CHECK_DND : 0) | (checks_fullscreen(h) ? CHECK_FULLSCREEN : 0);
	if (h->checking == 0) {
		/* the sensors went away since the core was told to check */
		gb_daemon_apply(self, gb_core_hold_checked(self->core, FALSE, gb_daemon_woke(self)));
		return;
	}
	if (h->dnd != NULL)
		gb_hold_dnd_check(h->dnd, on_dnd_checked, self);
#ifdef HAVE_X11
	if (h->fullscreen_x11 != NULL)
		gb_hold_x11_fullscreen_check(h->fullscreen_x11, on_fullscreen_checked, self);
#endif
}

char *
gb_daemon_holds_describe(GbDaemon *self)
{
	return gb_hold_describe(self->holds->hold);
}

const char *
gb_daemon_holds_get_warning(GbDaemon *self)
{
	const char *warning = gb_gnome_breaks_get_warning(self->holds->breaks);

	return warning != NULL ? warning : "";
}

/* The history's holds, once the daemon may write it. */
void
gb_daemon_holds_record(GbDaemon *self)
{
	gb_record_holds(self->record, gb_hold_get_reasons(self->holds->hold), gb_clock_wall_us());
}

void
gb_daemon_holds_stop(GbDaemon *self)
{
	GbDaemonHolds *h = self->holds;

	if (h == NULL)
		return;
	/* no sensor reports after this: none is left to */
	g_clear_pointer(&h->dnd, gb_hold_dnd_free);
	stop_fullscreen(h);
	g_clear_pointer(&h->inhibit, gb_hold_inhibit_free);
	g_clear_pointer(&h->camera, gb_hold_camera_free);
	g_clear_pointer(&h->schedule, gb_hold_schedule_free);
	g_clear_pointer(&h->breaks, gb_gnome_breaks_free);
	g_clear_pointer(&h->hold, gb_hold_free);
	g_clear_pointer(&self->holds, g_free);
}

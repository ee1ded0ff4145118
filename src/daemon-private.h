/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by daemon.c (the glue) and daemon-commands.c (the D-Bus methods); nothing else
 * includes it. */

#include <gio/gio.h>

#include "config-files.h"
#include "core.h"
#include "daemon.h"
#include "dbus.h"
#include "exercises.h"
#include "idle.h"
#include "notify.h"
#include "programme.h"
#include "record.h"
#include "session.h"
#include "settings.h"
#include "state.h"

G_BEGIN_DECLS

typedef struct _GbDaemonHolds GbDaemonHolds;

struct _GbDaemon {
	GDBusConnection *bus;
	GbConfigFiles *files;    /* the config file and catalogues, watched */
	GbSettings *settings;
	GbCatalogue *catalogue;
	GbCore *core;
	GbNotify *notify;
	GbIdleSource *idle;
	GbSession *session;      /* lock, sleep and resume sensors */
	GbDaemonHolds *holds;    /* daemon-hold.c */
	GbDBus *dbus;
	GbDaemonQuitFunc quit;
	gpointer quit_data;
	gint64 wall_offset;      /* Unix µs - CLOCK_BOOTTIME µs, for the D-Bus times */
	GRand *rand;
	int timer_fd;
	guint timer_id;
	gint64 suspend_offset;   /* boottime - monotonic when the last suspend was accounted for */
	char *boot_id;
	GbStateFile *state;
	GbRecord *record;        /* the history */
	GbProgramme *programme;  /* levels and today's mix, saved in the state file */
	char *shown_id;          /* the exercise of the reminder on screen; NULL: none */
	/* the saved state was read: only once the idle source decided (which says whether its
	 * first report dates the last input) and the name is ours; nothing is saved before */
	gboolean restored;
	gboolean idle_decided;   /* the idle source reported its first choice */
	gboolean owns_name;      /* the D-Bus name is ours: the files are ours to write */
};

/* Every wake-up starts here, before anything looks at the time; returns now. */
gint64 gb_daemon_woke(GbDaemon *self);
/* Carries out what the core asked for, then re-arms the one deadline. */
void gb_daemon_apply(GbDaemon *self, GbActions actions);
/* An answer to the reminder, from the notification or from a command. */
void gb_daemon_answer(GbDaemon *self, GbAnswer answer, gint64 duration_us, gint64 now);
/* @asked: the exercise glutebreakctl asked for; NULL: the reminder is due, with the next
 * exercise in the rotation. */
void gb_daemon_show_reminder(GbDaemon *self, const GbExercise *asked, gint64 now);
const GbExercise *gb_daemon_next_exercise(GbDaemon *self);
/* Reads the saved state once both the idle source decided and the name is ours; until then
 * no file is read or written. */
void gb_daemon_restore(GbDaemon *self);

/* Saves the state file (bout and programme), once it is ours. */
void gb_daemon_save(GbDaemon *self);

extern const GbDBusHandlers gb_daemon_dbus_handlers;

/* src/daemon-programme.c: levels and the daily mix ([programme] enabled) */
/* The exercise for the next reminder: the mix's category for [exercises] focus, then the
 * programme's strengthen exercise or the rotation's. */
const GbExercise *gb_daemon_programme_pick(GbDaemon *self);
/* A reminder with @exercise is shown: returns its level (0: none, or the programme is off). */
guint gb_daemon_programme_shown(GbDaemon *self, const GbExercise *exercise);
/* The reminder on screen was answered: Done and Too hard move its exercise on. */
void gb_daemon_programme_answer(GbDaemon *self, GbAnswer answer);
/* The reminder on screen went away without an answer. */
void gb_daemon_programme_forget_shown(GbDaemon *self);
/* glutebreakctl too-hard [ID] ("": the reminder on screen). */
gboolean gb_daemon_programme_too_hard(GbDaemon *self, const char *id, GError **error);
/* Reads the levels from the state file (a bad one: a warning, everyone at level 1). */
void gb_daemon_programme_load(GbDaemon *self);

/* src/daemon-hold.c: the hold sensors the settings ask for, fed to the core */
void gb_daemon_holds_start(GbDaemon *self);
/* After a reload; @old: the settings before it. */
void gb_daemon_holds_reconfigure(GbDaemon *self, const GbSettings *old);
/* GB_ACTION_CHECK_HOLD: reads the sensors without change signals, then tells the core. */
void gb_daemon_holds_check(GbDaemon *self);
char *gb_daemon_holds_describe(GbDaemon *self);
/* "" or a warning for the status (GNOME's own movement breaks are on too). */
const char *gb_daemon_holds_get_warning(GbDaemon *self);
/* Writes the holds on now to the history (once it is ours). */
void gb_daemon_holds_record(GbDaemon *self);
void gb_daemon_holds_stop(GbDaemon *self);

G_END_DECLS

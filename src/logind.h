/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Our logind session, found once and shared by everything that needs it (the session sensors
 * and the logind idle backend), reference/idle-apis.md §2.5: $XDG_SESSION_ID, then
 * GetSession("auto"), then GetSessionByPID, then the user's Display session. Signals come only
 * on a real path like the one found. Asynchronous: logind is a peer that may not answer. */

typedef enum {
	GB_LOGIND_RESOLVING,  /* not decided yet */
	GB_LOGIND_NO_BUS,     /* no system bus */
	GB_LOGIND_ABSENT,     /* nothing answers as logind on the system bus */
	GB_LOGIND_NO_SESSION, /* logind answers, but has no session for us */
	GB_LOGIND_FOUND,
} GbLogindState;

typedef struct _GbLogind GbLogind;

/* Called once the state is no longer GB_LOGIND_RESOLVING; from the main loop, never from
 * inside a gb_logind_*() call. */
typedef void (*GbLogindFunc)(GbLogind *logind, gpointer user_data);

/* Connects to the system bus and starts resolving; never fails (see the state). */
GbLogind *gb_logind_new(void);
void gb_logind_free(GbLogind *logind);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbLogind, gb_logind_free)

GbLogindState gb_logind_get_state(const GbLogind *logind);
/* Why the state is not GB_LOGIND_FOUND ("no system bus at 'ADDRESS' (why)", logind's error,
 * or what each resolution step said), for messages; NULL while resolving or once found. */
const char *gb_logind_get_problem(const GbLogind *logind);
/* The system bus, or NULL (GB_LOGIND_NO_BUS). Its closing does not end the process. */
GDBusConnection *gb_logind_get_bus(const GbLogind *logind);
/* The session's object path while GB_LOGIND_FOUND, else NULL. */
const char *gb_logind_get_session_path(const GbLogind *logind);

/* Calls @func once resolved (at once, from the main loop, if it is already). Returns an id
 * for gb_logind_cancel(), which must not be called once @func ran. */
guint gb_logind_when_resolved(GbLogind *logind, GbLogindFunc func, gpointer user_data);
void gb_logind_cancel(GbLogind *logind, guint id);

G_END_DECLS

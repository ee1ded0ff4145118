/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Always-on sensors, whatever the idle backend (reference/idle-apis.md §5.2):
 * logind PrepareForSleep with a delay inhibitor, the session's LockedHint, and
 * the screensavers' ActiveChanged signals. */

typedef enum {
	GB_SESSION_LOCKED,   /* the screen was locked (or the screensaver came up) */
	GB_SESSION_UNLOCKED,
	GB_SESSION_SLEEPING, /* PrepareForSleep(true): the machine is about to suspend */
	GB_SESSION_WOKE,     /* PrepareForSleep(false) */
} GbSessionEvent;

/* Always called from the main loop, never from inside a gb_session_*() call. */
typedef void (*GbSessionFunc)(GbSessionEvent event, gpointer user_data);

typedef struct _GbSession GbSession;

/* Never fails: a missing system bus or logind is one logged warning, and the
 * sensors that remain (the screensavers on the session bus) still work. */
GbSession *gb_session_new(GDBusConnection *session_bus, GbSessionFunc func, gpointer user_data);
void gb_session_free(GbSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbSession, gb_session_free)

/* The logind session object path of this login (reference/idle-apis.md §2.5):
 * $XDG_SESSION_ID, then GetSession("auto"), then GetSessionByPID, then the
 * user's Display session. Signals come only on a real path like this one.
 * Blocking (a few seconds at most); caller frees. The error is in GB_ERROR when
 * logind answers but has no session for us, and a G_DBUS_ERROR or G_IO_ERROR
 * when logind is not there at all. */
char *gb_session_find_logind_path(GDBusConnection *system_bus, GError **error);

/* "no system bus at 'ADDRESS' (why)", after g_bus_get_sync() failed with
 * @error; for messages. Caller frees. */
char *gb_session_no_system_bus(const GError *error);

G_END_DECLS

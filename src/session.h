/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

#include "logind.h"

G_BEGIN_DECLS

/* Always-on sensors, whatever the idle backend (reference/idle-apis.md §5.2):
 * logind PrepareForSleep with a delay inhibitor, the resume sensor, the session's
 * LockedHint, and the screensavers' ActiveChanged signals. */

typedef enum {
	GB_SESSION_LOCKED,   /* the screen was locked (or the screensaver came up) */
	GB_SESSION_UNLOCKED,
	GB_SESSION_SLEEPING, /* PrepareForSleep(true): the machine is about to suspend */
	GB_SESSION_WOKE,     /* PrepareForSleep(false), or the resume sensor: a suspend may
	                      * have just ended (or the wall clock was set) */
} GbSessionEvent;

/* Always called from the main loop, never from inside a gb_session_*() call. */
typedef void (*GbSessionFunc)(GbSessionEvent event, gpointer user_data);

typedef struct _GbSession GbSession;

/* Never fails: a missing system bus or logind is one logged warning, and the
 * sensors that remain (the screensavers on the session bus, the resume sensor)
 * still work. Never waits on logind. */
GbSession *gb_session_new(GDBusConnection *session_bus, GbSessionFunc func, gpointer user_data);
void gb_session_free(GbSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbSession, gb_session_free)

/* The logind session the sensors watch, resolved once (asynchronously) for everyone who needs
 * it: the logind idle backend. Owned by @session. */
GbLogind *gb_session_get_logind(GbSession *session);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GB_ERROR (gb_error_quark())

/* One error domain for the whole program. Each code is registered as the D-Bus error name
 * org.glutebreak.Glutebreak1.Error.<Name> (the comment's name), so a D-Bus client that calls
 * gb_error_quark() first gets the daemon's own GError back, message and all. */
typedef enum {
	GB_ERROR_FAILED,           /* Failed */
	GB_ERROR_INVALID_CONFIG,   /* InvalidConfig: "FILE:LINE: [section] key: problem" */
	GB_ERROR_INVALID_ARGS,     /* InvalidArgs */
	GB_ERROR_IDLE_UNAVAILABLE, /* IdleUnavailable: an idle backend cannot run here */
	GB_ERROR_NOTIFY_FAILED,    /* NotifyFailed */
	GB_ERROR_NOT_SITTING,      /* NotSitting: no bout to snooze, skip or break */
	GB_ERROR_NOT_PAUSED,       /* NotPaused */
	GB_ERROR_UNKNOWN_EXERCISE, /* UnknownExercise */
} GbError;

GQuark gb_error_quark(void);

G_END_DECLS

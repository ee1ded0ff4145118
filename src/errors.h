/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GB_ERROR (gb_error_quark())

/* One error domain for the whole program; the D-Bus API (a later issue) maps
 * these codes to error names so clients see the same message. */
typedef enum {
	GB_ERROR_FAILED,
	GB_ERROR_INVALID_CONFIG,   /* config or catalogue file: "FILE:LINE: [section] key: problem" */
	GB_ERROR_INVALID_ARGS,
	GB_ERROR_IDLE_UNAVAILABLE, /* an idle backend cannot run in this session */
	GB_ERROR_NOTIFY_FAILED,
} GbError;

GQuark gb_error_quark(void);

G_END_DECLS

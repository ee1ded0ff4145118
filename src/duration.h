/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest duration the config, the catalogue and the commands accept. */
#define GB_DURATION_MAX_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)

/* "90s", "45m", "1h30m", "1h 30m" -> µs (0 .. GB_DURATION_MAX_US). A bare number is an error
 * (GB_ERROR_INVALID_CONFIG) that says which unit to add. */
gboolean gb_duration_parse(const char *text, gint64 *out_us, GError **error);

/* µs -> "45 s", "1 min 30 s", "45 min", "1 h 5 min" for people: every message, log line and
 * notification says durations this way. Exact to the second (rounded); callers that want
 * whole minutes round first (gb_duration_round_minutes()). Caller frees. */
char *gb_duration_format(gint64 us);

/* @us rounded to whole minutes from one minute on; below that to whole seconds. */
gint64 gb_duration_round_minutes(gint64 us);

G_END_DECLS

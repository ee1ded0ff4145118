/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The little JSON glutebreakctl writes (status --json, stats --json, history --json). */

/* Appends @text (UTF-8; NULL gives null) as a JSON string, quotes included. */
void gb_json_append_string(GString *out, const char *text);

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @text as a JSON string, quotes included: '"', '\' and control characters
 * escaped, invalid UTF-8 replaced by U+FFFD. NULL appends null. */
void gb_json_append_string(GString *out, const char *text);

G_END_DECLS

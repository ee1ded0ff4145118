/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Called for every "key = value" line of the file; @line is its line number and
 * @section_line that of the "[section]" line above it (0: none), which tells
 * two sections of the same name apart. @continuation is TRUE for an indented
 * line that inih appends to the previous key of the section (same @key, the
 * line's text as @value). An indented key line with no key before it in its
 * section is an error of gb_ini_parse_file() and never reaches the callback.
 * Return FALSE with @error set to reject the line; gb_ini_parse_file() turns
 * the first such error into "PATH:LINE: [section] key: <message>". */
typedef gboolean (*GbIniFunc)(const char *section, const char *key, const char *value,
                              gboolean continuation, int line, int section_line,
                              gpointer user_data, GError **error);

/* Parses @path with inih. Inline comments start at a '#' or ';' that follows
 * white space. Lines are limited to GB_INI_MAX_LINE characters, must be UTF-8
 * and hold no NUL byte; section names are limited to GB_INI_MAX_SECTION
 * characters. Errors are in the GB_ERROR domain (GB_ERROR_INVALID_CONFIG), or
 * G_FILE_ERROR when the file cannot be opened. */
gboolean gb_ini_parse_file(const char *path, GbIniFunc func, gpointer user_data, GError **error);

/* As gb_ini_parse_file(), for text in memory (e.g. a GResource); @name stands
 * for the file in errors ("NAME:LINE: ..."). */
gboolean gb_ini_parse_data(const char *name, GBytes *data, GbIniFunc func, gpointer user_data,
                           GError **error);

#define GB_INI_MAX_LINE 198
/* inih cuts longer section names without a word (its MAX_SECTION, less the NUL) */
#define GB_INI_MAX_SECTION 49

G_END_DECLS

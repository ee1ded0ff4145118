/* SPDX-License-Identifier: MIT */
/* inih with real line numbers and '#' inline comments.
 *
 * Distro builds of libinih do not pass line numbers to the handler and only
 * know ';' as an inline comment, so we feed inih through ini_parse_stream()
 * with our own fgets() reader: it counts lines, strips " # comment" tails and
 * rejects over-long lines (which inih would otherwise split into two). Text
 * in memory goes through fmemopen(), so it is read by the same code. */
#include <errno.h>
#include <string.h>
#include <ini.h>

#include "errors.h"
#include "ini-reader.h"
#include "util.h"

typedef struct {
	FILE *file;
	int line;               /* line inih is looking at */
	gboolean continuation;  /* that line is indented */
	GbIniFunc func;
	gpointer user_data;
	GError *error;          /* first error, with its line */
	int error_line;
} ParseContext;

static void
set_line_error(ParseContext *ctx, int line, const char *message)
{
	if (ctx->error != NULL)
		return;
	g_set_error_literal(&ctx->error, GB_ERROR, GB_ERROR_INVALID_CONFIG, message);
	ctx->error_line = line;
}

static void
strip_inline_comment(char *line)
{
	for (char *p = line + 1; *p != '\0'; p++) {
		if ((*p == '#' || *p == ';') && g_ascii_isspace(p[-1])) {
			*p = '\0';
			return;
		}
	}
}

static char *
read_line(char *buf, int size, void *stream)
{
	ParseContext *ctx = stream;
	char *chunk = fgets(buf, MIN(size, GB_INI_MAX_LINE + 2), ctx->file);
	int c;

	if (chunk == NULL)
		return NULL;
	ctx->line++;
	if (strchr(chunk, '\n') == NULL && !feof(ctx->file)) {
		/* swallow the rest so that inih's line count stays ours */
		while ((c = fgetc(ctx->file)) != EOF && c != '\n')
			;
		set_line_error(ctx, ctx->line,
		               "line too long (at most " G_STRINGIFY(GB_INI_MAX_LINE)
		               " characters; continue a value on an indented next line)");
	}
	ctx->continuation = chunk[0] == ' ' || chunk[0] == '\t';
	if (chunk[strspn(chunk, " \t")] != '#' && chunk[strspn(chunk, " \t")] != ';')
		strip_inline_comment(chunk);
	return chunk;
}

static int
on_pair(void *user, const char *section, const char *key, const char *value)
{
	ParseContext *ctx = user;
	g_autoptr(GError) error = NULL;

	if (ctx->func(section, key, value, ctx->continuation, ctx->line, ctx->user_data,
	              &error))
		return 1;
	if (ctx->error == NULL) {
		g_return_val_if_fail(error != NULL, 0);
		if (*section == '\0') /* a key before any section */
			g_propagate_prefixed_error(&ctx->error, g_steal_pointer(&error), "%s: ", key);
		else
			g_propagate_prefixed_error(&ctx->error, g_steal_pointer(&error),
			                           "[%s] %s: ", section, key);
		ctx->error_line = ctx->line;
	}
	return 0; /* inih keeps going and returns the first bad line */
}

/* @name: what errors call the stream ("PATH:LINE: ..."). */
static gboolean
parse_stream(FILE *file, const char *name, GbIniFunc func, gpointer user_data, GError **error)
{
	ParseContext ctx = { .file = file, .func = func, .user_data = user_data };
	int bad_line;

	bad_line = ini_parse_stream(read_line, &ctx, on_pair, &ctx);
	if (bad_line < 0 || ferror(file)) {
		g_clear_error(&ctx.error);
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED, "%s: read error", name);
		return FALSE;
	}
	if (bad_line > 0 && (ctx.error == NULL || bad_line < ctx.error_line)) {
		/* inih's own syntax check failed first */
		g_clear_error(&ctx.error);
		set_line_error(&ctx, bad_line,
		               "malformed line: expected '[section]' or 'key = value'");
	}
	if (ctx.error != NULL) {
		g_propagate_prefixed_error(error, ctx.error, "%s:%d: ", name, ctx.error_line);
		return FALSE;
	}
	return TRUE;
}

static gboolean
set_errno_error(GError **error, int saved_errno, const char *name)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved_errno), "%s: %s", name,
	            g_strerror(saved_errno));
	return FALSE;
}

gboolean
gb_ini_parse_file(const char *path, GbIniFunc func, gpointer user_data, GError **error)
{
	g_autoptr(FILE) file = fopen(path, "re");

	if (file == NULL)
		return set_errno_error(error, errno, path);
	return parse_stream(file, path, func, user_data, error);
}

gboolean
gb_ini_parse_data(const char *name, GBytes *data, GbIniFunc func, gpointer user_data,
                  GError **error)
{
	gsize size;
	/* fmemopen() only reads it; the cast is for its prototype */
	void *text = (void *) g_bytes_get_data(data, &size);
	g_autoptr(FILE) file = NULL;

	if (size == 0) /* fmemopen() may refuse a zero size; an empty file has no lines */
		return TRUE;
	file = fmemopen(text, size, "r");
	if (file == NULL)
		return set_errno_error(error, errno, name);
	return parse_stream(file, name, func, user_data, error);
}

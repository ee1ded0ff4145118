/* SPDX-License-Identifier: MIT */
/* inih with real line numbers and '#' inline comments.
 *
 * Distro builds of libinih do not pass line numbers to the handler and only
 * know ';' as an inline comment, so we feed inih through ini_parse_stream()
 * with our own line reader: it counts lines, strips " # comment" tails,
 * rejects what inih would quietly mangle (over-long lines, which it splits in
 * two; NUL bytes, which end its line early; long section names, which it
 * cuts) and what must not reach a message (bytes that are not UTF-8), and
 * follows inih's rules for indented lines, so that the handler learns which
 * ones inih appends to the previous key. Text in memory goes through fmemopen(),
 * so it is read by the same code. */
#include <errno.h>
#include <string.h>
#include <ini.h>

#include "errors.h"
#include "ini-reader.h"
#include "util.h"

typedef struct {
	FILE *file;
	int line;               /* line inih is looking at */
	int section_line;       /* the "[section]" line above it; 0: none */
	gboolean indented;      /* that line is indented ... */
	gboolean continuation;  /* ... and inih appends it to the previous key */
	gboolean have_key;      /* a key line since the section began: inih's prev_name */
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

/* inih's isspace(), which in C and UTF-8 locales knows only ASCII white space */
static char *
skip_space(char *p)
{
	while (*p != '\0' && g_ascii_isspace(*p))
		p++;
	return p;
}

/* A line that has an error already: inih sees a blank one, calls no handler
 * with its remains and keeps its count. */
static char *
reject_line(ParseContext *ctx, char *buf, const char *message)
{
	set_line_error(ctx, ctx->line, message);
	strcpy(buf, "\n");
	return buf;
}

static char *
read_line(char *buf, int size, void *stream)
{
	ParseContext *ctx = stream;
	/* one character more than a line may have, to tell one that is too long
	 * and reject it whole: inih never sees a line cut in two */
	int max = MIN(size - 1, GB_INI_MAX_LINE + 1);
	gsize len;
	int c;
	char *text = buf;
	char *start;

	/* fgets() says nothing of a NUL it read, but it ends what it wrote
	 * with one: the last NUL in a buffer filled with anything else */
	memset(buf, 'x', (gsize) max + 1);
	if (fgets(buf, max + 1, ctx->file) == NULL)
		return NULL;
	len = (gsize) ((char *) memrchr(buf, '\0', (gsize) max + 1) - buf);
	ctx->line++;
	ctx->indented = FALSE;
	ctx->continuation = FALSE;
	if (len == (gsize) max && buf[len - 1] != '\n') {
		while ((c = getc(ctx->file)) != EOF && c != '\n')
			;
		return reject_line(ctx, buf,
		                   "line too long (at most " G_STRINGIFY(GB_INI_MAX_LINE)
		                   " characters; continue a value on an indented next line)");
	}
	if (memchr(buf, '\0', len) != NULL)
		return reject_line(ctx, buf, "NUL byte in the line (save the file as text)");
	if (!g_utf8_validate(buf, (gssize) len, NULL))
		return reject_line(ctx, buf, "line is not valid UTF-8 (save the file as UTF-8)");

	/* what inih makes of the line: a UTF-8 byte order mark, white space and
	 * comments are skipped; an indented line continues the previous key's
	 * value if the section has one (else it is a key line); "[name]" begins
	 * a section */
	if (ctx->line == 1 && g_str_has_prefix(text, "\xEF\xBB\xBF"))
		text += 3;
	start = skip_space(text);
	if (*start == '\0' || *start == '#' || *start == ';')
		return buf;
	strip_inline_comment(buf);
	ctx->indented = start > text;
	ctx->continuation = ctx->indented && ctx->have_key;
	if (!ctx->continuation && *start == '[') {
		const char *end = strchr(start + 1, ']');

		if (end == NULL)
			return buf; /* inih's malformed line */
		if (end - (start + 1) > GB_INI_MAX_SECTION)
			return reject_line(ctx, buf,
			                   "section name too long (at most "
			                   G_STRINGIFY(GB_INI_MAX_SECTION) " characters)");
		ctx->section_line = ctx->line;
		ctx->have_key = FALSE;
	}
	return buf;
}

static int
on_pair(void *user, const char *section, const char *key, const char *value)
{
	ParseContext *ctx = user;
	g_autoptr(GError) error = NULL;
	gboolean ok;

	if (ctx->indented && !ctx->continuation) {
		/* nothing to continue, so inih reads it as a key line; a person
		 * would read it as a continuation, and it breaks when a key is
		 * added above it */
		g_set_error_literal(&error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "indented key (remove the indentation)");
		ok = FALSE;
	} else {
		ok = ctx->func(section, key, value, ctx->continuation, ctx->line,
		               ctx->section_line, ctx->user_data, &error);
	}
	if (!ctx->continuation)
		ctx->have_key = *key != '\0';
	if (ok)
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

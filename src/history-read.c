/* SPDX-License-Identifier: MIT */
/* The history reader: the whole file in one buffer, parsed by hand (ten years are about
 * 100 000 lines, and glutebreakctl stats answers in well under 100 ms). Nothing in the file
 * is trusted: it may be torn by a power loss, edited by hand or written by a newer version,
 * so every line that is not understood is skipped with a warning, and nothing is fatal. */
#include <string.h>

#include "history.h"

#define FORMAT_VERSION 1
#define MAX_NAMED_WARNINGS 100
#define MAX_QUOTE 40
/* no bout, reminder or limit is longer: 100 000 h, some 11 years */
#define MAX_DURATION_S ((gint64) 100000 * 3600)

struct _GbHistoryLog {
	char *data;             /* the file; each line ends in a NUL, for GbEvent.line */
	GArray *events;         /* GbEvent */
	GStringChunk *strings;  /* the events' other strings, each distinct one once */
	GPtrArray *warnings;    /* char *, NULL-terminated */
	guint more_warnings;    /* skipped lines beyond MAX_NAMED_WARNINGS */
};

typedef struct {
	GbHistoryLog *log;
	const char *name;
	guint line;
	gboolean told_newer;
} Reader;

static void
warn(Reader *reader, const char *format, ...) G_GNUC_PRINTF(2, 3);

static void
warn(Reader *reader, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	if (reader->log->warnings->len >= MAX_NAMED_WARNINGS) {
		reader->log->more_warnings++;
		return;
	}
	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_ptr_array_add(reader->log->warnings,
	                g_strdup_printf("%s:%u: %s", reader->name, reader->line, message));
}

/* @token for a message: at most MAX_QUOTE bytes, cut between characters (lines are
 * checked to be UTF-8 without control characters before any token is quoted) */
static char *
quote(const char *token)
{
	const char *end;

	if (strlen(token) <= MAX_QUOTE)
		return g_strdup_printf("'%s'", token);
	end = g_utf8_find_prev_char(token, token + MAX_QUOTE + 1);
	return g_strdup_printf("'%.*s...'", (int) (end - token), token);
}

static gboolean
digits(const char *p, int n, int *out)
{
	int value = 0;

	for (int i = 0; i < n; i++) {
		if (!g_ascii_isdigit(p[i]))
			return FALSE;
		value = value * 10 + (p[i] - '0');
	}
	*out = value;
	return TRUE;
}

/* Howard Hinnant's days_from_civil(): days since 1970-01-01 of a proleptic Gregorian date. */
static gint64
days_from_civil(gint64 y, int m, int d)
{
	gint64 era;
	guint yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (guint) (y - era * 400);
	doy = (guint) ((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (gint64) doe - 719468;
}

gboolean
gb_history_parse_time(const char *text, gint64 *out_us, int *utc_offset_s)
{
	static const int month_days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	/* 0001-01-02 and 9999-12-31, so that the time has a four-digit year at any offset */
	const gint64 min_s = (days_from_civil(1, 1, 2)) * 86400;
	const gint64 max_s = (days_from_civil(9999, 12, 31)) * 86400;
	int year, month, day, hour, minute, second, off_h = 0, off_m = 0, offset;
	gsize length = strlen(text);
	gint64 s;

	if (length != 20 && length != 25)
		return FALSE;
	if (!digits(text, 4, &year) || text[4] != '-' || !digits(text + 5, 2, &month) ||
	    text[7] != '-' || !digits(text + 8, 2, &day) || text[10] != 'T' ||
	    !digits(text + 11, 2, &hour) || text[13] != ':' || !digits(text + 14, 2, &minute) ||
	    text[16] != ':' || !digits(text + 17, 2, &second))
		return FALSE;
	if (length == 20) {
		if (text[19] != 'Z')
			return FALSE;
	} else if ((text[19] != '+' && text[19] != '-') || !digits(text + 20, 2, &off_h) ||
	           text[22] != ':' || !digits(text + 23, 2, &off_m)) {
		return FALSE;
	}
	if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] || hour > 23 ||
	    minute > 59 || second > 59 || off_h > 23 || off_m > 59)
		return FALSE;
	if (month == 2 && day == 29 && !g_date_is_leap_year((GDateYear) year))
		return FALSE;
	offset = (off_h * 3600 + off_m * 60) * (text[19] == '-' ? -1 : 1);
	s = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
	if (s < min_s || s >= max_s)
		return FALSE;
	*out_us = s * G_USEC_PER_SEC;
	if (utc_offset_s != NULL)
		*utc_offset_s = offset;
	return TRUE;
}

/* "47m8s", "25h", "0s": h, m and s in this order, each at most once, at least one */
static gboolean
parse_duration(const char *text, gint64 *out_us)
{
	static const char units[] = "hms";
	static const gint64 unit_s[] = { 3600, 60, 1 };
	const char *p = text;
	guint next_unit = 0;
	gint64 total = 0;

	if (*p == '\0')
		return FALSE;
	while (*p != '\0') {
		gint64 n = 0;
		const char *unit;
		int n_digits = 0;

		for (; g_ascii_isdigit(*p); p++, n_digits++) {
			if (n_digits == 10)
				return FALSE;
			n = n * 10 + (*p - '0');
		}
		if (n_digits == 0 || *p == '\0')
			return FALSE;
		unit = strchr(units + next_unit, *p);
		if (unit == NULL)
			return FALSE;
		next_unit = (guint) (unit - units) + 1;
		total += n * unit_s[unit - units];
		if (total > MAX_DURATION_S)
			return FALSE;
		p++;
	}
	*out_us = total * G_USEC_PER_SEC;
	return TRUE;
}

static gboolean
parse_level(const char *text, int *out)
{
	gsize length = strlen(text);

	/* 1 to 99 999; 0 is "none", which is written as no level= at all */
	if (length == 0 || length > 5 || !digits(text, (int) length, out))
		return FALSE;
	return *out > 0;
}

/* The next word of the line at *@cursor, NUL-terminated in place; NULL at the end. */
static char *
next_word(char **cursor)
{
	char *p = *cursor;
	char *word;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return NULL;
	word = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*cursor = p;
	return word;
}

enum {
	HAVE_START = 1 << 0,
	HAVE_LENGTH = 1 << 1,
	HAVE_LIMIT = 1 << 2,
	HAVE_SITTING = 1 << 3,
	HAVE_UNTIL = 1 << 4,
};

/* One key=value of @event. FALSE (with a warning) for a bad value; a key this version does
 * not know for this event is ignored, so that a newer version may add keys. */
static gboolean
parse_pair(Reader *reader, GbEvent *event, const char *key, const char *value, guint *have)
{
	GbHistoryLog *log = reader->log;
	const char **string = NULL;
	gboolean ok = TRUE;

	switch (event->kind) {
	case GB_EVENT_BOUT_END:
		if (g_str_equal(key, "start")) {
			ok = gb_history_parse_time(value, &event->start_us, NULL);
			*have |= HAVE_START;
		} else if (g_str_equal(key, "length")) {
			ok = parse_duration(value, &event->length_us);
			*have |= HAVE_LENGTH;
		} else if (g_str_equal(key, "limit")) {
			ok = parse_duration(value, &event->limit_us);
			*have |= HAVE_LIMIT;
		} else if (g_str_equal(key, "break")) {
			string = &event->break_kind;
		}
		break;
	case GB_EVENT_REMINDER:
		if (g_str_equal(key, "exercise")) {
			string = &event->exercise;
		} else if (g_str_equal(key, "category")) {
			string = &event->category;
		} else if (g_str_equal(key, "sitting")) {
			ok = parse_duration(value, &event->sitting_us);
			*have |= HAVE_SITTING;
		} else if (g_str_equal(key, "level")) {
			ok = parse_level(value, &event->level);
		}
		break;
	case GB_EVENT_ANSWER:
		if (g_str_equal(key, "exercise"))
			string = &event->exercise;
		else if (g_str_equal(key, "category"))
			string = &event->category;
		break;
	case GB_EVENT_PAUSE:
		if (g_str_equal(key, "until")) {
			ok = gb_history_parse_time(value, &event->until_us, NULL);
			*have |= HAVE_UNTIL;
		}
		break;
	case GB_EVENT_HOLD_START:
	case GB_EVENT_HOLD_END:
		if (g_str_equal(key, "reason"))
			string = &event->reason;
		break;
	case GB_EVENT_LEVEL:
		if (g_str_equal(key, "exercise"))
			string = &event->exercise;
		else if (g_str_equal(key, "change"))
			string = &event->change;
		else if (g_str_equal(key, "from"))
			ok = parse_level(value, &event->from_level);
		else if (g_str_equal(key, "level"))
			ok = parse_level(value, &event->level);
		break;
	case GB_EVENT_DAEMON_START:
	case GB_EVENT_DAEMON_STOP:
	case GB_EVENT_BOUT_START:
	case GB_EVENT_RESUME:
	default:
		break;
	}
	if (string != NULL && *value != '\0')
		*string = g_string_chunk_insert_const(log->strings, value);
	if (!ok) {
		g_autofree char *quoted = quote(value);

		warn(reader, "invalid %s: %s", key, quoted);
	}
	return ok;
}

static gboolean
parse_kind(const char *word, GbEventKind *kind)
{
	for (int i = GB_EVENT_DAEMON_START; i <= GB_EVENT_LEVEL; i++) {
		if (g_str_equal(word, gb_event_kind_to_string((GbEventKind) i))) {
			*kind = (GbEventKind) i;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
parse_reply(const char *word, GbReply *reply)
{
	for (int i = 0; i < GB_REPLY_COUNT; i++) {
		if (g_str_equal(word, gb_reply_to_string((GbReply) i))) {
			*reply = (GbReply) i;
			return TRUE;
		}
	}
	return FALSE;
}

/* "# glutebreak history N": a newer N is said once; any other comment is ignored */
static void
parse_comment(Reader *reader, const char *line)
{
	const char *prefix = "# glutebreak history ";
	const char *p;
	guint64 version;
	char *end;

	if (!g_str_has_prefix(line, prefix))
		return;
	p = line + strlen(prefix);
	if (!g_ascii_isdigit(*p))
		return;
	/* too many digits: G_MAXUINT64, newer all the same */
	version = g_ascii_strtoull(p, &end, 10);
	if (*end != '\0' || version <= FORMAT_VERSION || reader->told_newer)
		return;
	reader->told_newer = TRUE;
	warn(reader, "format %" G_GUINT64_FORMAT " is newer than this version reads (%d): "
	     "reading the events it knows", version, FORMAT_VERSION);
}

static const char *
check_text(const char *line, gsize length)
{
	gboolean ascii = TRUE;

	for (gsize i = 0; i < length; i++) {
		guchar c = (guchar) line[i];

		/* one comparison for the usual case, printable ASCII */
		if (G_LIKELY((guchar) (c - 0x20) < 0x5f))
			continue;
		if (c == '\0')
			return "NUL bytes in the line (torn by a crash or power loss?)";
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return "control characters in the line";
		if (c >= 0x80)
			ascii = FALSE;
	}
	/* the writer writes ASCII only */
	if (!ascii && !g_utf8_validate(line, (gssize) length, NULL))
		return "not UTF-8 text";
	return NULL;
}

/* @line: NUL-terminated, without its '\n'; @scratch: a buffer to split it in */
static void
parse_line(Reader *reader, char *line, gsize length, GString *scratch)
{
	GbEvent event = { .line = line };
	g_autofree char *quoted = NULL;
	const char *problem;
	char *cursor, *word;
	guint have = 0, need = 0;

	while (length > 0 && (line[length - 1] == ' ' || line[length - 1] == '\t' ||
	                      line[length - 1] == '\r'))
		line[--length] = '\0';
	if (length > 0 && line[0] == '#') {
		if (check_text(line, length) == NULL)
			parse_comment(reader, line);
		return;
	}
	problem = check_text(line, length);
	if (problem != NULL) {
		warn(reader, "%s", problem);
		return;
	}
	g_string_set_size(scratch, length);
	memcpy(scratch->str, line, length);
	cursor = scratch->str;
	word = next_word(&cursor);
	if (word == NULL)
		return; /* an empty line */
	if (!gb_history_parse_time(word, &event.time_us, &event.utc_offset_s)) {
		quoted = quote(word);
		warn(reader, "invalid time: %s", quoted);
		return;
	}
	word = next_word(&cursor);
	if (word == NULL) {
		warn(reader, "no event after the time");
		return;
	}
	if (!parse_kind(word, &event.kind)) {
		quoted = quote(word);
		warn(reader, "unknown event %s (written by a newer version?)", quoted);
		return;
	}
	if (event.kind == GB_EVENT_ANSWER) {
		word = next_word(&cursor);
		if (word == NULL || strchr(word, '=') != NULL) {
			warn(reader, "answer without its word (done, snooze, skip, ignored or "
			     "withdrawn)");
			return;
		}
		if (!parse_reply(word, &event.reply)) {
			quoted = quote(word);
			warn(reader, "unknown answer %s (written by a newer version?)", quoted);
			return;
		}
	}
	while ((word = next_word(&cursor)) != NULL) {
		char *equals = strchr(word, '=');

		if (equals == NULL || equals == word) {
			quoted = quote(word);
			warn(reader, "%s is not key=value", quoted);
			return;
		}
		*equals = '\0';
		if (!parse_pair(reader, &event, word, equals + 1, &have))
			return;
	}
	if (event.kind == GB_EVENT_BOUT_END)
		need = HAVE_START | HAVE_LENGTH | HAVE_LIMIT;
	else if (event.kind == GB_EVENT_REMINDER)
		need = HAVE_SITTING;
	else if (event.kind == GB_EVENT_PAUSE)
		need = HAVE_UNTIL;
	if ((have & need) != need) {
		warn(reader, "%s without %s", gb_event_kind_to_string(event.kind),
		     (need & ~have & HAVE_START) ? "start=" :
		     (need & ~have & HAVE_LENGTH) ? "length=" :
		     (need & ~have & HAVE_LIMIT) ? "limit=" :
		     (need & ~have & HAVE_SITTING) ? "sitting=" : "until=");
		return;
	}
	g_array_append_val(reader->log->events, event);
}

/* Takes @data, @length bytes and a NUL after them. */
static GbHistoryLog *
parse_owned(char *data, gsize length, const char *name)
{
	GbHistoryLog *log = g_new0(GbHistoryLog, 1);
	Reader reader = { .log = log, .name = name };
	g_autoptr(GString) scratch = g_string_sized_new(256);
	char *p = data;
	char *end = data + length;

	log->data = data;
	/* about 70 bytes a line */
	log->events = g_array_sized_new(FALSE, FALSE, sizeof(GbEvent), (guint) (length / 64 + 1));
	log->strings = g_string_chunk_new(1024);
	log->warnings = g_ptr_array_new_with_free_func(g_free);
	while (p < end) {
		char *newline = memchr(p, '\n', (gsize) (end - p));

		reader.line++;
		if (newline == NULL) {
			/* the next append starts a new line: this one stays incomplete */
			warn(&reader, "incomplete last line (torn by a crash or power loss?)");
			break;
		}
		*newline = '\0';
		parse_line(&reader, p, (gsize) (newline - p), scratch);
		p = newline + 1;
	}
	if (log->more_warnings > 0)
		g_ptr_array_add(log->warnings,
		                g_strdup_printf("%s: %u more lines skipped", name,
		                                log->more_warnings));
	g_ptr_array_add(log->warnings, NULL);
	return log;
}

GbHistoryLog *
gb_history_parse(const char *data, gsize length, const char *name)
{
	char *copy = g_malloc(length + 1);

	memcpy(copy, data, length);
	copy[length] = '\0';
	return parse_owned(copy, length, name);
}

GbHistoryLog *
gb_history_read(const char *path, GError **error)
{
	g_autofree char *name = g_filename_display_name(path);
	g_autoptr(GError) local_error = NULL;
	char *data = NULL;
	gsize length = 0;

	if (!g_file_get_contents(path, &data, &length, &local_error)) {
		if (!g_error_matches(local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_propagate_error(error, g_steal_pointer(&local_error));
			return NULL;
		}
		data = g_strdup("");
		length = 0;
	}
	return parse_owned(data, length, name);
}

void
gb_history_log_free(GbHistoryLog *log)
{
	if (log == NULL)
		return;
	g_free(log->data);
	g_array_unref(log->events);
	g_string_chunk_free(log->strings);
	g_ptr_array_unref(log->warnings);
	g_free(log);
}

const GbEvent *
gb_history_log_get_events(const GbHistoryLog *log, gsize *n_events)
{
	*n_events = log->events->len;
	return (const GbEvent *) (gpointer) log->events->data;
}

const char *const *
gb_history_log_get_warnings(const GbHistoryLog *log)
{
	return (const char *const *) log->warnings->pdata;
}

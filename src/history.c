/* SPDX-License-Identifier: MIT */
/* The history writer: one event, one line, one write(). The daemon never reads the file back,
 * except its last byte (a line torn by a power loss must not swallow the next event). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "errors.h"
#include "history.h"

#define HEADER "# glutebreak history 1\n"

struct _GbHistory {
	char *path;
	gboolean failing;       /* the last append failed and said so */
};

const char *
gb_event_kind_to_string(GbEventKind kind)
{
	static const char *const names[] = {
		"daemon-start", "daemon-stop", "bout-start", "bout-end", "reminder", "answer",
		"pause", "resume", "hold-start", "hold-end", "level",
	};

	g_return_val_if_fail((guint) kind < G_N_ELEMENTS(names), "unknown");
	return names[kind];
}

const char *
gb_reply_to_string(GbReply reply)
{
	static const char *const names[] = { "done", "snooze", "skip", "ignored", "withdrawn" };

	G_STATIC_ASSERT(G_N_ELEMENTS(names) == GB_REPLY_COUNT);
	g_return_val_if_fail((guint) reply < G_N_ELEMENTS(names), "unknown");
	return names[reply];
}

/* Howard Hinnant's civil_from_days(): the proleptic Gregorian date of day @z since 1970. */
static void
civil_from_days(gint64 z, gint64 *year, int *month, int *day)
{
	gint64 era, y;
	guint doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (guint) (z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (gint64) yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = (int) (mp < 10 ? mp + 3 : mp - 9);
	*year = y + (*month <= 2);
}

void
gb_history_format_time(gint64 us, int utc_offset_s, char buf[32])
{
	gint64 s = (us >= 0 ? us : us - (G_USEC_PER_SEC - 1)) / G_USEC_PER_SEC + utc_offset_s;
	gint64 days = (s >= 0 ? s : s - 86399) / 86400;
	gint64 in_day = s - days * 86400;
	int offset = ABS(utc_offset_s);
	gint64 year;
	int month, day;

	civil_from_days(days, &year, &month, &day);
	g_snprintf(buf, 32, "%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", year,
	           month, day, (int) (in_day / 3600), (int) (in_day % 3600 / 60),
	           (int) (in_day % 60), utc_offset_s < 0 ? '-' : '+', offset / 3600,
	           offset % 3600 / 60);
}

static int
offset_at(GTimeZone *tz, gint64 us)
{
	gint64 s = us / G_USEC_PER_SEC;

	return g_time_zone_get_offset(tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, s));
}

static void
append_time(GString *line, const char *key, gint64 us, const GbEvent *event, GTimeZone *tz)
{
	char buf[32];

	gb_history_format_time(us, tz != NULL ? offset_at(tz, us) : event->utc_offset_s, buf);
	if (key != NULL)
		g_string_append_printf(line, " %s=", key);
	g_string_append(line, buf);
}

/* "47m8s", "25h", "0s": rounded to the second, never limited to a day */
static void
append_duration(GString *line, const char *key, gint64 us)
{
	gint64 s = (MAX(us, 0) + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;

	g_string_append_printf(line, " %s=", key);
	if (s >= 3600)
		g_string_append_printf(line, "%" G_GINT64_FORMAT "h", s / 3600);
	if (s % 3600 >= 60)
		g_string_append_printf(line, "%" G_GINT64_FORMAT "m", s % 3600 / 60);
	if (s % 60 != 0 || s == 0)
		g_string_append_printf(line, "%" G_GINT64_FORMAT "s", s % 60);
}

/* A word of the line: no spaces, nothing a terminal would act on. NULL or "" writes nothing. */
static void
append_word(GString *line, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	g_string_append_c(line, ' ');
	if (key != NULL)
		g_string_append_printf(line, "%s=", key);
	for (const char *p = value; *p != '\0'; p++)
		g_string_append_c(line, *p >= '!' && *p <= '~' ? *p : '_');
}

char *
gb_history_format_event(const GbEvent *event, GTimeZone *tz)
{
	GString *line = g_string_sized_new(96);

	append_time(line, NULL, event->time_us, event, tz);
	g_string_append_c(line, ' ');
	g_string_append(line, gb_event_kind_to_string(event->kind));
	switch (event->kind) {
	case GB_EVENT_BOUT_END:
		append_time(line, "start", event->start_us, event, tz);
		append_duration(line, "length", event->length_us);
		append_duration(line, "limit", event->limit_us);
		append_word(line, "break", event->break_kind);
		break;
	case GB_EVENT_REMINDER:
		append_word(line, "exercise", event->exercise);
		append_word(line, "category", event->category);
		append_duration(line, "sitting", event->sitting_us);
		if (event->level > 0)
			g_string_append_printf(line, " level=%d", event->level);
		break;
	case GB_EVENT_ANSWER:
		append_word(line, NULL, gb_reply_to_string(event->reply));
		append_word(line, "exercise", event->exercise);
		append_word(line, "category", event->category);
		break;
	case GB_EVENT_PAUSE:
		append_time(line, "until", event->until_us, event, tz);
		break;
	case GB_EVENT_HOLD_START:
	case GB_EVENT_HOLD_END:
		append_word(line, "reason", event->reason);
		break;
	case GB_EVENT_LEVEL:
		append_word(line, "exercise", event->exercise);
		append_word(line, "change", event->change);
		if (event->from_level > 0)
			g_string_append_printf(line, " from=%d", event->from_level);
		if (event->level > 0)
			g_string_append_printf(line, " level=%d", event->level);
		break;
	case GB_EVENT_DAEMON_START:
	case GB_EVENT_DAEMON_STOP:
	case GB_EVENT_BOUT_START:
	case GB_EVENT_RESUME:
	default:
		break;
	}
	return g_string_free(line, FALSE);
}

char *
gb_history_default_path(void)
{
	return g_build_filename(g_get_user_state_dir(), "glutebreak", "history", NULL);
}

GbHistory *
gb_history_new(const char *path)
{
	GbHistory *self = g_new0(GbHistory, 1);

	self->path = path != NULL ? g_strdup(path) : gb_history_default_path();
	return self;
}

void
gb_history_free(GbHistory *history)
{
	if (history == NULL)
		return;
	g_free(history->path);
	g_free(history);
}

const char *
gb_history_get_path(const GbHistory *history)
{
	return history->path;
}

static gboolean
set_errno_error(GError **error, int saved_errno, const char *what, const char *path)
{
	g_autofree char *name = g_filename_display_name(path);

	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved_errno), "%s%s%s: %s",
	            what, *what != '\0' ? " " : "", name, g_strerror(saved_errno));
	return FALSE;
}

/* The header if the file is new, a '\n' if its last line was torn, then the line: one
 * write(), so that a crash leaves at worst this line torn, never an event half-merged
 * into another. */
static gboolean
append_line(const char *path, const char *line, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GString) data = g_string_sized_new(strlen(line) + sizeof(HEADER) + 2);
	struct stat st;
	ssize_t written;
	int saved_errno;
	int fd;

	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0 && errno == ENOENT) {
		/* the first event, or the directory was removed since */
		if (g_mkdir_with_parents(dir, 0700) != 0)
			return set_errno_error(error, errno, "", dir);
		fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	}
	if (fd < 0)
		return set_errno_error(error, errno, "", path);
	if (fstat(fd, &st) != 0) {
		saved_errno = errno;
		close(fd);
		return set_errno_error(error, saved_errno, "", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: not a regular file",
		            path);
		return FALSE;
	}
	if (st.st_size == 0) {
		g_string_append(data, HEADER);
	} else {
		char last = '\n';

		if (pread(fd, &last, 1, st.st_size - 1) != 1) {
			saved_errno = errno;
			close(fd);
			return set_errno_error(error, saved_errno, "cannot read the end of", path);
		}
		if (last != '\n')
			g_string_append_c(data, '\n');
	}
	g_string_append(data, line);
	g_string_append_c(data, '\n');
	do
		written = write(fd, data->str, data->len);
	while (written < 0 && errno == EINTR);
	saved_errno = errno;
	/* close() reports what a network file system could not write */
	if (close(fd) != 0 && written >= 0) {
		saved_errno = errno;
		written = -1;
	}
	if (written < 0)
		return set_errno_error(error, saved_errno, "", path);
	if ((gsize) written != data->len) {
		/* the rest is not retried: the next append ends the torn line */
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
		            "%s: only %" G_GSSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes written",
		            path, written, data->len);
		return FALSE;
	}
	return TRUE;
}

gboolean
gb_history_append(GbHistory *self, const GbEvent *event)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	g_autofree char *line = gb_history_format_event(event, tz);
	g_autoptr(GError) error = NULL;

	if (!append_line(self->path, line, &error)) {
		/* a full disk or a read-only home: say it once, not at every event */
		if (!self->failing)
			g_warning("cannot write the history (events are lost until it works "
			          "again): %s", error->message);
		self->failing = TRUE;
		return FALSE;
	}
	if (self->failing)
		g_message("the history is written again: '%s'", self->path);
	self->failing = FALSE;
	return TRUE;
}

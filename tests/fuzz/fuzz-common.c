/* SPDX-License-Identifier: MIT */
/* What every fuzz target shares: GLib set up once, and inputs as files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"

/* GLib's own fatal messages end in G_BREAKPOINT(), a SIGTRAP that libFuzzer does not catch:
 * the process died without writing the input that did it. abort() it is. */
static GLogWriterOutput
on_log(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	GLogWriterOutput output = g_log_writer_default(level, fields, n_fields, user_data);

	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
		abort();
	return output;
}

void
gb_fuzz_init(void)
{
	/* GLib 2.74's slice allocator hides use-after-free from ASan */
	g_setenv("G_SLICE", "always-malloc", TRUE);
	g_log_set_writer_func(on_log, NULL, NULL);
}

void
gb_fuzz_fail(const char *file, int line, const char *condition, const char *what)
{
	fprintf(stderr, "%s:%d: check failed: %s (%s)\n", file, line, condition,
	        what != NULL ? what : "");
	abort();
}

const char *
gb_fuzz_input_path(const uint8_t *data, size_t size)
{
	/* libFuzzer gives no context pointer: the one memfd and its name live
	 * for the whole process */
	static int fd = -1;
	static char path[64];
	size_t done = 0;

	if (fd < 0) {
		fd = memfd_create("gb-fuzz-input", MFD_CLOEXEC);
		gb_fuzz_check(fd >= 0, g_strerror(errno));
		g_snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	gb_fuzz_check(ftruncate(fd, 0) == 0, g_strerror(errno));
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t) done);

		gb_fuzz_check(n > 0, g_strerror(errno));
		done += (size_t) n;
	}
	return path;
}

void
gb_fuzz_check_located(const char *message, const char *path)
{
	const char *rest = message;
	char *end;
	guint64 line;

	gb_fuzz_check(g_utf8_validate(message, -1, NULL), message);
	gb_fuzz_check(g_str_has_prefix(rest, path), message);
	rest += strlen(path);
	gb_fuzz_check(rest[0] == ':' && g_ascii_isdigit(rest[1]), message);
	line = g_ascii_strtoull(rest + 1, &end, 10);
	gb_fuzz_check(line >= 1 && g_str_has_prefix(end, ": ") && end[2] != '\0', message);
}

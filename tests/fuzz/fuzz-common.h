/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

/* libFuzzer's entry points, declared for -Wmissing-prototypes. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once per process: GLib set up for the sanitizers, and every critical or
 * warning turned into an abort() that libFuzzer reports as a crash. */
void gb_fuzz_init(void);

/* Puts @data into one anonymous in-memory file, created on the first call,
 * and returns a path that opens it ("/proc/self/fd/N"): the parsers under
 * test take paths, and a memfd costs no disk and leaves nothing behind. */
const char *gb_fuzz_input_path(const uint8_t *data, size_t size);

/* Aborts (a crash for libFuzzer) with @what when @condition is false; unlike
 * g_assert() it cannot be compiled out. */
#define gb_fuzz_check(condition, what)                                          \
	G_STMT_START {                                                          \
		if (G_UNLIKELY(!(condition)))                                   \
			gb_fuzz_fail(__FILE__, __LINE__, #condition, (what));   \
	} G_STMT_END

/* Aborts unless @message reads "PATH:LINE: problem" with LINE >= 1 and is
 * valid UTF-8 (it goes to the journal, and over D-Bus as an error). */
void gb_fuzz_check_located(const char *message, const char *path);

G_NORETURN void gb_fuzz_fail(const char *file, int line, const char *condition,
                             const char *what);

G_END_DECLS

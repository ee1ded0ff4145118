/* SPDX-License-Identifier: MIT */
/* Durations: gb_duration_parse() on any text. What it accepts is in range and
 * means the same as the canonical "1h2m3s" spelling of its value. */
#include "duration.h"
#include "errors.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	gb_fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the parser takes C strings: a NUL ends the text as it would in a file */
	g_autofree char *text = g_strndup((const char *) data, size);
	g_autoptr(GError) error = NULL;
	g_autofree char *canonical = NULL;
	g_autofree char *formatted = NULL;
	gint64 us = -1;
	gint64 again = -1;
	gint64 s;

	if (!gb_duration_parse(text, &us, &error)) {
		gb_fuzz_check(error != NULL, "FALSE without an error");
		gb_fuzz_check(g_error_matches(error, GB_ERROR, GB_ERROR_INVALID_CONFIG),
		              error->message);
		gb_fuzz_check(us == -1, "output set on failure");
		return 0;
	}
	gb_fuzz_check(error == NULL, error->message);
	gb_fuzz_check(us >= 0 && us <= GB_DURATION_MAX_US, text);
	gb_fuzz_check(us % G_USEC_PER_SEC == 0, text);
	s = us / G_USEC_PER_SEC;
	canonical = g_strdup_printf("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT
	                            "s", s / 3600, s % 3600 / 60, s % 60);
	gb_fuzz_check(gb_duration_parse(canonical, &again, NULL) && again == us, canonical);
	formatted = gb_duration_format(us);
	gb_fuzz_check(formatted != NULL && *formatted != '\0', text);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* The state file: gb_state_load() and gb_state_load_programme() on any bytes.
 * Written against the load functions only, never the fields of GbSavedState or
 * GbProgress, so that the target keeps building while the state grows. */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "fuzz-common.h"
#include "state.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seed = g_getenv("GB_FUZZ_STATE_SEED");

	gb_fuzz_init();
	/* tests/fuzz/run asks for a seed in the current format, written by
	 * the daemon's own code, so the seed never falls behind the format */
	if (seed != NULL) {
		GbSavedState state;
		g_autoptr(GbProgramme) programme = gb_programme_new();
		g_autoptr(GError) error = NULL;

		memset(&state, 0, sizeof(state));
		(void) gb_programme_get(programme, "glute-bridge"); /* a programme group too */
		if (!gb_state_save(seed, &state, programme, &error)) {
			g_printerr("%s\n", error->message);
			exit(1);
		}
		exit(0);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = gb_fuzz_input_path(data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) programme_error = NULL;
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GPtrArray) list = NULL;
	GbSavedState state;

	memset(&state, 0, sizeof(state));
	if (gb_state_load(path, &state, &error)) {
		gb_fuzz_check(error == NULL, error->message);
	} else {
		gb_fuzz_check(error != NULL, "FALSE without an error");
		gb_fuzz_check(g_str_has_prefix(error->message, path), error->message);
	}
	if (gb_state_load_programme(path, programme, &programme_error)) {
		gb_fuzz_check(programme_error == NULL, programme_error->message);
	} else {
		gb_fuzz_check(programme_error != NULL, "FALSE without an error");
		gb_fuzz_check(g_error_matches(programme_error, GB_ERROR, GB_ERROR_FAILED),
		              programme_error->message);
		gb_fuzz_check(g_str_has_prefix(programme_error->message, path),
		              programme_error->message);
		/* and the programme is empty: everyone at level 1 */
		list = gb_programme_list(programme);
		gb_fuzz_check(list->len == 0, "a programme left after a failed load");
	}
	return 0;
}

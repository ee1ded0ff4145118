/* SPDX-License-Identifier: MIT */
/* The state file: gb_state_load() on any bytes. Written against the load
 * function only, never the fields of GbSavedState, so that the target keeps
 * building while the state grows. */
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
		g_autoptr(GError) error = NULL;

		memset(&state, 0, sizeof(state));
		if (!gb_state_save(seed, &state, &error)) {
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
	GbSavedState state;

	memset(&state, 0, sizeof(state));
	if (gb_state_load(path, &state, &error)) {
		gb_fuzz_check(error == NULL, error->message);
		return 0;
	}
	gb_fuzz_check(error != NULL, "FALSE without an error");
	gb_fuzz_check(g_str_has_prefix(error->message, path), error->message);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* The config file: gb_settings_load() on any bytes. A file it accepts must
 * hold settings the daemon can run with; a file it rejects must say where. */
#include "duration.h"
#include "errors.h"
#include "exercises.h"
#include "fuzz-common.h"
#include "idle.h"
#include "settings.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	gb_fuzz_init();
	return 0;
}

static gboolean
duration_ok(gint64 us)
{
	return us > 0 && us <= GB_DURATION_MAX_US;
}

static void
check_settings(const GbSettings *s, const char *path)
{
	const GbTimings *t = &s->timings;

	gb_fuzz_check(g_strcmp0(s->path, path) == 0, s->path);
	gb_fuzz_check(duration_ok(t->sit_us), "sit-limit");
	gb_fuzz_check(duration_ok(t->break_us) && t->break_us < t->sit_us, "break-length");
	gb_fuzz_check(duration_ok(t->repeat_us), "repeat");
	gb_fuzz_check(duration_ok(t->snooze_us), "snooze");
	gb_fuzz_check(s->escalate_after <= 100, "escalate-after");
	gb_fuzz_check(s->sound == TRUE || s->sound == FALSE, "sound");
	gb_fuzz_check(s->categories != 0 && (s->categories & ~GB_CATEGORY_ALL) == 0,
	              "categories");
	gb_fuzz_check(s->exclude_tags != NULL, "exclude-tags");
	for (char **tag = s->exclude_tags; *tag != NULL; tag++)
		gb_fuzz_check(gb_exercise_tag_known(*tag), *tag);
	gb_fuzz_check(s->idle_backend != NULL && gb_idle_backend_known(s->idle_backend),
	              s->idle_backend);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = gb_fuzz_input_path(data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbSettings) settings = gb_settings_load(path, &error);

	if (settings != NULL) {
		gb_fuzz_check(error == NULL, error->message);
		check_settings(settings, path);
		return 0;
	}
	gb_fuzz_check(error != NULL, "NULL without an error");
	gb_fuzz_check(g_error_matches(error, GB_ERROR, GB_ERROR_INVALID_CONFIG), error->message);
	gb_fuzz_check_located(error->message, path);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* The config file: units, strict validation, FILE:LINE errors, XDG lookup. */
#include <glib/gstdio.h>

#include "duration.h"
#include "errors.h"
#include "settings.h"

#define SEC(s) ((gint64) (s) * G_USEC_PER_SEC)
#define MINUTES(m) SEC((gint64) (m) * 60)

/* Writes @length bytes of @text (-1: up to its NUL) to a file in the
 * (isolated) temp dir and returns its path. */
static char *
write_config_bytes(const char *text, gssize length)
{
	g_autofree char *path = g_build_filename(g_get_user_runtime_dir(), "config.ini", NULL);
	g_autoptr(GError) error = NULL;

	g_mkdir_with_parents(g_get_user_runtime_dir(), 0700);
	g_file_set_contents(path, text, length, &error);
	g_assert_no_error(error);
	return g_steal_pointer(&path);
}

static char *
write_config(const char *text)
{
	return write_config_bytes(text, -1);
}

/* Loads @length bytes of @text and asserts it fails with "PATH:@line: @message". */
static void
assert_config_bytes_error(const char *text, gssize length, int line, const char *message)
{
	g_autofree char *path = write_config_bytes(text, length);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbSettings) settings = gb_settings_load(path, &error);
	g_autofree char *expected = line > 0 ? g_strdup_printf("%s:%d: %s", path, line, message)
	                                     : g_strdup_printf("%s: %s", path, message);

	g_assert_null(settings);
	g_assert_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
	g_assert_cmpstr(error->message, ==, expected);
}

static void
assert_config_error(const char *text, int line, const char *message)
{
	assert_config_bytes_error(text, -1, line, message);
}

static void
test_defaults(void)
{
	g_autoptr(GbSettings) s = gb_settings_new_default();

	g_assert_cmpint(s->timings.sit_us, ==, MINUTES(45));
	g_assert_cmpint(s->timings.break_us, ==, MINUTES(3));
	g_assert_cmpint(s->timings.repeat_us, ==, MINUTES(10));
	g_assert_cmpint(s->timings.snooze_us, ==, MINUTES(10));
	g_assert_cmpuint(s->escalate_after, ==, 0);
	g_assert_false(gb_settings_is_critical(s, 100)); /* never */
	g_assert_true(s->sound);
	g_assert_cmpint(s->categories, ==, GB_CATEGORY_ALL);
	g_assert_cmpuint(g_strv_length(s->exclude_tags), ==, 0);
	g_assert_cmpstr(s->idle_backend, ==, "auto");
	g_assert_cmpuint(s->skip_limit, ==, 0);
	g_assert_true(gb_settings_offers_skip(s, 1000)); /* none */
	g_assert_true(s->hold_dnd);
	g_assert_true(s->hold_fullscreen);
	g_assert_false(s->hold_inhibitors);
	g_assert_false(s->hold_camera);
	g_assert_cmpint(s->timings.after_hold_us, ==, MINUTES(1));
	g_assert_cmpstrv(s->mako_modes, ((const char *[]) { "do-not-disturb", NULL }));
	g_assert_true(gb_schedule_is_always(s->schedule));
	g_assert_null(s->path);
}

/* The shipped example documents every key with its default. */
static void
test_shipped_example_is_defaults(void)
{
	const char *path = g_test_get_filename(G_TEST_DIST, "..", "data", "config.ini", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbSettings) s = gb_settings_load(path, &error);
	g_autoptr(GbSettings) d = gb_settings_new_default();

	g_assert_no_error(error);
	g_assert_cmpmem(&s->timings, sizeof(s->timings), &d->timings, sizeof(d->timings));
	g_assert_cmpint(s->sound, ==, d->sound);
	g_assert_cmpint(s->categories, ==, d->categories);
	g_assert_cmpstrv(s->exclude_tags, d->exclude_tags);
	g_assert_cmpstr(s->idle_backend, ==, d->idle_backend);
	g_assert_cmpuint(s->skip_limit, ==, d->skip_limit);
	g_assert_cmpint(s->hold_dnd, ==, d->hold_dnd);
	g_assert_cmpint(s->hold_fullscreen, ==, d->hold_fullscreen);
	g_assert_cmpint(s->hold_inhibitors, ==, d->hold_inhibitors);
	g_assert_cmpint(s->hold_camera, ==, d->hold_camera);
	g_assert_cmpstrv(s->mako_modes, d->mako_modes);
	g_assert_cmpint(s->focus, ==, d->focus);
	g_assert_cmpint(s->programme, ==, d->programme);
	g_assert_true(gb_schedule_equal(s->schedule, d->schedule));
	g_assert_cmpstr(s->path, ==, path);
}

static void
test_full_file(void)
{
	g_autofree char *path = write_config(
	        "# a comment\n"
	        "[timing]\n"
	        "sit-limit = 1h30m   # inline comment\n"
	        "break-length = 90s ; another\n"
	        "repeat = 5m\n"
	        "snooze=2m\n"
	        "\n"
	        "[reminder]\n"
	        "escalate-after = 3\n"
	        "sound = no\n"
	        "skip-limit = 2\n"
	        "[exercises]\n"
	        "categories = release,move\n"
	        "exclude-tags = floor, equipment\n"
	        "focus = weak\n"
	        "[idle]\n"
	        "backend = x11\n"
	        "[hold]\n"
	        "do-not-disturb = no\n"
	        "fullscreen = no\n"
	        "idle-inhibitors = yes\n"
	        "camera = yes\n"
	        "after-hold = 30s\n"
	        "mako-modes = dnd, meeting\n"
	        "[schedule]\n"
	        "active = mon-fri 09:00-17:00\n"
	        "[programme]\n"
	        "enabled = no\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(GbSettings) s = gb_settings_load(path, &error);
	g_autoptr(GbSchedule) office = gb_schedule_parse("mon-fri 09:00-17:00", NULL);
	const char *tags[] = { "floor", "equipment", NULL };
	const char *modes[] = { "dnd", "meeting", NULL };

	g_assert_no_error(error);
	g_assert_cmpint(s->timings.sit_us, ==, MINUTES(90));
	g_assert_cmpint(s->timings.break_us, ==, 90 * G_USEC_PER_SEC);
	g_assert_cmpint(s->timings.repeat_us, ==, MINUTES(5));
	g_assert_cmpint(s->timings.snooze_us, ==, MINUTES(2));
	g_assert_cmpuint(s->escalate_after, ==, 3);
	/* critical from the fourth unanswered reminder on */
	g_assert_false(gb_settings_is_critical(s, 3));
	g_assert_true(gb_settings_is_critical(s, 4));
	g_assert_false(s->sound);
	g_assert_cmpint(s->categories, ==, GB_CATEGORY_RELEASE | GB_CATEGORY_MOVE);
	g_assert_cmpstrv(s->exclude_tags, tags);
	g_assert_cmpint(s->focus, ==, GB_FOCUS_WEAK);
	g_assert_false(s->programme);
	g_assert_cmpstr(s->idle_backend, ==, "x11");
	/* Skip offered after one Skip, not after two */
	g_assert_true(gb_settings_offers_skip(s, 1));
	g_assert_false(gb_settings_offers_skip(s, 2));
	g_assert_false(s->hold_dnd);
	g_assert_false(s->hold_fullscreen);
	g_assert_true(s->hold_inhibitors);
	g_assert_true(s->hold_camera);
	g_assert_cmpint(s->timings.after_hold_us, ==, 30 * G_USEC_PER_SEC);
	g_assert_cmpstrv(s->mako_modes, modes);
	g_assert_nonnull(office);
	g_assert_true(gb_schedule_equal(s->schedule, office));
}

static void
test_durations(void)
{
	static const struct {
		const char *text;
		gint64 us;
	} good[] = {
		{ "90s", 90 * G_USEC_PER_SEC },
		{ "45m", MINUTES(45) },
		{ "1h30m", MINUTES(90) },
		{ "1h 30m", MINUTES(90) },
		{ "2h", MINUTES(120) },
		{ "1m30s", 90 * G_USEC_PER_SEC },
		{ "24h", MINUTES(24 * 60) },
		{ "0s", 0 },
	};
	static const char *const bad[] = { "", "m", "1x", "30m1h", "1h1h", "-5m", "1.5h", "h1" };

	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		gint64 us = -1;

		g_assert_true(gb_duration_parse(good[i].text, &us, &error));
		g_assert_no_error(error);
		g_assert_cmpint(us, ==, good[i].us);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		gint64 us = -1;

		g_assert_false(gb_duration_parse(bad[i], &us, &error));
		g_assert_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
		g_assert_cmpint(us, ==, -1);
	}
}

static void
test_duration_messages(void)
{
	assert_config_error("[timing]\nsit-limit = 45\n", 2,
	                    "[timing] sit-limit: missing unit: '45' (write 45m for minutes, "
	                    "or use s or h)");
	assert_config_error("[timing]\nrepeat = soon\n", 2,
	                    "[timing] repeat: invalid duration: 'soon' (use a number with a unit: "
	                    "90s, 45m, 1h30m)");
	assert_config_error("[timing]\nsnooze = 25h\n", 2,
	                    "[timing] snooze: duration too long: '25h' (at most 24h)");
	assert_config_error("[timing]\nsnooze = 0m\n", 2,
	                    "[timing] snooze: must be longer than zero: '0m'");
}

static void
test_format_duration(void)
{
	static const struct {
		gint64 us;
		const char *text;
	} cases[] = {
		{ 0, "0 s" }, { 90 * G_USEC_PER_SEC, "1 min 30 s" }, { MINUTES(45), "45 min" },
		{ MINUTES(90), "1 h 30 min" }, { MINUTES(120), "2 h" }, { SEC(3661), "1 h 1 min 1 s" },
		{ G_USEC_PER_SEC / 2, "1 s" }, { G_USEC_PER_SEC / 2 - 1, "0 s" }, { -5, "0 s" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = gb_duration_format(cases[i].us);

		g_assert_cmpstr(text, ==, cases[i].text);
	}
}

static void
test_errors(void)
{
	assert_config_error("[timing]\nsit-limt = 45m\n", 2,
	                    "[timing] sit-limt: unknown key (keys in [timing]: sit-limit, "
	                    "break-length, repeat, snooze)");
	assert_config_error("\n[timer]\nsit-limit = 45m\n", 3,
	                    "[timer] sit-limit: unknown section (use [timing], [reminder], "
	                    "[exercises], [idle], [hold], [schedule] or [programme])");
	assert_config_error("sit-limit = 45m\n", 1,
	                    "sit-limit: key outside a section (put it under [timing], "
	                    "[reminder], [exercises], [idle], [hold], [schedule] or [programme])");
	assert_config_error("[timing]\nsit-limit = 45m\nsit-limit = 50m\n", 3,
	                    "[timing] sit-limit: duplicate key (already set on line 2)");
	assert_config_error("[timing]\nsit-limit =\n", 2,
	                    "[timing] sit-limit: empty value (remove the line to use the default)");
	assert_config_error("[reminder]\nsound = maybe\n", 2,
	                    "[reminder] sound: invalid value: 'maybe' (write yes or no)");
	assert_config_error("[reminder]\nescalate-after = 0\n", 2,
	                    "[reminder] escalate-after: invalid value: '0' (write never, or a "
	                    "count from 1 to 100)");
	assert_config_error("[exercises]\ncategories = release, stretch\n", 2,
	                    "[exercises] categories: unknown category: 'stretch' (use release, "
	                    "strengthen or move)");
	assert_config_error("[exercises]\ncategories = ,\n", 2,
	                    "[exercises] categories: no category given (use one or more of "
	                    "release, strengthen, move)");
	assert_config_error("[exercises]\nexclude-tags = flor\n", 2,
	                    "[exercises] exclude-tags: unknown tag: 'flor' (use seated, standing, "
	                    "floor or equipment)");
	assert_config_error("[exercises]\nfocus = glutes\n", 2,
	                    "[exercises] focus: unknown focus: 'glutes' (use tight, weak or both)");
	assert_config_error("[programme]\nenabled = 1\n", 2,
	                    "[programme] enabled: invalid value: '1' (write yes or no)");
	assert_config_error("[reminder]\nskip-limit = 0\n", 2,
	                    "[reminder] skip-limit: invalid value: '0' (write none, or a count "
	                    "from 1 to 100)");
	assert_config_error("[hold]\nafter-hold = 60\n", 2,
	                    "[hold] after-hold: missing unit: '60' (write 60m for minutes, or use "
	                    "s or h)");
	assert_config_error("[hold]\nmako-modes = ,\n", 2,
	                    "[hold] mako-modes: no mode given (write the mako modes that mean "
	                    "do-not-disturb, e.g. do-not-disturb, meeting)");
	assert_config_error("[hold]\nmako-modes = do not disturb\n", 2,
	                    "[hold] mako-modes: 'do not disturb' is not a mode name (separate "
	                    "modes with commas)");
	assert_config_error("\n[schedule]\nactive = mon-fri 9:00-17:00\n", 3,
	                    "[schedule] active: '9:00-17:00': write times as HH:MM, e.g. "
	                    "09:00-17:00");
	assert_config_error("[schedule]\nactive = mon-fir 09:00-17:00\n", 2,
	                    "[schedule] active: unknown day 'fir' (use mon, tue, wed, thu, fri, "
	                    "sat, sun or a range like mon-fri)");
	assert_config_error("[hold]\ncamera = on\n", 2,
	                    "[hold] camera: invalid value: 'on' (write yes or no)");
	assert_config_error("[idle]\nbackend = gnome\n", 2,
	                    "[idle] backend: unknown idle backend: 'gnome' (use auto, mutter, "
	                    "wayland, x11, logind or none)");
}

static void
test_syntax_errors(void)
{
	assert_config_error("[timing]\nsit-limit 45m\n", 2,
	                    "malformed line: expected '[section]' or 'key = value'");
	assert_config_error("[timing\nsit-limit = 45m\n", 1,
	                    "malformed line: expected '[section]' or 'key = value'");
	assert_config_error("[timing]\nsit-limit = 45m\n  break-length = 3m\n", 3,
	                    "[timing] sit-limit: indented line continues the previous value "
	                    "(remove the indentation, one key per line)");
}

/* inih reads an indented line with no key before it in its section as a key
 * line: it continues nothing, and the message must not say it does. */
static void
test_indented_key(void)
{
	assert_config_error("[timing]\n  sit-limit = 50m\n", 2,
	                    "[timing] sit-limit: indented key (remove the indentation)");
	assert_config_error("# comment\n\n[timing]\n\n\tsit-limit = 50m\nrepeat = 5m\n", 5,
	                    "[timing] sit-limit: indented key (remove the indentation)");
	assert_config_error("\tsit-limit = 50m\n", 1,
	                    "sit-limit: indented key (remove the indentation)");
	/* a new section has no key to continue */
	assert_config_error("[timing]\nsit-limit = 50m\n[reminder]\n  sound = no\n", 4,
	                    "[reminder] sound: indented key (remove the indentation)");
}

/* Found by tests/fuzz/fuzz-settings: bytes that must not reach a message, and
 * what inih would silently cut. */
static void
test_not_text(void)
{
	g_autofree char *x49 = g_strnfill(49, 'x');
	g_autofree char *longest = g_strdup_printf("[%s]\nsit-limit = 50m\n", x49);
	g_autofree char *too_long = g_strdup_printf("[%sx]\nsit-limit = 50m\n", x49);
	g_autofree char *unknown = g_strdup_printf("[%s] sit-limit: unknown section (use [timing], "
	                                           "[reminder], [exercises], [idle], [hold], "
	                                           "[schedule] or [programme])", x49);
	/* 48 characters and an 'é': inih would keep half of the 'é' */
	g_autofree char *split = g_strdup_printf("[%s\u00e9]\nsound = no\n",
	                                         "reminder-reminder-reminder-reminder-reminder-rem");

	assert_config_error("[idle]\nbackend = x11\xff\n", 2,
	                    "line is not valid UTF-8 (save the file as UTF-8)");
	assert_config_error("[tim\xe9]\nsit-limit = 50m\n", 1,
	                    "line is not valid UTF-8 (save the file as UTF-8)");
	assert_config_bytes_error("[timing]\nsit-limit = 50m\0x\nrepeat = 5m\n", 39, 2,
	                          "NUL byte in the line (save the file as text)");
	assert_config_error(longest, 2, unknown);
	assert_config_error(too_long, 1, "section name too long (at most 49 characters)");
	assert_config_error(split, 1, "section name too long (at most 49 characters)");
}

static void
test_long_line(void)
{
	g_autofree char *comment = g_strnfill(300, 'x');
	g_autofree char *text = g_strdup_printf("[timing]\n# %s\nsit-limit = 45\n", comment);

	/* the first error wins, and line numbers stay right after a long line */
	assert_config_error(text, 2,
	                    "line too long (at most 198 characters; continue a value on an "
	                    "indented next line)");
}

static void
test_first_error_wins(void)
{
	assert_config_error("[timing]\nsit-limit = 45\nrepeat = x\n", 2,
	                    "[timing] sit-limit: missing unit: '45' (write 45m for minutes, "
	                    "or use s or h)");
	/* inih's own syntax error comes before a later handler error */
	assert_config_error("[timing]\nbogus\nrepeat = x\n", 2,
	                    "malformed line: expected '[section]' or 'key = value'");
}

static void
test_break_not_shorter_than_sit(void)
{
	assert_config_error("[timing]\nsit-limit = 10m\nbreak-length = 10m\n", 3,
	                    "[timing] break-length: break-length (10 min) must be shorter "
	                    "than sit-limit (10 min)");
	/* blamed on sit-limit when that is the key that made it impossible */
	assert_config_error("[timing]\nsit-limit = 2m\n", 2,
	                    "[timing] sit-limit: break-length (3 min) must be shorter "
	                    "than sit-limit (2 min)");
}

static void
test_missing_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GbSettings) s = gb_settings_load("/nonexistent/glutebreak.ini", &error);

	g_assert_null(s);
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_true(g_str_has_prefix(error->message, "/nonexistent/glutebreak.ini: "));
}

static void
test_find_path(void)
{
	g_autofree char *none = gb_settings_find_path(NULL);
	g_autofree char *explicit = gb_settings_find_path("/some/where.ini");
	const char *system_dir = g_get_system_config_dirs()[0];
	g_autofree char *system_path = g_build_filename(system_dir, "glutebreak", "config.ini",
	                                                NULL);
	g_autofree char *user_path = g_build_filename(g_get_user_config_dir(), "glutebreak",
	                                              "config.ini", NULL);
	g_autofree char *found_system = NULL;
	g_autofree char *found_user = NULL;
	g_autofree char *system_dir_path = g_path_get_dirname(system_path);
	g_autofree char *user_dir_path = g_path_get_dirname(user_path);

	g_assert_null(none);
	g_assert_cmpstr(explicit, ==, "/some/where.ini");

	g_mkdir_with_parents(system_dir_path, 0700);
	g_assert_true(g_file_set_contents(system_path, "", -1, NULL));
	found_system = gb_settings_find_path(NULL);
	g_assert_cmpstr(found_system, ==, system_path);

	/* the user's file wins over the system one */
	g_mkdir_with_parents(user_dir_path, 0700);
	g_assert_true(g_file_set_contents(user_path, "", -1, NULL));
	found_user = gb_settings_find_path(NULL);
	g_assert_cmpstr(found_user, ==, user_path);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/settings/defaults", test_defaults);
	g_test_add_func("/settings/shipped-example-is-defaults", test_shipped_example_is_defaults);
	g_test_add_func("/settings/full-file", test_full_file);
	g_test_add_func("/settings/durations", test_durations);
	g_test_add_func("/settings/duration-messages", test_duration_messages);
	g_test_add_func("/settings/format-duration", test_format_duration);
	g_test_add_func("/settings/errors", test_errors);
	g_test_add_func("/settings/syntax-errors", test_syntax_errors);
	g_test_add_func("/settings/indented-key", test_indented_key);
	g_test_add_func("/settings/not-text", test_not_text);
	g_test_add_func("/settings/long-line", test_long_line);
	g_test_add_func("/settings/first-error-wins", test_first_error_wins);
	g_test_add_func("/settings/break-not-shorter-than-sit", test_break_not_shorter_than_sit);
	g_test_add_func("/settings/missing-file", test_missing_file);
	g_test_add_func("/settings/find-path", test_find_path);
	return g_test_run();
}

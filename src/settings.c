/* SPDX-License-Identifier: MIT */
/* The config file: a key table, strict parsing, FILE:LINE errors. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "errors.h"
#include "idle.h"
#include "ini-reader.h"
#include "settings.h"

#define MAX_COUNT 100

typedef gboolean (*ParseFunc)(const char *value, gpointer field, GError **error);

static gboolean parse_positive_duration(const char *value, gpointer field, GError **error);
static gboolean parse_escalate(const char *value, gpointer field, GError **error);
static gboolean parse_bool(const char *value, gpointer field, GError **error);
static gboolean parse_categories(const char *value, gpointer field, GError **error);
static gboolean parse_tags(const char *value, gpointer field, GError **error);
static gboolean parse_backend(const char *value, gpointer field, GError **error);
static gboolean parse_skip_limit(const char *value, gpointer field, GError **error);
static gboolean parse_modes(const char *value, gpointer field, GError **error);
static gboolean parse_schedule(const char *value, gpointer field, GError **error);
static gboolean parse_focus(const char *value, gpointer field, GError **error);

typedef enum {
	KEY_SIT,
	KEY_BREAK,
	KEY_REPEAT,
	KEY_SNOOZE,
	KEY_ESCALATE,
	KEY_SOUND,
	KEY_CATEGORIES,
	KEY_EXCLUDE_TAGS,
	KEY_FOCUS,
	KEY_BACKEND,
	KEY_SKIP_LIMIT,
	KEY_HOLD_DND,
	KEY_HOLD_FULLSCREEN,
	KEY_HOLD_INHIBITORS,
	KEY_HOLD_CAMERA,
	KEY_AFTER_HOLD,
	KEY_MAKO_MODES,
	KEY_SCHEDULE,
	KEY_PROGRAMME,
	N_KEYS
} KeyId;

static const struct {
	const char *section, *key;
	ParseFunc parse;
	gsize offset;
} keys[N_KEYS] = {
	[KEY_SIT] = { "timing", "sit-limit", parse_positive_duration,
	              G_STRUCT_OFFSET(GbSettings, timings.sit_us) },
	[KEY_BREAK] = { "timing", "break-length", parse_positive_duration,
	                G_STRUCT_OFFSET(GbSettings, timings.break_us) },
	[KEY_REPEAT] = { "timing", "repeat", parse_positive_duration,
	                 G_STRUCT_OFFSET(GbSettings, timings.repeat_us) },
	[KEY_SNOOZE] = { "timing", "snooze", parse_positive_duration,
	                 G_STRUCT_OFFSET(GbSettings, timings.snooze_us) },
	[KEY_ESCALATE] = { "reminder", "escalate-after", parse_escalate,
	                   G_STRUCT_OFFSET(GbSettings, escalate_after) },
	[KEY_SOUND] = { "reminder", "sound", parse_bool, G_STRUCT_OFFSET(GbSettings, sound) },
	[KEY_CATEGORIES] = { "exercises", "categories", parse_categories,
	                     G_STRUCT_OFFSET(GbSettings, categories) },
	[KEY_EXCLUDE_TAGS] = { "exercises", "exclude-tags", parse_tags,
	                       G_STRUCT_OFFSET(GbSettings, exclude_tags) },
	[KEY_FOCUS] = { "exercises", "focus", parse_focus, G_STRUCT_OFFSET(GbSettings, focus) },
	[KEY_BACKEND] = { "idle", "backend", parse_backend,
	                  G_STRUCT_OFFSET(GbSettings, idle_backend) },
	[KEY_SKIP_LIMIT] = { "reminder", "skip-limit", parse_skip_limit,
	                     G_STRUCT_OFFSET(GbSettings, skip_limit) },
	[KEY_HOLD_DND] = { "hold", "do-not-disturb", parse_bool,
	                   G_STRUCT_OFFSET(GbSettings, hold_dnd) },
	[KEY_HOLD_FULLSCREEN] = { "hold", "fullscreen", parse_bool,
	                          G_STRUCT_OFFSET(GbSettings, hold_fullscreen) },
	[KEY_HOLD_INHIBITORS] = { "hold", "idle-inhibitors", parse_bool,
	                          G_STRUCT_OFFSET(GbSettings, hold_inhibitors) },
	[KEY_HOLD_CAMERA] = { "hold", "camera", parse_bool, G_STRUCT_OFFSET(GbSettings, hold_camera) },
	[KEY_AFTER_HOLD] = { "hold", "after-hold", parse_positive_duration,
	                     G_STRUCT_OFFSET(GbSettings, timings.after_hold_us) },
	[KEY_MAKO_MODES] = { "hold", "mako-modes", parse_modes,
	                     G_STRUCT_OFFSET(GbSettings, mako_modes) },
	[KEY_SCHEDULE] = { "schedule", "active", parse_schedule,
	                   G_STRUCT_OFFSET(GbSettings, schedule) },
	[KEY_PROGRAMME] = { "programme", "enabled", parse_bool,
	                    G_STRUCT_OFFSET(GbSettings, programme) },
};

/* keys whose empty value means something ("none", "always") */
static gboolean
may_be_empty(KeyId key)
{
	return key == KEY_EXCLUDE_TAGS || key == KEY_SCHEDULE;
}

GbSettings *
gb_settings_new_default(void)
{
	GbSettings *self = g_new0(GbSettings, 1);

	self->timings.sit_us = (gint64) 45 * 60 * G_USEC_PER_SEC;
	self->timings.break_us = (gint64) 3 * 60 * G_USEC_PER_SEC;
	self->timings.repeat_us = (gint64) 10 * 60 * G_USEC_PER_SEC;
	self->timings.snooze_us = (gint64) 10 * 60 * G_USEC_PER_SEC;
	self->escalate_after = 0;
	self->sound = TRUE;
	self->categories = GB_CATEGORY_ALL;
	self->exclude_tags = g_new0(char *, 1);
	self->idle_backend = g_strdup("auto");
	self->skip_limit = 0;
	self->hold_dnd = TRUE;
	self->hold_fullscreen = TRUE;
	self->hold_inhibitors = FALSE;
	self->hold_camera = FALSE;
	self->timings.after_hold_us = (gint64) 60 * G_USEC_PER_SEC;
	self->mako_modes = g_strsplit("do-not-disturb", ",", -1);
	self->schedule = gb_schedule_parse("", NULL);
	self->focus = GB_FOCUS_BOTH;
	self->programme = TRUE;
	return self;
}

void
gb_settings_free(GbSettings *settings)
{
	if (settings == NULL)
		return;
	g_strfreev(settings->exclude_tags);
	g_free(settings->idle_backend);
	g_strfreev(settings->mako_modes);
	g_clear_pointer(&settings->schedule, gb_schedule_free);
	g_free(settings->path);
	g_free(settings);
}

static gboolean
parse_positive_duration(const char *value, gpointer field, GError **error)
{
	gint64 us;

	if (!gb_duration_parse(value, &us, error))
		return FALSE;
	if (us <= 0) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "must be longer than zero: '%s'", value);
		return FALSE;
	}
	*(gint64 *) field = us;
	return TRUE;
}

/* @none ("never", "none") or a count from 1 to MAX_COUNT; 0 stands for @none */
static gboolean
parse_count(const char *value, const char *none, gpointer field, GError **error)
{
	guint64 n;

	if (g_str_equal(value, none)) {
		*(guint *) field = 0;
		return TRUE;
	}
	if (!g_ascii_string_to_unsigned(value, 10, 1, MAX_COUNT, &n, NULL)) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "invalid value: '%s' (write %s, or a count from 1 to %d)", value, none,
		            MAX_COUNT);
		return FALSE;
	}
	*(guint *) field = (guint) n;
	return TRUE;
}

static gboolean
parse_escalate(const char *value, gpointer field, GError **error)
{
	return parse_count(value, "never", field, error);
}

static gboolean
parse_skip_limit(const char *value, gpointer field, GError **error)
{
	return parse_count(value, "none", field, error);
}

static gboolean
parse_focus(const char *value, gpointer field, GError **error)
{
	if (gb_focus_from_string(value, field))
		return TRUE;
	g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
	            "unknown focus: '%s' (use " GB_FOCUS_HINT ")", value);
	return FALSE;
}

static gboolean
parse_schedule(const char *value, gpointer field, GError **error)
{
	GbSchedule *schedule = gb_schedule_parse(value, error);

	if (schedule == NULL)
		return FALSE;
	gb_schedule_free(*(GbSchedule **) field);
	*(GbSchedule **) field = schedule;
	return TRUE;
}

static gboolean
parse_bool(const char *value, gpointer field, GError **error)
{
	if (g_str_equal(value, "yes") || g_str_equal(value, "true")) {
		*(gboolean *) field = TRUE;
		return TRUE;
	}
	if (g_str_equal(value, "no") || g_str_equal(value, "false")) {
		*(gboolean *) field = FALSE;
		return TRUE;
	}
	g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
	            "invalid value: '%s' (write yes or no)", value);
	return FALSE;
}

/* "a, b,c" -> { "a", "b", "c" }; empty items are dropped */
static char **
split_list(const char *value)
{
	g_auto(GStrv) items = g_strsplit(value, ",", -1);
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	for (char **item = items; *item != NULL; item++) {
		g_strstrip(*item);
		if (**item != '\0')
			g_strv_builder_add(builder, *item);
	}
	return g_strv_builder_end(builder);
}

static gboolean
parse_categories(const char *value, gpointer field, GError **error)
{
	g_auto(GStrv) items = split_list(value);
	GbCategory all = 0;

	for (char **item = items; *item != NULL; item++) {
		GbCategory category;

		if (!gb_category_from_string(*item, &category)) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "unknown category: '%s' (use release, strengthen or move)", *item);
			return FALSE;
		}
		all |= category;
	}
	if (all == 0) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "no category given (use one or more of release, strengthen, "
		                    "move)");
		return FALSE;
	}
	*(GbCategory *) field = all;
	return TRUE;
}

static gboolean
parse_tags(const char *value, gpointer field, GError **error)
{
	g_auto(GStrv) items = split_list(value);

	for (char **item = items; *item != NULL; item++) {
		if (!gb_exercise_tag_known(*item)) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "unknown tag: '%s' (use seated, standing, floor or equipment)",
			            *item);
			return FALSE;
		}
	}
	g_strfreev(*(char ***) field);
	*(char ***) field = g_steal_pointer(&items);
	return TRUE;
}

/* mako's mode names are the user's own (mako(5) [mode=...]): any word without blanks */
static gboolean
parse_modes(const char *value, gpointer field, GError **error)
{
	g_auto(GStrv) items = split_list(value);

	if (items[0] == NULL) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "no mode given (write the mako modes that mean do-not-disturb, "
		                    "e.g. do-not-disturb, meeting)");
		return FALSE;
	}
	for (char **item = items; *item != NULL; item++) {
		if (strpbrk(*item, " \t") != NULL) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "'%s' is not a mode name (separate modes with commas)", *item);
			return FALSE;
		}
	}
	g_strfreev(*(char ***) field);
	*(char ***) field = g_steal_pointer(&items);
	return TRUE;
}

static gboolean
parse_backend(const char *value, gpointer field, GError **error)
{
	if (!gb_idle_backend_known(value)) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "unknown idle backend: '%s' (use %s)", value, gb_idle_backend_names());
		return FALSE;
	}
	g_free(*(char **) field);
	*(char **) field = g_strdup(value);
	return TRUE;
}

/* "[timing], [reminder], ... or [schedule]", from the key table */
static char *
section_list(void)
{
	g_autoptr(GPtrArray) seen = g_ptr_array_new();
	GString *text = g_string_new(NULL);

	for (int i = 0; i < N_KEYS; i++)
		if (!g_ptr_array_find_with_equal_func(seen, keys[i].section, g_str_equal, NULL))
			g_ptr_array_add(seen, (gpointer) keys[i].section);
	for (guint i = 0; i < seen->len; i++)
		g_string_append_printf(text, "%s[%s]",
		                       i == 0 ? "" : i + 1 == seen->len ? " or " : ", ",
		                       (const char *) seen->pdata[i]);
	return g_string_free(text, FALSE);
}

typedef struct {
	GbSettings *settings;
	int lines[N_KEYS]; /* where each key was set; 0: not set */
} ParseContext;

static gboolean
on_key(const char *section, const char *key, const char *value, gboolean continuation, int line,
       int section_line, gpointer user_data, GError **error)
{
	ParseContext *ctx = user_data;
	gboolean section_known = FALSE;

	if (continuation) {
		g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		                    "indented line continues the previous value (remove the "
		                    "indentation, one key per line)");
		return FALSE;
	}
	for (int i = 0; i < N_KEYS; i++) {
		if (!g_str_equal(keys[i].section, section))
			continue;
		section_known = TRUE;
		if (!g_str_equal(keys[i].key, key))
			continue;
		if (ctx->lines[i] != 0) {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "duplicate key (already set on line %d)", ctx->lines[i]);
			return FALSE;
		}
		if (*value == '\0' && !may_be_empty(i)) {
			g_set_error_literal(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			                    "empty value (remove the line to use the default)");
			return FALSE;
		}
		ctx->lines[i] = line;
		return keys[i].parse(value, G_STRUCT_MEMBER_P(ctx->settings, keys[i].offset), error);
	}
	if (*section == '\0') {
		g_autofree char *sections = section_list();

		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "key outside a section (put it under %s)", sections);
	} else if (!section_known) {
		g_autofree char *sections = section_list();

		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG, "unknown section (use %s)",
		            sections);
	} else {
		g_autoptr(GString) known = g_string_new(NULL);

		for (int i = 0; i < N_KEYS; i++)
			if (g_str_equal(keys[i].section, section))
				g_string_append_printf(known, "%s%s", known->len > 0 ? ", " : "",
				                       keys[i].key);
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
		            "unknown key (keys in [%s]: %s)", section, known->str);
	}
	return FALSE;
}

/* Relations between keys; reported at the line of the key that was set. */
static gboolean
validate(const ParseContext *ctx, GError **error)
{
	const GbTimings *t = &ctx->settings->timings;
	KeyId blame;
	g_autofree char *sit = gb_duration_format(t->sit_us);
	g_autofree char *brk = gb_duration_format(t->break_us);

	if (t->break_us < t->sit_us)
		return TRUE;
	blame = ctx->lines[KEY_BREAK] >= ctx->lines[KEY_SIT] ? KEY_BREAK : KEY_SIT;
	g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
	            "%s:%d: [timing] %s: break-length (%s) must be shorter than sit-limit (%s)",
	            ctx->settings->path, ctx->lines[blame], keys[blame].key, brk, sit);
	return FALSE;
}

GbSettings *
gb_settings_load(const char *path, GError **error)
{
	g_autoptr(GbSettings) settings = gb_settings_new_default();
	ParseContext ctx = { .settings = settings };

	settings->path = g_strdup(path);
	if (!gb_ini_parse_file(path, on_key, &ctx, error))
		return NULL;
	if (!validate(&ctx, error))
		return NULL;
	settings->categories_line = ctx.lines[KEY_CATEGORIES];
	settings->exclude_tags_line = ctx.lines[KEY_EXCLUDE_TAGS];
	return g_steal_pointer(&settings);
}

char *
gb_settings_find_path(const char *explicit_path)
{
	g_autofree char *user = NULL;
	const char *const *dirs;

	if (explicit_path != NULL)
		return g_strdup(explicit_path);
	user = g_build_filename(g_get_user_config_dir(), "glutebreak", "config.ini", NULL);
	if (g_file_test(user, G_FILE_TEST_EXISTS))
		return g_steal_pointer(&user);
	dirs = g_get_system_config_dirs();
	for (gsize i = 0; dirs[i] != NULL; i++) {
		g_autofree char *path = g_build_filename(dirs[i], "glutebreak", "config.ini", NULL);

		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return g_steal_pointer(&path);
	}
	return NULL;
}

gboolean
gb_settings_offers_skip(const GbSettings *settings, guint skips)
{
	return settings->skip_limit == 0 || skips < settings->skip_limit;
}

gboolean
gb_settings_is_critical(const GbSettings *settings, guint unanswered)
{
	return settings->escalate_after > 0 && unanswered > settings->escalate_after;
}

/* SPDX-License-Identifier: MIT */
/* The programme in the state file: the group "programme" with one key per exercise id, its
 * progress as numbers separated by ';', and the key "_mix" (a name no exercise id can take)
 * for the mix. Loading checks every value, and replaces the programme only when all are good. */
#include "errors.h"
#include "programme-private.h"

#define GROUP "programme"
#define MIX_KEY "_mix"

typedef struct {
	const char *name;
	guint64 min, max;
} Field;

/* GbProgress's numbers, in the order they are written */
static const Field progress_fields[] = {
	{ "level", 1, GB_MAX_LEVELS },
	{ "best-level", 1, GB_MAX_LEVELS },
	{ "days-at-level", 0, 3 },
	{ "last-done", 0, G_MAXUINT32 },
	{ "lapse-from", 0, G_MAXUINT32 },
	{ "last-shown", 0, G_MAXUINT32 },
	{ "too-hard-days", 0, 1 },
	{ "last-too-hard", 0, G_MAXUINT32 },
	{ "retired", 0, 1 },
};

enum {
	LEVEL, BEST_LEVEL, DAYS_AT_LEVEL, LAST_DONE, LAPSE_FROM, LAST_SHOWN, TOO_HARD_DAYS,
	LAST_TOO_HARD, RETIRED, N_PROGRESS_FIELDS
};
G_STATIC_ASSERT(G_N_ELEMENTS(progress_fields) == N_PROGRESS_FIELDS);

/* GbMix's */
static const Field mix_fields[] = {
	{ "day", 0, G_MAXUINT32 },
	{ "reminders", 0, GB_PROGRAMME_MAX_COUNT },
	{ "strengthen", 0, GB_PROGRAMME_MAX_COUNT },
	{ "release", 0, GB_PROGRAMME_MAX_COUNT },
	{ "since-move", 0, GB_PROGRAMME_MAX_COUNT },
	{ "last", 0, GB_CATEGORY_ALL },
	{ "last-strengthen-us", 0, G_MAXINT64 },
	{ "past-reminders", 0, GB_PROGRAMME_MAX_PAST },
	{ "past-strengthen", 0, GB_PROGRAMME_MAX_PAST },
	{ "past-release", 0, GB_PROGRAMME_MAX_PAST },
};

enum {
	DAY, REMINDERS, STRENGTHEN, RELEASE, SINCE_MOVE, LAST, LAST_STRENGTHEN_US, PAST_REMINDERS,
	PAST_STRENGTHEN, PAST_RELEASE, N_MIX_FIELDS
};
G_STATIC_ASSERT(G_N_ELEMENTS(mix_fields) == N_MIX_FIELDS);

void
gb_programme_save(const GbProgramme *programme, GKeyFile *file)
{
	g_autoptr(GPtrArray) list = NULL;
	g_autofree char *mix = NULL;

	g_return_if_fail(programme != NULL && file != NULL);

	g_key_file_remove_group(file, GROUP, NULL);
	list = gb_programme_list(programme);
	for (guint i = 0; i < list->len; i++) {
		const GbProgress *p = g_ptr_array_index(list, i);
		g_autofree char *value = g_strdup_printf("%u;%u;%u;%u;%u;%u;%u;%u;%d", p->level,
		                                         p->best_level, p->days_at_level,
		                                         p->last_done, p->lapse_from, p->last_shown,
		                                         p->too_hard_days, p->last_too_hard,
		                                         p->retired ? 1 : 0);

		g_key_file_set_value(file, GROUP, p->id, value);
	}
	mix = g_strdup_printf("%u;%u;%u;%u;%u;%u;%" G_GINT64_FORMAT ";%u;%u;%u", programme->mix.day,
	                      programme->mix.reminders, programme->mix.strengthen,
	                      programme->mix.release, programme->mix.since_move,
	                      (guint) programme->mix.last, programme->mix.last_strengthen_us,
	                      programme->mix.past_reminders, programme->mix.past_strengthen,
	                      programme->mix.past_release);
	g_key_file_set_value(file, GROUP, MIX_KEY, mix);
}

/* @value's @n_fields numbers into @out, each in its field's range. */
static gboolean
read_fields(const char *value, const Field *fields, guint n_fields, guint64 *out,
            GError **error)
{
	g_auto(GStrv) parts = g_strsplit(value, ";", -1);

	if (g_strv_length(parts) != n_fields) {
		g_autoptr(GString) names = g_string_new(fields[0].name);

		for (guint i = 1; i < n_fields; i++)
			g_string_append_printf(names, ";%s", fields[i].name);
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "%u values instead of %u (write %s)", g_strv_length(parts), n_fields,
		            names->str);
		return FALSE;
	}
	for (guint i = 0; i < n_fields; i++) {
		if (!g_ascii_string_to_unsigned(parts[i], 10, fields[i].min, fields[i].max, &out[i],
		                                NULL)) {
			g_autofree char *part = g_utf8_make_valid(parts[i], -1);

			g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
			            "invalid %s '%s' (use a number from %" G_GUINT64_FORMAT " to %"
			            G_GUINT64_FORMAT ")", fields[i].name, part, fields[i].min,
			            fields[i].max);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
read_progress(const char *id, const char *value, GHashTable *table, GError **error)
{
	g_autoptr(GbProgress) progress = NULL;
	guint64 v[N_PROGRESS_FIELDS];

	if (!read_fields(value, progress_fields, N_PROGRESS_FIELDS, v, error))
		return FALSE;
	progress = gb_progress_new(id);
	progress->level = (guint) v[LEVEL];
	progress->best_level = (guint) v[BEST_LEVEL];
	progress->days_at_level = (guint) v[DAYS_AT_LEVEL];
	progress->last_done = (GbDay) v[LAST_DONE];
	progress->lapse_from = (GbDay) v[LAPSE_FROM];
	progress->last_shown = (GbDay) v[LAST_SHOWN];
	progress->too_hard_days = (guint) v[TOO_HARD_DAYS];
	progress->last_too_hard = (GbDay) v[LAST_TOO_HARD];
	progress->retired = v[RETIRED] != 0;
	/* what gb_programme_done() and the others cannot produce */
	if (progress->best_level < progress->level) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED, "best-level %u below level %u",
		            progress->best_level, progress->level);
		return FALSE;
	}
	if (progress->days_at_level >= gb_programme_days_needed(progress)) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "days-at-level %u, but %u days already move level %u up",
		            progress->days_at_level, gb_programme_days_needed(progress),
		            progress->level);
		return FALSE;
	}
	if ((progress->last_done == GB_DAY_NONE) != (progress->lapse_from == GB_DAY_NONE) ||
	    progress->lapse_from < progress->last_done) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "lapse-from %u with last-done %u (it is 0 with it, else no earlier)",
		            progress->lapse_from, progress->last_done);
		return FALSE;
	}
	if (progress->retired && progress->level != 1) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "retired at level %u (only level 1 retires)", progress->level);
		return FALSE;
	}
	g_hash_table_replace(table, progress->id, progress);
	g_steal_pointer(&progress);
	return TRUE;
}

static gboolean
read_mix(const char *value, GbMix *mix, GError **error)
{
	guint64 v[N_MIX_FIELDS];

	if (!read_fields(value, mix_fields, N_MIX_FIELDS, v, error))
		return FALSE;
	if (v[LAST] != 0 && gb_category_to_string((GbCategory) v[LAST]) == NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "invalid last %" G_GUINT64_FORMAT " (use 0, %d, %d or %d)", v[LAST],
		            GB_CATEGORY_RELEASE, GB_CATEGORY_STRENGTHEN, GB_CATEGORY_MOVE);
		return FALSE;
	}
	if (v[STRENGTHEN] + v[RELEASE] > v[REMINDERS] ||
	    (v[DAY] == GB_DAY_NONE && v[REMINDERS] > 0)) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "%" G_GUINT64_FORMAT " strengthen and %" G_GUINT64_FORMAT " release "
		            "of %" G_GUINT64_FORMAT " reminders on day %" G_GUINT64_FORMAT,
		            v[STRENGTHEN], v[RELEASE], v[REMINDERS], v[DAY]);
		return FALSE;
	}
	if (v[PAST_STRENGTHEN] + v[PAST_RELEASE] > v[PAST_REMINDERS]) {
		g_set_error(error, GB_ERROR, GB_ERROR_FAILED,
		            "%" G_GUINT64_FORMAT " strengthen and %" G_GUINT64_FORMAT " release of %"
		            G_GUINT64_FORMAT " past reminders", v[PAST_STRENGTHEN], v[PAST_RELEASE],
		            v[PAST_REMINDERS]);
		return FALSE;
	}
	*mix = (GbMix) {
		.day = (GbDay) v[DAY],
		.reminders = (guint) v[REMINDERS],
		.strengthen = (guint) v[STRENGTHEN],
		.release = (guint) v[RELEASE],
		.since_move = (guint) v[SINCE_MOVE],
		.last = (GbCategory) v[LAST],
		.last_strengthen_us = (gint64) v[LAST_STRENGTHEN_US],
		.past_reminders = (guint) v[PAST_REMINDERS],
		.past_strengthen = (guint) v[PAST_STRENGTHEN],
		.past_release = (guint) v[PAST_RELEASE],
	};
	return TRUE;
}

gboolean
gb_programme_load(GbProgramme *programme, GKeyFile *file, GError **error)
{
	g_autoptr(GHashTable) table = NULL;
	g_auto(GStrv) keys = NULL;
	GbMix mix = { 0 };

	g_return_val_if_fail(programme != NULL && file != NULL, FALSE);

	table = gb_programme_table_new();
	keys = g_key_file_get_keys(file, GROUP, NULL, NULL); /* NULL: no group, no programme */
	for (gsize i = 0; keys != NULL && keys[i] != NULL; i++) {
		g_autoptr(GError) local_error = NULL;
		/* the raw value: numbers need no unescaping */
		g_autofree char *value = g_key_file_get_value(file, GROUP, keys[i], &local_error);

		if (value == NULL)
			g_assert(local_error != NULL);
		else if (g_str_equal(keys[i], MIX_KEY))
			read_mix(value, &mix, &local_error);
		else if (gb_exercise_id_valid(keys[i]))
			read_progress(keys[i], value, table, &local_error);
		else
			g_set_error_literal(&local_error, GB_ERROR, GB_ERROR_FAILED,
			                    "unknown key (use an exercise id or " MIX_KEY ")");
		if (local_error != NULL) {
			g_autofree char *key = g_utf8_make_valid(keys[i], -1);

			g_set_error(error, GB_ERROR, GB_ERROR_FAILED, "[" GROUP "] %s: %s", key,
			            local_error->message);
			return FALSE;
		}
	}
	g_hash_table_unref(programme->progress);
	programme->progress = g_steal_pointer(&table);
	programme->mix = mix;
	return TRUE;
}

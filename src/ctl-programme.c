/* SPDX-License-Identifier: MIT */
/* glutebreakctl programme: where each strengthen exercise stands in the programme (DESIGN.md
 * rule 14), read from the state file the daemon writes, so it works without the daemon. The
 * rules are src/programme.c's; this file only reads and prints. */
#include <string.h>

#include "config-files.h"
#include "clock.h"
#include "ctl-programme.h"
#include "ctl-report.h"
#include "json.h"
#include "settings.h"
#include "state.h"

static const char programme_help[] =
	"Usage: glutebreakctl programme [--json]\n"
	"\n"
	"Each strengthen exercise: its level in the programme and the dose at that level, the\n"
	"days done toward the next level, when it was last done, and those locked or eased off.\n"
	"Reads the state file and the exercise catalogues; the daemon need not run.\n"
	"\n"
	"  --json     an array of exercise objects\n";

#define SAFETY_FOOTER GB_SAFETY_LINE "\nBefore you start, read the safety note in " \
	DOCDIR "/README.md.\n"

/* One exercise as the listing shows it. */
typedef struct {
	const GbExercise *exercise;
	GbProgress progress;      /* a copy; level 1, never done, when it has none yet */
	guint level;              /* 0: the exercise has no levels */
	const char *dose;         /* of that level */
	guint days_needed;        /* to go up; 0 at the top level or without levels */
	gboolean locked;
	const GbExercise *required; /* what unlocks it, NULL if not in the catalogue */
} Row;

static void
fill_row(const GbProgramme *programme, const GbCatalogue *catalogue, const GbExercise *exercise,
         Row *row)
{
	const GbProgress *progress = gb_programme_lookup(programme, exercise->id);

	*row = (Row) { .exercise = exercise };
	if (progress != NULL)
		row->progress = *progress;
	else
		row->progress = (GbProgress) { .level = 1, .best_level = 1 };
	row->level = gb_programme_level(programme, exercise);
	row->dose = row->level > 0 ? exercise->levels[row->level - 1].dose : exercise->dose;
	if (row->level > 0 && row->level < exercise->n_levels)
		row->days_needed = gb_programme_days_needed(&row->progress);
	row->locked = !gb_programme_unlocked(programme, catalogue, exercise);
	if (exercise->requires != NULL)
		row->required = gb_catalogue_lookup(catalogue, exercise->requires);
}

/* "Glute bridge" as it reads inside a sentence: "glute bridge". */
static char *
lower_first(const char *name)
{
	gunichar first = g_utf8_get_char(name);
	GString *out = g_string_new(NULL);

	g_string_append_unichar(out, g_unichar_tolower(first));
	g_string_append(out, g_utf8_next_char(name));
	return g_string_free(out, FALSE);
}

static void
append_last_done(GString *out, GbDay last_done, GbDay today)
{
	if (last_done == GB_DAY_NONE)
		g_string_append(out, "never done");
	else if (last_done >= today) /* (a clock put back: not "-1 days ago") */
		g_string_append(out, "last done today");
	else if (today - last_done == 1)
		g_string_append(out, "last done yesterday");
	else
		g_string_append_printf(out, "last done %u days ago", today - last_done);
}

static void
append_text(GString *out, const Row *row, GbDay today)
{
	const GbExercise *exercise = row->exercise;

	g_string_append(out, exercise->name);
	if (row->level > 0)
		g_string_append_printf(out, " · level %u of %u", row->level, exercise->n_levels);
	g_string_append_printf(out, " · %s · ", row->dose);
	if (row->locked) {
		g_autofree char *name = lower_first(row->required != NULL ? row->required->name
		                                                          : exercise->requires);

		g_string_append_printf(out, "locked: %s level %u first", name,
		                       exercise->requires_level);
	} else if (row->progress.retired) {
		g_string_append_printf(out, "eased off: too hard at level %u; glutebreakctl "
		                       "exercise %s and Done bring it back", MAX(row->level, 1),
		                       exercise->id);
	} else if (row->days_needed > 0) {
		g_string_append_printf(out, "%u of %u days to level %u",
		                       MIN(row->progress.days_at_level, row->days_needed),
		                       row->days_needed, row->level + 1);
	} else if (row->level > 0) {
		g_string_append(out, "top level");
	}
	if (row->locked || row->progress.retired || row->level > 0)
		g_string_append(out, " · ");
	append_last_done(out, row->progress.last_done, today);
	g_string_append_c(out, '\n');
}

static void
append_json(GString *out, const Row *row)
{
	const GbExercise *exercise = row->exercise;
	GbDay last_done = row->progress.last_done;

	g_string_append(out, "{\"id\":");
	gb_json_append_string(out, exercise->id);
	g_string_append(out, ",\"name\":");
	gb_json_append_string(out, exercise->name);
	if (row->level > 0)
		g_string_append_printf(out, ",\"level\":%u", row->level);
	else
		g_string_append(out, ",\"level\":null");
	g_string_append_printf(out, ",\"levels\":%u,\"dose\":", exercise->n_levels);
	gb_json_append_string(out, row->dose);
	g_string_append_printf(out, ",\"days_done\":%u", row->level > 0 ?
	                       row->progress.days_at_level : 0);
	if (row->days_needed > 0)
		g_string_append_printf(out, ",\"days_needed\":%u", row->days_needed);
	else
		g_string_append(out, ",\"days_needed\":null");
	if (last_done != GB_DAY_NONE && g_date_valid_julian(last_done)) {
		GDate date;

		g_date_clear(&date, 1);
		g_date_set_julian(&date, last_done);
		g_string_append_printf(out, ",\"last_done\":\"%04u-%02u-%02u\"",
		                       g_date_get_year(&date), g_date_get_month(&date),
		                       g_date_get_day(&date));
	} else {
		g_string_append(out, ",\"last_done\":null");
	}
	g_string_append_printf(out, ",\"locked\":%s,\"requires\":", row->locked ? "true" : "false");
	if (exercise->requires != NULL) {
		g_string_append(out, "{\"id\":");
		gb_json_append_string(out, exercise->requires);
		g_string_append_printf(out, ",\"level\":%u}", exercise->requires_level);
	} else {
		g_string_append(out, "null");
	}
	g_string_append_printf(out, ",\"retired\":%s}",
	                       row->progress.retired ? "true" : "false");
}

char *
gb_ctl_programme_format(const GbProgramme *programme, const GbCatalogue *catalogue,
                        GbDay today, gboolean json)
{
	GString *out = g_string_new(json ? "[" : NULL);
	guint rows = 0;

	for (guint i = 0; i < gb_catalogue_size(catalogue); i++) {
		const GbExercise *exercise = gb_catalogue_get(catalogue, i);
		Row row;

		if (exercise->category != GB_CATEGORY_STRENGTHEN)
			continue;
		fill_row(programme, catalogue, exercise, &row);
		if (json) {
			g_string_append(out, rows > 0 ? ",\n" : "\n");
			append_json(out, &row);
		} else {
			append_text(out, &row, today);
		}
		rows++;
	}
	if (json)
		g_string_append(out, rows > 0 ? "\n]\n" : "]\n");
	else if (rows == 0)
		g_string_append(out, "No strengthen exercise in the catalogue.\n");
	else
		g_string_append(out, "\n" SAFETY_FOOTER);
	return g_string_free(out, FALSE);
}

/* The command ---------------------------------------------------------------------------- */

static int
usage_error(const char *message, const char *value)
{
	g_printerr("glutebreakctl: programme: %s '%s' (see glutebreakctl programme --help)\n",
	           message, value);
	return 2;
}

int
gb_ctl_programme(int argc, char **argv)
{
	g_autoptr(GbConfigFiles) files = NULL;
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;
	g_autoptr(GbProgramme) programme = gb_programme_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	g_autofree char *text = NULL;
	gboolean json = FALSE;
	GbDay today;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return gb_ctl_print(programme_help);
		if (strcmp(argv[i], "--json") == 0)
			json = TRUE;
		else if (argv[i][0] == '-')
			return usage_error("unknown option", argv[i]);
		else
			return usage_error("unexpected argument", argv[i]);
	}
	files = gb_config_files_new(NULL, NULL, NULL);
	if (!gb_config_files_load(files, &settings, &catalogue, &error)) {
		g_printerr("glutebreakctl: %s\n", error->message);
		return 1;
	}
	path = gb_state_default_path();
	/* a bad state file is the daemon's to replace: say so, and show level 1 as it will */
	if (!gb_state_load_programme(path, programme, &error))
		g_printerr("glutebreakctl: warning: %s\n", error->message);
	g_clear_error(&error);
	today = gb_clock_local_day(gb_clock_wall_us());
	/* the lapses since the daemon last looked, as its next pick will apply them */
	gb_programme_catch_up(programme, catalogue, today, NULL);
	text = gb_ctl_programme_format(programme, catalogue, today, json);
	if (!settings->programme && !json)
		g_print("The programme is off ([programme] enabled = no in %s): reminders show each "
		        "exercise's usual dose; these levels wait until it is on again.\n\n",
		        settings->path);
	return gb_ctl_print(text);
}

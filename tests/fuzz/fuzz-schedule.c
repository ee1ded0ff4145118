/* SPDX-License-Identifier: MIT */
/* [schedule] active: gb_schedule_parse() on any text. A rejected text gets a config error
 * whose UTF-8 message names the problem (no FILE:LINE: the caller adds that); an accepted
 * one spells itself (gb_schedule_to_string()) as text that parses back to the same
 * schedule, and gb_schedule_active_at() at times around DST changes and skipped days
 * names a next change strictly later, with the same answer up to it and another one there. */
#include "errors.h"
#include "fuzz-common.h"
#include "schedule.h"

typedef struct {
	const char *zone;
	int year, month, day, hour, minute;
} Moment;

static const Moment moments[] = {
	{ "Europe/Berlin", 2026, 3, 29, 1, 59 },    /* before the spring-forward gap */
	{ "Europe/Berlin", 2026, 3, 29, 3, 0 },     /* its end */
	{ "Europe/Berlin", 2026, 10, 25, 2, 30 },   /* in the repeated hour */
	{ "Europe/Berlin", 2026, 10, 24, 23, 0 },
	{ "America/Sao_Paulo", 2018, 11, 3, 23, 30 }, /* midnight that did not exist */
	{ "Pacific/Apia", 2011, 12, 24, 12, 0 },    /* a Friday that did not exist */
	{ "Pacific/Apia", 2011, 12, 29, 23, 59 },
	{ "UTC", 2026, 6, 8, 0, 0 },
};

/* One zone per moment, loaded once: libFuzzer gives no context pointer. */
static GTimeZone *zones[G_N_ELEMENTS(moments)];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	gb_fuzz_init();
	for (gsize i = 0; i < G_N_ELEMENTS(moments); i++)
		zones[i] = g_time_zone_new_identifier(moments[i].zone); /* NULL: no tzdata */
	return 0;
}

static GDateTime *
at_unix_us(GTimeZone *tz, gint64 unix_us)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(unix_us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) exact = g_date_time_add(utc, unix_us % G_USEC_PER_SEC);

	return g_date_time_to_timezone(exact, tz);
}

static gboolean
active_at_us(const GbSchedule *schedule, GTimeZone *tz, gint64 unix_us)
{
	g_autoptr(GDateTime) time = at_unix_us(tz, unix_us);

	return gb_schedule_active_at(schedule, time, NULL);
}

static void
check_moment(const GbSchedule *schedule, GTimeZone *tz, GDateTime *now, const char *text)
{
	gint64 now_us = g_date_time_to_unix(now) * G_USEC_PER_SEC;
	gint64 next = 0;
	gboolean active = gb_schedule_active_at(schedule, now, &next);

	gb_fuzz_check(next > now_us, text);
	if (next == G_MAXINT64) {
		gb_fuzz_check(active && gb_schedule_is_always(schedule), text);
		return;
	}
	gb_fuzz_check(!gb_schedule_is_always(schedule), text);
	gb_fuzz_check(active_at_us(schedule, tz, next - 1) == active, text);
	gb_fuzz_check(active_at_us(schedule, tz, now_us + (next - now_us) / 2) == active, text);
	gb_fuzz_check(active_at_us(schedule, tz, next) != active, text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the parser takes C strings: a NUL ends the text as it would in a file */
	g_autofree char *text = g_strndup((const char *) data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(GbSchedule) schedule = gb_schedule_parse(text, &error);
	g_autoptr(GbSchedule) again = NULL;
	g_autoptr(GbSchedule) copy = NULL;
	g_autofree char *spelt = NULL;
	g_autofree char *spelt_again = NULL;

	if (schedule == NULL) {
		gb_fuzz_check(error != NULL, "NULL without an error");
		gb_fuzz_check(g_error_matches(error, GB_ERROR, GB_ERROR_INVALID_CONFIG),
		              error->message);
		gb_fuzz_check(g_utf8_validate(error->message, -1, NULL) && *error->message != '\0',
		              text);
		return 0;
	}
	gb_fuzz_check(error == NULL, error->message);
	spelt = gb_schedule_to_string(schedule);
	again = gb_schedule_parse(spelt, NULL);
	gb_fuzz_check(again != NULL && gb_schedule_equal(again, schedule), spelt);
	spelt_again = gb_schedule_to_string(again);
	gb_fuzz_check(g_str_equal(spelt, spelt_again), spelt_again);
	gb_fuzz_check(gb_schedule_is_always(schedule) == (*spelt == '\0'), spelt);
	copy = gb_schedule_copy(schedule);
	gb_fuzz_check(gb_schedule_equal(copy, schedule), spelt);

	for (gsize i = 0; i < G_N_ELEMENTS(moments); i++) {
		const Moment *m = &moments[i];
		g_autoptr(GDateTime) now = NULL;
		g_autoptr(GDateTime) later = NULL;

		if (zones[i] == NULL)
			continue;
		now = g_date_time_new(zones[i], m->year, m->month, m->day, m->hour, m->minute, 0);
		check_moment(schedule, zones[i], now, spelt);
		/* and somewhere in the next year and a bit, picked by the text */
		later = g_date_time_add_seconds(now, g_str_hash(text) % (400 * 24 * 3600));
		check_moment(schedule, zones[i], later, spelt);
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* [schedule] active: the parser and gb_schedule_active_at() over literal times. */
#include "errors.h"
#include "schedule.h"

static GbSchedule *
parse(const char *text)
{
	g_autoptr(GError) error = NULL;
	GbSchedule *schedule = gb_schedule_parse(text, &error);

	g_assert_no_error(error);
	g_assert_nonnull(schedule);
	return schedule;
}

static void
assert_error(const char *text, const char *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GbSchedule) schedule = gb_schedule_parse(text, &error);

	g_assert_null(schedule);
	g_assert_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG);
	g_assert_cmpstr(error->message, ==, message);
}

static GTimeZone *
zone(const char *identifier)
{
	GTimeZone *tz = g_time_zone_new_identifier(identifier);

	if (tz == NULL)
		g_test_skip_printf("no tzdata for %s", identifier);
	return tz;
}

/* "2026-06-05T21:59:00+02:00" as Unix µs */
static gint64
us(const char *iso)
{
	g_autoptr(GDateTime) time = g_date_time_new_from_iso8601(iso, NULL);

	g_assert_nonnull(time);
	return g_date_time_to_unix(time) * G_USEC_PER_SEC + g_date_time_get_microsecond(time);
}

/* @schedule at @iso seen in @tz: inside or not, and the next change */
static void
assert_at(const char *text, GTimeZone *tz, const char *iso, gboolean active, const char *next)
{
	g_autoptr(GbSchedule) schedule = parse(text);
	g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601(iso, NULL);
	g_autoptr(GDateTime) now = g_date_time_to_timezone(utc, tz);
	gint64 change = 0;

	g_test_message("'%s' at %s", text, iso);
	g_assert_cmpint(gb_schedule_active_at(schedule, now, &change), ==, active);
	g_assert_cmpint(change, ==, next != NULL ? us(next) : G_MAXINT64);
	g_assert_cmpint(change, >, us(iso));
}

/* One look at a schedule: @text at @iso is inside it or not, and next changes at @next (NULL:
 * never). */
typedef struct {
	const char *text;
	const char *iso;
	gboolean active;
	const char *next;
} At;

/* Each of the @n looks, seen in the zone @identifier; skipped without its tzdata. */
static void
assert_all_at(const char *identifier, const At *looks, gsize n)
{
	g_autoptr(GTimeZone) tz = zone(identifier);

	for (gsize i = 0; tz != NULL && i < n; i++)
		assert_at(looks[i].text, tz, looks[i].iso, looks[i].active, looks[i].next);
}

static void
assert_same(const char *a, const char *b)
{
	g_autoptr(GbSchedule) x = parse(a);
	g_autoptr(GbSchedule) y = parse(b);

	g_test_message("'%s' == '%s'", a, b);
	g_assert_true(gb_schedule_equal(x, y));
}

static void
assert_string(const char *text, const char *canonical)
{
	g_autoptr(GbSchedule) schedule = parse(text);
	g_autofree char *string = gb_schedule_to_string(schedule);
	g_autoptr(GbSchedule) again = parse(string);

	g_assert_cmpstr(string, ==, canonical);
	g_assert_true(gb_schedule_equal(schedule, again));
}

static void
test_errors(void)
{
	assert_error("mno 09:00-17:00", "unknown day 'mno' (use mon, tue, wed, thu, fri, sat, sun "
	                                "or a range like mon-fri)");
	assert_error("mon-fry 09:00-17:00", "unknown day 'fry' (use mon, tue, wed, thu, fri, sat, "
	                                    "sun or a range like mon-fri)");
	assert_error("mon- 09:00-17:00",
	             "'mon-': a day range needs a day on each side, e.g. mon-fri");
	assert_error("mon 9:00-17:00", "'9:00-17:00': write times as HH:MM, e.g. 09:00-17:00");
	assert_error("mon 09:00-17:00x",
	             "'09:00-17:00x': write times as HH:MM, e.g. 09:00-17:00");
	assert_error("mon 09.00-17.00", "'09.00-17.00': write times as HH:MM, e.g. 09:00-17:00");
	assert_error("mon 09:00 - 17:00", "'09:00': write a time range as HH:MM-HH:MM with no "
	                                  "spaces, e.g. 09:00-17:00");
	assert_error("mon", "'mon': a day needs a time range, e.g. mon 09:00-17:00");
	assert_error("sat 10:00-12:00, mon-fri",
	             "'mon-fri': a day needs a time range, e.g. mon-fri 09:00-17:00");
	assert_error("mon 09:00-09:00",
	             "'09:00-09:00': an empty range (for a whole day write 00:00-24:00)");
	assert_error("mon 00:00-00:00",
	             "'00:00-00:00': an empty range (for a whole day write 00:00-24:00)");
	assert_error("mon 09:00-25:00", "'09:00-25:00': no such time '25:00' (use 00:00 to 23:59, "
	                                "and 24:00 to end a range)");
	assert_error("mon 09:60-10:00", "'09:60-10:00': no such time '09:60' (use 00:00 to 23:59, "
	                                "and 24:00 to end a range)");
	assert_error("mon 22:00-24:01", "'22:00-24:01': no such time '24:01' (use 00:00 to 23:59, "
	                                "and 24:00 to end a range)");
	assert_error("mon 24:00-02:00",
	             "'24:00-02:00': 24:00 can only end a range (start at 00:00 instead)");
	assert_error("09:00-17:00",
	             "'09:00-17:00': a time range needs a day before it, e.g. mon-fri 09:00-17:00");
	assert_error("mon 09:00-12:00 tue 10:00-11:00",
	             "'mon 09:00-12:00 tue 10:00-11:00': a comma must come before 'tue' (separate "
	             "the days with commas, e.g. mon 09:00-12:00, tue 10:00-16:00)");
	assert_error("mon 09:00-12:00,, tue 10:00-11:00",
	             "'mon 09:00-12:00,, tue 10:00-11:00': an empty item between commas (remove "
	             "the extra comma)");
	assert_error("mon 09:00-12:00,",
	             "'mon 09:00-12:00,': an empty item between commas (remove the extra comma)");
	assert_error("mon 09:00-12:00 \xff", "not valid UTF-8 (save the file as UTF-8)");
}

static void
test_spellings(void)
{
	assert_string("mon-fri 09:00-17:30, sat 10:00-12:00",
	              "mon 09:00-17:30, tue 09:00-17:30, wed 09:00-17:30, thu 09:00-17:30, "
	              "fri 09:00-17:30, sat 10:00-12:00");
	assert_same("Mon-FRI 09:00-17:30", "monday-friday 09:00-17:30");
	assert_same("  mon\t09:00-10:00   13:00-14:00 ,tue 08:00-09:00  ",
	            "tue 08:00-09:00, mon 13:00-14:00 09:00-10:00");
	/* a day range of one day, and one of the whole week */
	assert_same("wed-wed 09:00-10:00", "wed 09:00-10:00");
	assert_same("tue-mon 09:00-10:00", "mon-sun 09:00-10:00");
}

static void
test_always(void)
{
	const char *const always[] = { "", "   ", "\t", "mon-sun 00:00-24:00",
	                                "fri-thu 00:00-00:30 00:30-24:00",
	                                "mon-sun 12:00-12:01, mon-sun 12:01-12:00" };
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	g_autoptr(GbSchedule) empty = parse("");
	g_autoptr(GbSchedule) some = parse("mon 09:00-10:00");
	g_autoptr(GbSchedule) copy = gb_schedule_copy(some);
	g_autofree char *string = gb_schedule_to_string(empty);

	if (tz == NULL)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(always); i++) {
		g_autoptr(GbSchedule) schedule = parse(always[i]);

		g_assert_true(gb_schedule_is_always(schedule));
		g_assert_true(gb_schedule_equal(schedule, empty));
		g_assert_true(gb_schedule_equal(schedule, NULL));
		assert_at(always[i], tz, "2026-06-05T12:00:00+02:00", TRUE, NULL);
	}
	g_assert_cmpstr(string, ==, "");
	g_assert_true(gb_schedule_is_always(NULL));
	g_assert_false(gb_schedule_is_always(some));
	g_assert_false(gb_schedule_equal(some, empty));
	g_assert_false(gb_schedule_equal(NULL, some));
	g_assert_true(gb_schedule_equal(copy, some));
	g_assert_null(gb_schedule_copy(NULL));
}

/* Friday 2026-06-05 */
static const At day_looks[] = {
	{ "mon-fri 09:00-17:30, sat 10:00-12:00", "2026-06-05T08:59:59+02:00", FALSE,
	  "2026-06-05T09:00:00+02:00" },
	{ "mon-fri 09:00-17:30, sat 10:00-12:00", "2026-06-05T09:00:00+02:00", TRUE,
	  "2026-06-05T17:30:00+02:00" },
	{ "mon-fri 09:00-17:30, sat 10:00-12:00", "2026-06-05T17:29:59.999999+02:00", TRUE,
	  "2026-06-05T17:30:00+02:00" },
	{ "mon-fri 09:00-17:30, sat 10:00-12:00", "2026-06-05T17:30:00+02:00", FALSE,
	  "2026-06-06T10:00:00+02:00" },
	/* Saturday after its range: Monday */
	{ "mon-fri 09:00-17:30, sat 10:00-12:00", "2026-06-06T12:00:00+02:00", FALSE,
	  "2026-06-08T09:00:00+02:00" },
	/* a day six days ahead */
	{ "wed 10:00-11:00", "2026-06-04T12:00:00+02:00", FALSE, "2026-06-10T10:00:00+02:00" },
};

static void
test_day(void)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();

	assert_all_at("Europe/Berlin", day_looks, G_N_ELEMENTS(day_looks));
	/* the zone of @now counts: 09:30 in Berlin is 07:30 UTC, before 09:00 in UTC */
	assert_at("mon-fri 09:00-17:30, sat 10:00-12:00", utc, "2026-06-05T09:30:00+02:00", FALSE,
	          "2026-06-05T09:00:00Z");
}

static const At midnight_looks[] = {
	{ "fri 22:00-02:00", "2026-06-04T23:00:00+02:00", FALSE, "2026-06-05T22:00:00+02:00" },
	{ "fri 22:00-02:00", "2026-06-05T21:59:00+02:00", FALSE, "2026-06-05T22:00:00+02:00" },
	{ "fri 22:00-02:00", "2026-06-05T23:59:59+02:00", TRUE, "2026-06-06T02:00:00+02:00" },
	{ "fri 22:00-02:00", "2026-06-06T00:00:00+02:00", TRUE, "2026-06-06T02:00:00+02:00" },
	{ "fri 22:00-02:00", "2026-06-06T02:00:00+02:00", FALSE, "2026-06-12T22:00:00+02:00" },
	/* Sunday into Monday, across the end of the week */
	{ "sun 23:00-01:00", "2026-06-07T23:30:00+02:00", TRUE, "2026-06-08T01:00:00+02:00" },
	{ "sun 23:00-01:00", "2026-06-08T00:30:00+02:00", TRUE, "2026-06-08T01:00:00+02:00" },
	{ "sun 23:00-01:00", "2026-06-08T01:00:00+02:00", FALSE, "2026-06-14T23:00:00+02:00" },
	/* a whole Sunday and Monday morning are one stretch */
	{ "sun 00:00-24:00, mon 00:00-08:00", "2026-06-07T12:00:00+02:00", TRUE,
	  "2026-06-08T08:00:00+02:00" },
	/* ranges that cross midnight every day join up */
	{ "mon-sun 18:00-08:00", "2026-06-05T20:00:00+02:00", TRUE, "2026-06-06T08:00:00+02:00" },
};

static void
test_midnight(void)
{
	assert_all_at("Europe/Berlin", midnight_looks, G_N_ELEMENTS(midnight_looks));
	assert_string("sun 23:00-01:00", "mon 00:00-01:00, sun 23:00-24:00");
}

static void
test_wrapping_days(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	const char *text = "fri-mon 10:00-11:00";
	/* Monday 2026-06-08 .. Sunday 2026-06-14 */
	const gboolean inside[7] = { TRUE, FALSE, FALSE, FALSE, TRUE, TRUE, TRUE };

	if (tz == NULL)
		return;
	for (int day = 0; day < 7; day++) {
		g_autoptr(GDateTime) now = g_date_time_new(tz, 2026, 6, 8 + day, 10, 30, 0);
		g_autoptr(GbSchedule) schedule = parse(text);

		g_assert_cmpint(gb_schedule_active_at(schedule, now, NULL), ==, inside[day]);
	}
	assert_at(text, tz, "2026-06-08T11:00:00+02:00", FALSE, "2026-06-12T10:00:00+02:00");
	assert_same(text, "fri 10:00-11:00, sat 10:00-11:00, sun 10:00-11:00, mon 10:00-11:00");
}

static void
test_overlapping(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	g_autoptr(GbSchedule) hour = parse("mon 09:00-10:00");
	g_autoptr(GbSchedule) more = parse("mon 09:00-10:01");
	const char *text = "mon 09:00-12:00 11:00-14:00, mon-tue 13:00-15:00";

	if (tz == NULL)
		return;
	assert_same(text, "mon 09:00-15:00, tue 13:00-15:00");
	assert_string(text, "mon 09:00-15:00, tue 13:00-15:00");
	/* touching ranges are one */
	assert_same("mon 09:00-10:00 10:00-11:00", "mon 09:00-11:00");
	assert_same("mon 09:00-10:00, mon 09:30-09:45", "mon 09:00-10:00");
	assert_at(text, tz, "2026-06-08T12:30:00+02:00", TRUE, "2026-06-08T15:00:00+02:00");
	assert_at("mon 09:00-10:00 10:00-11:00", tz, "2026-06-08T09:30:00+02:00", TRUE,
	          "2026-06-08T11:00:00+02:00");
	g_assert_false(gb_schedule_equal(hour, more));
}

static const At end_of_day_looks[] = {
	{ "mon 22:00-24:00", "2026-06-08T23:00:00+02:00", TRUE, "2026-06-09T00:00:00+02:00" },
	{ "mon 00:00-24:00", "2026-06-08T12:00:00+02:00", TRUE, "2026-06-09T00:00:00+02:00" },
	{ "mon 00:00-24:00", "2026-06-09T00:00:00+02:00", FALSE, "2026-06-15T00:00:00+02:00" },
};

static void
test_end_of_day(void)
{
	assert_same("mon 22:00-24:00", "mon 22:00-00:00");
	assert_string("mon 00:00-24:00", "mon 00:00-24:00");
	assert_all_at("Europe/Berlin", end_of_day_looks, G_N_ELEMENTS(end_of_day_looks));
}

/* Europe/Berlin, Sunday 2026-03-29: 02:00 CET is followed by 03:00 CEST; wall times from
 * 02:00 to 02:59 do not exist. */
static const At spring_forward_looks[] = {
	/* a range starting in the gap starts when the gap ends */
	{ "sun 02:30-04:00", "2026-03-29T01:59:00+01:00", FALSE, "2026-03-29T03:00:00+02:00" },
	{ "sun 02:30-04:00", "2026-03-29T03:00:00+02:00", TRUE, "2026-03-29T04:00:00+02:00" },
	{ "sun 02:30-04:00", "2026-03-29T03:10:00+02:00", TRUE, "2026-03-29T04:00:00+02:00" },
	/* one ending in the gap ends there: 30 minutes after 01:30 CET */
	{ "sun 01:00-02:30", "2026-03-29T01:30:00+01:00", TRUE, "2026-03-29T03:00:00+02:00" },
	{ "sun 01:00-02:30", "2026-03-29T03:00:00+02:00", FALSE, "2026-04-05T01:00:00+02:00" },
	/* a range wholly inside the gap does not happen that day */
	{ "sun 02:10-02:40, mon 09:00-10:00", "2026-03-29T01:00:00+01:00", FALSE,
	  "2026-03-30T09:00:00+02:00" },
	/* the schedule's only gap lies inside the DST gap: no change that day, and the answer
	 * does not loop at the boundary */
	{ "sun 00:00-02:30 03:00-24:00", "2026-03-29T01:00:00+01:00", TRUE,
	  "2026-03-30T00:00:00+02:00" },
	{ "sun 00:00-02:30 03:00-24:00", "2026-03-29T03:00:00+02:00", TRUE,
	  "2026-03-30T00:00:00+02:00" },
	/* a day of 23 hours */
	{ "sun 00:00-24:00", "2026-03-29T00:00:00+01:00", TRUE, "2026-03-30T00:00:00+02:00" },
};

static void
test_spring_forward(void)
{
	g_autoptr(GTimeZone) tz = zone("Europe/Berlin");
	g_autoptr(GDateTime) gap = NULL;
	gint64 gap_us;

	if (tz == NULL)
		return;
	/* where GLib puts 02:30 that day (2.74: the end of the gap, 03:00 CEST); whatever it
	 * is, it lies at or after the end of the gap and before 03:30 */
	gap = g_date_time_new(tz, 2026, 3, 29, 2, 30, 0);
	gap_us = g_date_time_to_unix(gap) * G_USEC_PER_SEC;
	g_assert_cmpint(gap_us, >=, us("2026-03-29T03:00:00+02:00"));
	g_assert_cmpint(gap_us, <=, us("2026-03-29T03:30:00+02:00"));
	g_assert_cmpint(gap_us, ==, us("2026-03-29T03:00:00+02:00"));
	assert_all_at("Europe/Berlin", spring_forward_looks, G_N_ELEMENTS(spring_forward_looks));
}

/* Europe/Berlin, Sunday 2026-10-25: 03:00 CEST is followed by 02:00 CET; wall times from
 * 02:00 to 02:59 happen twice. */
static const At fall_back_looks[] = {
	/* a boundary in the repeated hour is its second, standard-time occurrence (GLib) */
	{ "sun 02:30-03:00", "2026-10-25T02:40:00+02:00", FALSE, "2026-10-25T02:30:00+01:00" },
	{ "sun 02:30-03:00", "2026-10-25T02:45:00+01:00", TRUE, "2026-10-25T03:00:00+01:00" },
	{ "sun 02:30-03:00", "2026-10-25T03:00:00+01:00", FALSE, "2026-11-01T02:30:00+01:00" },
	/* a range ending in it lasts through the first occurrence: 01:00 CEST to 02:30 CET */
	{ "sun 01:00-02:30", "2026-10-25T02:15:00+02:00", TRUE, "2026-10-25T02:30:00+01:00" },
	{ "sun 01:00-02:30", "2026-10-25T02:15:00+01:00", TRUE, "2026-10-25T02:30:00+01:00" },
	/* a day of 25 hours */
	{ "sun 00:00-24:00", "2026-10-25T00:00:00+02:00", TRUE, "2026-10-26T00:00:00+01:00" },
	{ "sat 20:00-08:00", "2026-10-24T22:00:00+02:00", TRUE, "2026-10-25T08:00:00+01:00" },
};

static void
test_fall_back(void)
{
	assert_all_at("Europe/Berlin", fall_back_looks, G_N_ELEMENTS(fall_back_looks));
}

/* Brazil's DST began at midnight: 2018-11-04, a Sunday, began at 01:00 */
static const At midnight_skipped_looks[] = {
	{ "sun 00:00-02:00", "2018-11-03T23:00:00-03:00", FALSE, "2018-11-04T01:00:00-02:00" },
	{ "sat 22:00-24:00", "2018-11-03T23:00:00-03:00", TRUE, "2018-11-04T01:00:00-02:00" },
	{ "sat 22:00-24:00, sun 00:00-02:00", "2018-11-03T23:00:00-03:00", TRUE,
	  "2018-11-04T02:00:00-02:00" },
};

static void
test_midnight_skipped(void)
{
	assert_all_at("America/Sao_Paulo", midnight_skipped_looks,
	              G_N_ELEMENTS(midnight_skipped_looks));
}

/* Samoa skipped Friday 2011-12-30 moving across the date line: the Friday range does not
 * happen that week, and the next is 8 days ahead, or 13 from the Saturday before */
static const At day_skipped_looks[] = {
	{ "fri 09:00-17:00", "2011-12-29T20:00:00-10:00", FALSE, "2012-01-06T09:00:00+14:00" },
	{ "thu-fri 09:00-17:00", "2011-12-29T20:00:00-10:00", FALSE, "2012-01-05T09:00:00+14:00" },
	{ "fri 09:00-17:00", "2011-12-24T12:00:00-10:00", FALSE, "2012-01-06T09:00:00+14:00" },
	/* a week whose only gap was that Friday */
	{ "sat-thu 00:00-24:00", "2011-12-24T12:00:00-10:00", TRUE, "2012-01-06T00:00:00+14:00" },
};

static void
test_day_skipped(void)
{
	assert_all_at("Pacific/Apia", day_skipped_looks, G_N_ELEMENTS(day_skipped_looks));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/schedule/errors", test_errors);
	g_test_add_func("/schedule/spellings", test_spellings);
	g_test_add_func("/schedule/always", test_always);
	g_test_add_func("/schedule/day", test_day);
	g_test_add_func("/schedule/midnight", test_midnight);
	g_test_add_func("/schedule/wrapping-days", test_wrapping_days);
	g_test_add_func("/schedule/overlapping", test_overlapping);
	g_test_add_func("/schedule/end-of-day", test_end_of_day);
	g_test_add_func("/schedule/spring-forward", test_spring_forward);
	g_test_add_func("/schedule/fall-back", test_fall_back);
	g_test_add_func("/schedule/midnight-skipped", test_midnight_skipped);
	g_test_add_func("/schedule/day-skipped", test_day_skipped);
	return g_test_run();
}

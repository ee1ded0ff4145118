/* SPDX-License-Identifier: MIT */
/* Durations as people write and read them: the one parser and the one formatter. */
#include <errno.h>
#include <string.h>

#include "duration.h"
#include "errors.h"

gboolean
gb_duration_parse(const char *text, gint64 *out_us, GError **error)
{
	static const char hms[] = "hms";
	static const gint64 unit_us[] = { (gint64) 3600 * G_USEC_PER_SEC,
	                                  (gint64) 60 * G_USEC_PER_SEC, G_USEC_PER_SEC };
	const char *p = text;
	const char *units = hms;
	gint64 total = 0;
	gboolean any = FALSE;

	while (*p != '\0') {
		char *end;
		guint64 n;
		const char *unit;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (!g_ascii_isdigit(*p))
			goto invalid;
		errno = 0;
		n = g_ascii_strtoull(p, &end, 10);
		if (errno != 0 || n > 24 * 3600)
			goto too_long;
		if (*end == '\0' || *end == ' ') {
			g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
			            "missing unit: '%s' (write %" G_GUINT64_FORMAT "m for minutes, "
			            "or use s or h)", text, n);
			return FALSE;
		}
		unit = strchr(units, g_ascii_tolower(*end));
		if (unit == NULL)
			goto invalid;
		units = unit + 1; /* h before m before s, each at most once */
		total += (gint64) n * unit_us[unit - hms];
		if (total > GB_DURATION_MAX_US)
			goto too_long;
		any = TRUE;
		p = end + 1;
	}
	if (!any)
		goto invalid;
	*out_us = total;
	return TRUE;

invalid:
	g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
	            "invalid duration: '%s' (use a number with a unit: 90s, 45m, 1h30m)", text);
	return FALSE;
too_long:
	g_set_error(error, GB_ERROR, GB_ERROR_INVALID_CONFIG,
	            "duration too long: '%s' (at most 24h)", text);
	return FALSE;
}

char *
gb_duration_format(gint64 us)
{
	gint64 s = (MAX(us, 0) + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
	GString *out = g_string_new(NULL);

	if (s >= 3600)
		g_string_append_printf(out, "%" G_GINT64_FORMAT " h", s / 3600);
	if (s % 3600 >= 60)
		g_string_append_printf(out, "%s%" G_GINT64_FORMAT " min", out->len > 0 ? " " : "",
		                       s % 3600 / 60);
	if (s % 60 != 0 || s == 0)
		g_string_append_printf(out, "%s%" G_GINT64_FORMAT " s", out->len > 0 ? " " : "",
		                       s % 60);
	return g_string_free(out, FALSE);
}

gint64
gb_duration_round_minutes(gint64 us)
{
	const gint64 minute = 60 * G_USEC_PER_SEC;

	if (us < minute)
		return us;
	return (us + minute / 2) / minute * minute;
}

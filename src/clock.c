/* SPDX-License-Identifier: MIT */
/* The only place that reads a clock. */
#include <errno.h>
#include <time.h>

#include "clock.h"

static gint64
read_clock(clockid_t id)
{
	struct timespec ts;

	/* cannot fail on Linux for these clock ids */
	if (clock_gettime(id, &ts) != 0)
		g_error("clock_gettime(%d): %s", (int) id, g_strerror(errno));
	return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

gint64
gb_clock_now_us(void)
{
	/* Not g_get_monotonic_time(): CLOCK_MONOTONIC stops while the machine is
	 * suspended, and a suspended laptop is time away from the desk. */
	return read_clock(CLOCK_BOOTTIME);
}

gint64
gb_clock_suspend_offset_us(void)
{
	gint64 boot = read_clock(CLOCK_BOOTTIME);

	return boot - read_clock(CLOCK_MONOTONIC);
}

gint64
gb_clock_wall_us(void)
{
	return read_clock(CLOCK_REALTIME);
}

char *
gb_clock_boot_id(void)
{
	g_autofree char *id = NULL;

	if (!g_file_get_contents("/proc/sys/kernel/random/boot_id", &id, NULL, NULL))
		return g_strdup("");
	return g_strdup(g_strstrip(id));
}

guint32
gb_clock_local_day(gint64 unix_us)
{
	g_autoptr(GDateTime) time = g_date_time_new_from_unix_local(unix_us / G_USEC_PER_SEC);
	GDate date;

	g_date_clear(&date, 1);
	g_date_set_dmy(&date, (GDateDay) g_date_time_get_day_of_month(time),
	               (GDateMonth) g_date_time_get_month(time),
	               (GDateYear) g_date_time_get_year(time));
	return g_date_get_julian(&date);
}

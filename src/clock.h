/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* CLOCK_BOOTTIME in µs: keeps counting while the machine is suspended. This is
 * the core's time base. */
gint64 gb_clock_now_us(void);

/* CLOCK_BOOTTIME - CLOCK_MONOTONIC in µs: grows by exactly the time spent
 * suspended, immune to wall-clock changes. */
gint64 gb_clock_suspend_offset_us(void);

/* CLOCK_REALTIME in µs: only for values that must survive a reboot (state file). */
gint64 gb_clock_wall_us(void);

/* The local calendar day of @unix_us (Unix µs) as a GDate Julian day number (the programme's
 * GbDay). */
guint32 gb_clock_local_day(gint64 unix_us);

/* The kernel's id of this boot (/proc/sys/kernel/random/boot_id): CLOCK_BOOTTIME values are
 * comparable only within one. "" if unknown. Caller frees. */
char *gb_clock_boot_id(void);

G_END_DECLS

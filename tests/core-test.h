/* SPDX-License-Identifier: MIT */
/* Shared by the core tests: literal times, one set of timings. */
#pragma once

#include "core.h"

#define SEC(s) ((gint64) (s) * G_USEC_PER_SEC)
#define MINUTES(m) SEC((gint64) (m) * 60)

static const GbTimings timings = {
	.sit_us = MINUTES(45),
	.break_us = MINUTES(5),
	.repeat_us = MINUTES(10),
	.snooze_us = MINUTES(10),
	.after_hold_us = MINUTES(1),
};

#define assert_has(actions, flag) g_assert_cmpint((actions) & (flag), ==, (flag))
#define assert_lacks(actions, flag) g_assert_cmpint((actions) & (flag), ==, 0)

static inline GbCore *
new_core(void)
{
	return gb_core_new(&timings, TRUE, 0);
}


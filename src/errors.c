/* SPDX-License-Identifier: MIT */
#include <gio/gio.h>

#include "errors.h"

#define NAME(suffix) "org.glutebreak.Glutebreak1.Error." suffix

static const GDBusErrorEntry entries[] = {
	{ GB_ERROR_FAILED, NAME("Failed") },
	{ GB_ERROR_INVALID_CONFIG, NAME("InvalidConfig") },
	{ GB_ERROR_INVALID_ARGS, NAME("InvalidArgs") },
	{ GB_ERROR_IDLE_UNAVAILABLE, NAME("IdleUnavailable") },
	{ GB_ERROR_NOTIFY_FAILED, NAME("NotifyFailed") },
	{ GB_ERROR_NOT_SITTING, NAME("NotSitting") },
	{ GB_ERROR_NOT_PAUSED, NAME("NotPaused") },
	{ GB_ERROR_UNKNOWN_EXERCISE, NAME("UnknownExercise") },
};

GQuark
gb_error_quark(void)
{
	static gsize quark = 0;

	g_dbus_error_register_error_domain("glutebreak-error-quark", &quark, entries,
	                                   G_N_ELEMENTS(entries));
	return (GQuark) quark;
}

/* SPDX-License-Identifier: MIT */
/* STUB: being written. */
#include "errors.h"
#include "session.h"

struct _GbSession {
	GbSessionFunc func;
	gpointer user_data;
};

GbSession *
gb_session_new(GDBusConnection *session_bus, GbSessionFunc func, gpointer user_data)
{
	GbSession *self = g_new0(GbSession, 1);

	(void) session_bus;
	self->func = func;
	self->user_data = user_data;
	return self;
}

void
gb_session_free(GbSession *session)
{
	g_free(session);
}

char *
gb_session_find_logind_path(GDBusConnection *system_bus, GError **error)
{
	(void) system_bus;
	g_set_error_literal(error, GB_ERROR, GB_ERROR_FAILED, "not implemented yet");
	return NULL;
}

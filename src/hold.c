/* SPDX-License-Identifier: MIT */
/* The hold sensors combined: a bit per reason and a detail for each. */
#include "hold.h"

#define N_REASONS 5

struct _GbHold {
	GbHoldChangedFunc changed;
	gpointer user_data;
	GbHoldReason reasons;
	char *details[N_REASONS];
};

static const char *const reason_names[N_REASONS] = {
	"do-not-disturb", "fullscreen", "schedule", "idle-inhibitor", "camera",
};

static int
index_of(GbHoldReason reason)
{
	for (int i = 0; i < N_REASONS; i++)
		if (reason == 1u << i)
			return i;
	g_return_val_if_reached(0);
}

GbHold *
gb_hold_new(GbHoldChangedFunc changed, gpointer user_data)
{
	GbHold *self = g_new0(GbHold, 1);

	self->changed = changed;
	self->user_data = user_data;
	return self;
}

void
gb_hold_free(GbHold *hold)
{
	if (hold == NULL)
		return;
	for (int i = 0; i < N_REASONS; i++)
		g_free(hold->details[i]);
	g_free(hold);
}

void
gb_hold_set(GbHold *hold, GbHoldReason reason, gboolean on, const char *detail)
{
	int i = index_of(reason);
	GbHoldReason reasons = on ? hold->reasons | reason : hold->reasons & ~reason;

	if (!on || (detail != NULL && *detail == '\0'))
		detail = NULL;
	if (reasons == hold->reasons && g_strcmp0(detail, hold->details[i]) == 0)
		return;
	hold->reasons = reasons;
	g_free(hold->details[i]);
	hold->details[i] = g_strdup(detail);
	if (hold->changed != NULL)
		hold->changed(hold->user_data);
}

GbHoldReason
gb_hold_get_reasons(const GbHold *hold)
{
	return hold->reasons;
}

char *
gb_hold_describe(const GbHold *hold)
{
	GString *text = g_string_new(NULL);

	for (int i = 0; i < N_REASONS; i++) {
		if (!(hold->reasons & (1u << i)))
			continue;
		if (text->len > 0)
			g_string_append(text, ", ");
		g_string_append(text, reason_names[i]);
		if (hold->details[i] != NULL)
			g_string_append_printf(text, " (%s)", hold->details[i]);
	}
	return g_string_free(text, FALSE);
}

const char *
gb_hold_reason_to_string(GbHoldReason reason)
{
	return reason_names[index_of(reason)];
}

/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

/* GLib has no cleanup function for FILE. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FILE, fclose)

G_END_DECLS

/* SPDX-License-Identifier: MIT */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One property of one remote object, followed: read once with Properties.Get, then from the
 * owner's PropertiesChanged (the value it carries, or a Get again when it is only invalidated).
 * Every Get is asynchronous, never starts a peer and gives up after 1000 ms. */
typedef struct _GbDBusProperty GbDBusProperty;

/* @value (borrowed) is the property, of the type given to gb_dbus_property_new(); NULL when it
 * cannot be read (the call failed or timed out, or the value has another type), then @error
 * (borrowed, remote error name stripped) says why. Called from the main loop only: never from
 * inside gb_dbus_property_new(), never after gb_dbus_property_free(). */
typedef void (*GbDBusPropertyFunc)(GVariant *value, const GError *error, gpointer user_data);

/* Follows @name of @interface at @path on @owner, preferably a unique name: signals from
 * anyone else are not heard. Holds a reference on @bus. */
GbDBusProperty *gb_dbus_property_new(GDBusConnection *bus, const char *owner, const char *path,
                                     const char *interface, const char *name,
                                     const GVariantType *type, GbDBusPropertyFunc func,
                                     gpointer user_data);
/* Cancels the Get in flight, if any. NULL is allowed. */
void gb_dbus_property_free(GbDBusProperty *property);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GbDBusProperty, gb_dbus_property_free)

G_END_DECLS

/* SPDX-License-Identifier: MIT */
/* One remote property, followed (dbus-property.h). The PropertiesChanged subscription comes
 * before the first Get: a change the peer makes meanwhile arrives after the Get's reply (the
 * same sender, in order), never lost. A Get's reply after gb_dbus_property_free() finds its
 * call cancelled and touches nothing. */
#include "dbus-property.h"

#define PROPERTIES_IFACE "org.freedesktop.DBus.Properties"
/* never wait longer on a peer (DESIGN.md rule 12) */
#define CALL_TIMEOUT_MS 1000

struct _GbDBusProperty {
	GDBusConnection *bus;
	char *owner;
	char *path;
	char *interface;
	char *name;
	GVariantType *type;
	GbDBusPropertyFunc func;
	gpointer user_data;
	guint signal_id;
	GCancellable *cancellable; /* the Gets in flight */
};

/* Hands @value (nullable: then @error says why) to func once its type is checked. */
static void
deliver(GbDBusProperty *self, GVariant *value, const GError *error)
{
	g_autoptr(GError) mistyped = NULL;
	g_autofree char *expected = NULL;

	if (value != NULL && !g_variant_is_of_type(value, self->type)) {
		expected = g_variant_type_dup_string(self->type);
		mistyped = g_error_new(G_DBUS_ERROR, G_DBUS_ERROR_INVALID_SIGNATURE,
		                       "the value is a '%s', not a '%s'",
		                       g_variant_get_type_string(value), expected);
		value = NULL;
		error = mistyped;
	}
	self->func(value, error, self->user_data);
}

static void
on_get_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) value = NULL;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;         /* user_data is gone */
	if (reply == NULL)
		g_dbus_error_strip_remote_error(error);
	else
		g_variant_get(reply, "(v)", &value);
	deliver(user_data, value, error);
}

static void
get(GbDBusProperty *self)
{
	g_dbus_connection_call(self->bus, self->owner, self->path, PROPERTIES_IFACE, "Get",
	                       g_variant_new("(ss)", self->interface, self->name),
	                       G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
	                       CALL_TIMEOUT_MS, self->cancellable, on_get_reply, self);
}

/* PropertiesChanged(s interface, a{sv} changed, as invalidated) */
static void
on_properties_changed(GDBusConnection *bus, const char *sender, const char *path,
                      const char *interface, const char *signal, GVariant *parameters,
                      gpointer user_data)
{
	GbDBusProperty *self = user_data;
	g_autoptr(GVariant) changed = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autofree const char **invalidated = NULL;

	(void) bus;
	(void) sender;
	(void) path;
	(void) interface;
	(void) signal;
	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	g_variant_get(parameters, "(&s@a{sv}^a&s)", NULL, &changed, &invalidated);
	value = g_variant_lookup_value(changed, self->name, NULL);
	if (value != NULL)
		deliver(self, value, NULL);
	else if (g_strv_contains(invalidated, self->name))
		get(self);
}

GbDBusProperty *
gb_dbus_property_new(GDBusConnection *bus, const char *owner, const char *path,
                     const char *interface, const char *name, const GVariantType *type,
                     GbDBusPropertyFunc func, gpointer user_data)
{
	GbDBusProperty *self;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(bus), NULL);
	g_return_val_if_fail(owner != NULL && path != NULL, NULL);
	g_return_val_if_fail(interface != NULL && name != NULL && type != NULL, NULL);
	g_return_val_if_fail(func != NULL, NULL);

	self = g_new0(GbDBusProperty, 1);
	self->bus = g_object_ref(bus);
	self->owner = g_strdup(owner);
	self->path = g_strdup(path);
	self->interface = g_strdup(interface);
	self->name = g_strdup(name);
	self->type = g_variant_type_copy(type);
	self->func = func;
	self->user_data = user_data;
	self->cancellable = g_cancellable_new();
	self->signal_id = g_dbus_connection_signal_subscribe(
		bus, owner, PROPERTIES_IFACE, "PropertiesChanged", path, interface,
		G_DBUS_SIGNAL_FLAGS_NONE, on_properties_changed, self, NULL);
	get(self);
	return self;
}

void
gb_dbus_property_free(GbDBusProperty *property)
{
	if (property == NULL)
		return;
	g_dbus_connection_signal_unsubscribe(property->bus, property->signal_id);
	g_cancellable_cancel(property->cancellable);
	g_object_unref(property->cancellable);
	g_object_unref(property->bus);
	g_free(property->owner);
	g_free(property->path);
	g_free(property->interface);
	g_free(property->name);
	g_variant_type_free(property->type);
	g_free(property);
}

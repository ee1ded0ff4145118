/* SPDX-License-Identifier: MIT */
#pragma once

/* One notification server's do-not-disturb, behind src/hold-dnd.c, which identifies the
 * server (GetServerInformation whenever the owner of org.freedesktop.Notifications changes)
 * and starts the backend whose @server matches. Only hold-dnd*.c include this. */

#include <gio/gio.h>

#include "hold.h"

G_BEGIN_DECLS

typedef struct {
	const char *const *mako_modes; /* [hold] mako-modes: modes that mean do-not-disturb */
} GbDndOptions;

/* @on: do-not-disturb is on. Called from the main loop: once the state was first read, then
 * on every change (repeats are harmless). */
typedef void (*GbDndReportFunc)(gboolean on, gpointer user_data);

typedef struct {
	const char *server;    /* the name GetServerInformation returns, e.g. "dunst" */
	/* Starts watching the server owning the name as @owner (its unique name). NULL: nothing
	 * to watch here (e.g. a GSettings schema is not installed), said with g_info(). Never
	 * reports from inside start(). */
	gpointer (*start)(GDBusConnection *bus, const char *owner, const GbDndOptions *options,
	                  GbDndReportFunc report, gpointer report_data);
	void (*stop)(gpointer backend);
	/* Both NULL for servers that signal every change. Else needs_check() says whether the
	 * state must be read when a reminder falls due (mako before 1.10), and check() reads it
	 * (contract of GbHoldCheckFunc in hold.h). */
	gboolean (*needs_check)(gpointer backend);
	void (*check)(gpointer backend, GbHoldCheckFunc done, gpointer user_data);
} GbDndBackend;

/* src/hold-dnd-dbus.c: servers read over D-Bus */
extern const GbDndBackend gb_dnd_dunst;    /* org.dunstproject.cmd0 paused */
extern const GbDndBackend gb_dnd_mako;     /* fr.emersion.Mako modes */
extern const GbDndBackend gb_dnd_xfce;     /* xfconf xfce4-notifyd /do-not-disturb */
/* src/hold-dnd-kde.c: KDE Plasma's Inhibited, SwayNotificationCenter */
extern const GbDndBackend gb_dnd_plasma;
extern const GbDndBackend gb_dnd_swaync;
/* src/hold-dnd-gsettings.c: servers whose do-not-disturb is a GSettings key */
extern const GbDndBackend gb_dnd_gnome;    /* org.gnome.desktop.notifications show-banners */
extern const GbDndBackend gb_dnd_cinnamon; /* org.cinnamon.desktop.notifications display-notifications */
extern const GbDndBackend gb_dnd_mate;     /* org.mate.NotificationDaemon do-not-disturb */

G_END_DECLS

/* SPDX-License-Identifier: MIT */
/* xcb_connect() in a short-lived thread (x11-connect.h), for the X11 idle backend and the X11
 * fullscreen sensor. The thread touches only the struct's conn and screen, and only until it
 * hands the struct to the main loop (g_idle_add()); from then on the main loop owns it all. */
#include "x11-connect.h"

struct _GbX11Connect {
	char *display_name;
	GbX11ConnectFunc func;  /* main thread only; NULL once cancelled */
	gpointer user_data;
	xcb_connection_t *conn; /* the thread's result */
	int screen;
};

static xcb_window_t
default_root(xcb_connection_t *conn, int screen)
{
	xcb_screen_iterator_t screens = xcb_setup_roots_iterator(xcb_get_setup(conn));

	/* as DefaultRootWindow(); xcb_connect() checked the number */
	for (; screen > 0; screen--)
		xcb_screen_next(&screens);
	return screens.data->root;
}

static gboolean
on_connected(gpointer user_data)
{
	GbX11Connect *connecting = user_data;
	xcb_connection_t *conn = connecting->conn;
	xcb_window_t root = XCB_NONE;

	if (connecting->func == NULL || xcb_connection_has_error(conn) != 0)
		g_clear_pointer(&conn, xcb_disconnect);
	else
		root = default_root(conn, connecting->screen);
	if (connecting->func != NULL)
		connecting->func(conn, root, connecting->user_data);
	g_free(connecting->display_name);
	g_free(connecting);
	return G_SOURCE_REMOVE;
}

static gpointer
connect_thread(gpointer data)
{
	GbX11Connect *connecting = data;

	connecting->conn = xcb_connect(connecting->display_name, &connecting->screen);
	g_idle_add(on_connected, connecting);
	return NULL;
}

GbX11Connect *
gb_x11_connect_start(const char *display_name, GbX11ConnectFunc func, gpointer user_data,
                     GError **error)
{
	GbX11Connect *connecting;
	GThread *thread;

	g_return_val_if_fail(display_name != NULL, NULL);
	g_return_val_if_fail(func != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	connecting = g_new0(GbX11Connect, 1);
	connecting->display_name = g_strdup(display_name);
	connecting->func = func;
	connecting->user_data = user_data;
	thread = g_thread_try_new("gb-xcb-connect", connect_thread, connecting, error);
	if (thread == NULL) {
		g_free(connecting->display_name);
		g_free(connecting);
		return NULL;
	}
	g_thread_unref(thread);
	return connecting;
}

void
gb_x11_connect_cancel(GbX11Connect *connecting)
{
	g_return_if_fail(connecting != NULL);

	connecting->func = NULL;        /* on_connected() closes it */
}

/* SPDX-License-Identifier: MIT */
/* A real Wayland window for the fullscreen hold's tests: an xdg_toplevel with the app_id given
 * on the command line, drawn in one colour into a wl_shm buffer of whatever size the
 * compositor configures (the whole output once fullscreen). It does nothing by itself: the
 * test drives it through the compositor (swaymsg fullscreen, focus, kill).
 *
 * Usage: wl-window APP_ID. Prints "mapped" once its first buffer is committed. Exits 0 when
 * the compositor asks it to close (xdg_toplevel.close, e.g. `swaymsg [app_id=X] kill`), 1 when
 * the compositor goes away. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <glib.h>
#include <wayland-client.h>

#include "tests/protocols/xdg-shell-client-protocol.h"

#define DEFAULT_WIDTH 320
#define DEFAULT_HEIGHT 240
#define COLOUR 0xff3c6e8fu      /* XRGB8888 */

typedef struct {
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct wl_surface *surface;
	int width, height;      /* from the last xdg_toplevel.configure; 0: ours to choose */
	gboolean mapped;
	gboolean closed;
	gboolean failed;
	GPtrArray *buffers;     /* not released yet: destroyed at exit */
} Window;

static void
on_global(void *data, struct wl_registry *registry, uint32_t name, const char *interface,
          uint32_t version)
{
	Window *window = data;

	(void) version;
	if (strcmp(interface, wl_compositor_interface.name) == 0)
		window->compositor = wl_registry_bind(registry, name, &wl_compositor_interface, 1);
	else if (strcmp(interface, wl_shm_interface.name) == 0)
		window->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	else if (strcmp(interface, xdg_wm_base_interface.name) == 0)
		window->wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
}

static void
on_global_remove(void *data, struct wl_registry *registry, uint32_t name)
{
	(void) data;
	(void) registry;
	(void) name;
}

static const struct wl_registry_listener registry_listener = {
	.global = on_global,
	.global_remove = on_global_remove,
};

static void
on_ping(void *data, struct xdg_wm_base *wm_base, uint32_t serial)
{
	(void) data;
	xdg_wm_base_pong(wm_base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = on_ping,
};

static void
on_buffer_release(void *data, struct wl_buffer *buffer)
{
	Window *window = data;

	g_ptr_array_remove_fast(window->buffers, buffer);
	wl_buffer_destroy(buffer);
}

static const struct wl_buffer_listener buffer_listener = {
	.release = on_buffer_release,
};

/* A buffer of one colour, destroyed once the compositor releases it; NULL on failure. */
static struct wl_buffer *
draw(Window *window, int width, int height)
{
	int stride = width * 4;
	size_t size = (size_t) stride * (size_t) height;
	int fd = memfd_create("wl-window", MFD_CLOEXEC);
	struct wl_shm_pool *pool;
	struct wl_buffer *buffer;
	uint32_t *pixels;

	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t) size) < 0) {
		close(fd);
		return NULL;
	}
	pixels = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (pixels == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	for (size_t i = 0; i < size / 4; i++)
		pixels[i] = COLOUR;
	munmap(pixels, size);
	pool = wl_shm_create_pool(window->shm, fd, (int32_t) size);
	buffer = wl_shm_pool_create_buffer(pool, 0, width, height, stride, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	wl_buffer_add_listener(buffer, &buffer_listener, window);
	g_ptr_array_add(window->buffers, buffer);
	return buffer;
}

static void
on_surface_configure(void *data, struct xdg_surface *xdg_surface, uint32_t serial)
{
	Window *window = data;
	int width = window->width > 0 ? window->width : DEFAULT_WIDTH;
	int height = window->height > 0 ? window->height : DEFAULT_HEIGHT;
	struct wl_buffer *buffer;

	xdg_surface_ack_configure(xdg_surface, serial);
	buffer = draw(window, width, height);
	if (buffer == NULL) {
		fprintf(stderr, "wl-window: cannot make a %dx%d buffer\n", width, height);
		window->failed = TRUE;
		return;
	}
	wl_surface_attach(window->surface, buffer, 0, 0);
	wl_surface_damage(window->surface, 0, 0, width, height);
	wl_surface_commit(window->surface);
	if (!window->mapped) {
		window->mapped = TRUE;
		printf("mapped\n");
		fflush(stdout);
	}
}

static const struct xdg_surface_listener surface_listener = {
	.configure = on_surface_configure,
};

static void
on_toplevel_configure(void *data, struct xdg_toplevel *toplevel, int32_t width, int32_t height,
                      struct wl_array *states)
{
	Window *window = data;

	(void) toplevel;
	(void) states;
	window->width = width;
	window->height = height;
}

static void
on_toplevel_close(void *data, struct xdg_toplevel *toplevel)
{
	Window *window = data;

	(void) toplevel;
	window->closed = TRUE;
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = on_toplevel_configure,
	.close = on_toplevel_close,
};

int
main(int argc, char **argv)
{
	Window window = { 0 };
	struct wl_display *display;
	struct wl_registry *registry;
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	int status = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: wl-window APP_ID\n");
		return 2;
	}
	display = wl_display_connect(NULL);
	if (display == NULL) {
		fprintf(stderr, "wl-window: cannot connect to the compositor\n");
		return 1;
	}
	registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, &window);
	if (wl_display_roundtrip(display) < 0 || window.compositor == NULL ||
	    window.shm == NULL || window.wm_base == NULL) {
		fprintf(stderr, "wl-window: the compositor lacks wl_compositor, wl_shm or "
		                "xdg_wm_base\n");
		return 1;
	}
	window.buffers = g_ptr_array_new();
	xdg_wm_base_add_listener(window.wm_base, &wm_base_listener, NULL);
	window.surface = wl_compositor_create_surface(window.compositor);
	xdg_surface = xdg_wm_base_get_xdg_surface(window.wm_base, window.surface);
	xdg_surface_add_listener(xdg_surface, &surface_listener, &window);
	toplevel = xdg_surface_get_toplevel(xdg_surface);
	xdg_toplevel_add_listener(toplevel, &toplevel_listener, &window);
	xdg_toplevel_set_app_id(toplevel, argv[1]);
	xdg_toplevel_set_title(toplevel, argv[1]);
	/* no buffer yet: the compositor answers with the first configure */
	wl_surface_commit(window.surface);
	while (!window.closed) {
		if (window.failed) {
			status = 1;
			break;
		}
		if (wl_display_dispatch(display) < 0) {
			fprintf(stderr, "wl-window: the compositor went away\n");
			status = 1;
			break;
		}
	}
	/* the compositor destroys the window with the connection: only our side is freed */
	for (guint i = 0; i < window.buffers->len; i++)
		wl_buffer_destroy(g_ptr_array_index(window.buffers, i));
	g_ptr_array_unref(window.buffers);
	wl_proxy_destroy((struct wl_proxy *) toplevel);
	wl_proxy_destroy((struct wl_proxy *) xdg_surface);
	wl_proxy_destroy((struct wl_proxy *) window.surface);
	wl_proxy_destroy((struct wl_proxy *) window.wm_base);
	wl_proxy_destroy((struct wl_proxy *) window.shm);
	wl_proxy_destroy((struct wl_proxy *) window.compositor);
	wl_proxy_destroy((struct wl_proxy *) registry);
	wl_display_disconnect(display);
	return status;
}

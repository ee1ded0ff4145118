/* SPDX-License-Identifier: MIT */
/* The user at KWin's keyboard (reference/test-peers.md §2): KWin has no virtual keyboard, but
 * offers org_kde_kwin_fake_input to trusted clients (KWIN_WAYLAND_NO_PERMISSION_CHECKS=1).
 *
 * Connects to $WAYLAND_DISPLAY, authenticates, prints "ready", then reads commands on stdin:
 *   key [CODE]     press and release evdev key CODE (default KEY_LEFTSHIFT: types nothing)
 *   move [DX DY]   relative pointer motion (default 1 1)
 * and answers each with "ok" once KWin has handled it (a round trip), or "error: ..." for a
 * command it does not know. Exits 0 on end of input, 1 when the compositor goes away. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <wayland-client.h>

#include "tests/protocols/fake-input-client-protocol.h"

#define KEY_LEFTSHIFT 42
#define KEY_PRESSED 1
#define KEY_RELEASED 0

typedef struct {
	struct org_kde_kwin_fake_input *fake_input;
	uint32_t version;
} Globals;

static void
on_global(void *data, struct wl_registry *registry, uint32_t name, const char *interface,
          uint32_t version)
{
	Globals *globals = data;

	if (strcmp(interface, org_kde_kwin_fake_input_interface.name) != 0)
		return;
	globals->version = version < 4 ? version : 4;
	globals->fake_input = wl_registry_bind(registry, name, &org_kde_kwin_fake_input_interface,
	                                       globals->version);
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

/* FALSE if the command is unknown, or needs a newer protocol version than KWin's. */
static gboolean
run_command(Globals *globals, const char *line)
{
	unsigned int code = KEY_LEFTSHIFT;
	double dx = 1, dy = 1;
	char verb[16];
	int n;

	if ((n = sscanf(line, "%15s %u", verb, &code)) >= 1 && strcmp(verb, "key") == 0) {
		if (n > 2 || globals->version < 4)
			return FALSE;
		org_kde_kwin_fake_input_keyboard_key(globals->fake_input, code, KEY_PRESSED);
		org_kde_kwin_fake_input_keyboard_key(globals->fake_input, code, KEY_RELEASED);
		return TRUE;
	}
	if ((n = sscanf(line, "%15s %lf %lf", verb, &dx, &dy)) >= 1 &&
	    strcmp(verb, "move") == 0 && n != 2) {
		org_kde_kwin_fake_input_pointer_motion(globals->fake_input,
		                                       wl_fixed_from_double(dx),
		                                       wl_fixed_from_double(dy));
		return TRUE;
	}
	return FALSE;
}

int
main(void)
{
	Globals globals = { 0 };
	struct wl_display *display = wl_display_connect(NULL);
	struct wl_registry *registry;
	char line[256];
	int status = 0;

	if (display == NULL) {
		fprintf(stderr, "kwin-fake-input: cannot connect to the compositor\n");
		return 1;
	}
	registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, &globals);
	if (wl_display_roundtrip(display) < 0 || globals.fake_input == NULL) {
		fprintf(stderr, "kwin-fake-input: no org_kde_kwin_fake_input global "
		                "(is KWIN_WAYLAND_NO_PERMISSION_CHECKS=1 set?)\n");
		wl_display_disconnect(display);
		return 1;
	}
	org_kde_kwin_fake_input_authenticate(globals.fake_input, "glutebreak tests",
	                                     "simulates the user for the test suite");
	if (wl_display_roundtrip(display) < 0) {
		fprintf(stderr, "kwin-fake-input: the compositor went away\n");
		wl_display_disconnect(display);
		return 1;
	}
	printf("ready %u\n", globals.version);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (!run_command(&globals, line)) {
			printf("error: unknown command: '%s'\n", line);
		} else if (wl_display_roundtrip(display) < 0) {
			fprintf(stderr, "kwin-fake-input: the compositor went away\n");
			status = 1;
			break;
		} else {
			printf("ok\n");
		}
		fflush(stdout);
	}
	org_kde_kwin_fake_input_destroy(globals.fake_input);
	wl_registry_destroy(registry);
	wl_display_disconnect(display);
	return status;
}

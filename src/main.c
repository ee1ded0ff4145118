/* SPDX-License-Identifier: MIT */
/* argv, logging, signals, wiring; no policy. */
#include <locale.h>
#include <stdlib.h>
#include <glib-unix.h>

#include "config-files.h"
#include "daemon.h"
#include "idle.h"

typedef struct {
	GMainLoop *loop;
	GbDaemon *daemon;
	int status;
} Context;

static void
on_fatal(gpointer user_data)
{
	Context *ctx = user_data;

	ctx->status = 1;
	g_main_loop_quit(ctx->loop);
}

static gboolean
on_quit(gpointer user_data)
{
	Context *ctx = user_data;

	g_message("exiting on signal");
	g_main_loop_quit(ctx->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_reload(gpointer user_data)
{
	Context *ctx = user_data;
	g_autoptr(GError) error = NULL;

	if (!gb_daemon_reload(ctx->daemon, &error))
		g_warning("%s; keeping the previous settings", error->message);
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
	g_autofree char *config_path = NULL;
	gboolean check_config = FALSE, list_backends = FALSE, verbose = FALSE, version = FALSE;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		  "Read FILE instead of $XDG_CONFIG_HOME/glutebreak/config.ini", "FILE" },
		{ "check-config", 0, 0, G_OPTION_ARG_NONE, &check_config,
		  "Check the config file and the exercise catalogue, then exit", NULL },
		{ "list-backends", 0, 0, G_OPTION_ARG_NONE, &list_backends,
		  "List the idle sources in the order they are tried, whether each works in "
		  "this session (and why not), and which one is chosen, then exit", NULL },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log debug messages", NULL },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) options = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(GbDaemon) daemon = NULL;
	Context ctx = { 0 };

	setlocale(LC_ALL, "");
	options = g_option_context_new("- remind you to get up and move your glutes");
	g_option_context_set_summary(options,
	        "Measures how long you have been sitting at the computer and, after the\n"
	        "configured limit, shows a notification with one glute exercise.");
	g_option_context_set_description(options,
	        "Reloads the config on SIGHUP and when the file changes.\n"
	        "Every key, with its default: " DOCDIR "/config.ini");
	g_option_context_add_main_entries(options, entries, NULL);
	if (!g_option_context_parse(options, &argc, &argv, &error)) {
		g_printerr("glutebreak: %s\n", error->message);
		return 2;
	}
	if (argc > 1) {
		g_printerr("glutebreak: unexpected argument: '%s'\n", argv[1]);
		return 2;
	}
	if (version) {
		g_print("glutebreak %s\n", PACKAGE_VERSION);
		return 0;
	}
	/* our debug messages, not every library's; added to what G_MESSAGES_DEBUG
	 * already asks for */
	if (verbose) {
		const char *domains = g_getenv("G_MESSAGES_DEBUG");
		g_autofree char *all = domains != NULL && *domains != '\0'
		                       ? g_strconcat(domains, " " G_LOG_DOMAIN, NULL)
		                       : g_strdup(G_LOG_DOMAIN);

		g_setenv("G_MESSAGES_DEBUG", all, TRUE);
	}
	if (list_backends) {
		/* the threshold only matters to backends that arm something at start */
		g_autofree char *text = gb_idle_describe(3 * 60 * G_USEC_PER_SEC);

		g_print("%s", text);
		return 0;
	}
	if (check_config) {
		g_autofree char *checked = NULL;

		if (!gb_config_files_check(config_path, &checked, &error)) {
			g_printerr("%s\n", error->message);
			return 1;
		}
		g_print("%s: ok\n", checked != NULL ? checked : "no config file, defaults");
		return 0;
	}

	loop = g_main_loop_new(NULL, FALSE);
	ctx.loop = loop;
	daemon = gb_daemon_new(config_path, on_fatal, &ctx, &error);
	if (daemon == NULL) {
		g_printerr("glutebreak: %s\n", error->message);
		return 1;
	}
	ctx.daemon = daemon;
	g_unix_signal_add(SIGTERM, on_quit, &ctx);
	g_unix_signal_add(SIGINT, on_quit, &ctx);
	g_unix_signal_add(SIGHUP, on_reload, &ctx);
	g_main_loop_run(loop);
	return ctx.status;
}

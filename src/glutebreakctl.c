/* SPDX-License-Identifier: MIT */
/* glutebreakctl: the daemon's D-Bus methods and properties from a terminal or a status bar
 * (DESIGN.md §3), through the proxy gdbus-codegen generates; stats and history read the
 * history file and programme the state file, without the daemon. Exit status: 0 ok, 1 refused
 * or not running, 2 usage. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>

#include "clock.h"
#include "config-files.h"
#include "ctl-programme.h"
#include "ctl-report.h"
#include "ctl-status.h"
#include "dbus.h"
#include "duration.h"
#include "errors.h"
#include "exercises.h"
#include "glutebreak-dbus.h"
#include "settings.h"

#define NOT_RUNNING "glutebreak is not running (start it with: systemctl --user start glutebreak)"

enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2 };

#define STATUS_TIMEOUT_MS 3000

static const char usage_text[] =
	"Usage: glutebreakctl COMMAND [ARGS]\n"
	"\n"
	"Commands:\n"
	"  status [--json | --format FORMAT] [--follow]\n"
	"                         what the daemon sees: state, sitting time, next reminder\n"
	"  pause [DURATION | until HH:MM]\n"
	"                         no reminders for DURATION (default 1h) or until HH:MM\n"
	"  resume                 end a pause\n"
	"  snooze [DURATION]      next reminder in DURATION (default: the configured snooze)\n"
	"  skip                   no reminder until another full sit-limit of sitting\n"
	"  break                  I am taking a break now (like Done on a reminder)\n"
	"  reload                 read the config file again\n"
	"  exercise [ID | --list] show an exercise now (default: the next one), or list the ids\n"
	"  too-hard [ID]          the strengthen exercise on screen (or ID) is too hard: ease it\n"
	"  stats [--days N] [--json | --csv]\n"
	"                         sitting, bouts and reminders per day, from the history\n"
	"  history [--days N] [--json | --csv]\n"
	"                         the events of the history file\n"
	"  programme [--json]     each strengthen exercise's level, dose and progress\n"
	"\n"
	"Durations take units: 90s, 45m, 1h30m. See glutebreakctl(1).\n"
	"Exit status: 0 ok, 1 refused by the daemon or not running, 2 usage.\n";

static int
usage_error(const char *format, ...) G_GNUC_PRINTF(1, 2);

static int
usage_error(const char *format, ...)
{
	va_list args;
	g_autofree char *message = NULL;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_printerr("glutebreakctl: %s\nTry 'glutebreakctl --help'.\n", message);
	return EXIT_USAGE;
}

/* A D-Bus error as the user should read it; returns EXIT_REFUSED. */
static int
refused(GError *error)
{
	if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
	    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER)) {
		g_printerr("glutebreakctl: %s\n", NOT_RUNNING);
		return EXIT_REFUSED;
	}
	g_dbus_error_strip_remote_error(error);
	g_printerr("glutebreakctl: %s\n", error->message);
	return EXIT_REFUSED;
}

/* @flags: G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START for status (a bar must not start the daemon);
 * commands may start it through D-Bus activation. NULL with the message printed. */
static GbDBusService *
connect_daemon(GDBusProxyFlags flags)
{
	g_autoptr(GError) error = NULL;
	GbDBusService *proxy;

	proxy = gb_dbus_service_proxy_new_for_bus_sync(G_BUS_TYPE_SESSION, flags, GB_DBUS_NAME,
	                                               GB_DBUS_PATH, NULL, &error);
	if (proxy == NULL)
		g_printerr("glutebreakctl: no session bus (%s): %s\n", error->message, NOT_RUNNING);
	return proxy;
}

/* status --------------------------------------------------------------------------------- */

typedef struct {
	GbDBusService *proxy;
	GbCtlStatusStyle style;
	const char *format;
	char *last;      /* the last line printed */
	guint tick_id;   /* the next minute of sitting */
} Follow;

static void print_status(Follow *follow);

static gboolean
on_tick(gpointer user_data)
{
	Follow *follow = user_data;

	follow->tick_id = 0;
	print_status(follow);
	return G_SOURCE_REMOVE;
}

/* One line per change; the same line twice (the daemon coming back sends its properties and
 * its name) once. Then the timer for the next minute, the only wake-up of our own. */
static void
print_status(Follow *follow)
{
	gint64 now = gb_clock_wall_us();
	g_autofree char *text = gb_ctl_status_render(follow->proxy, follow->style,
	                                             follow->format, now);
	gint64 next = gb_ctl_status_next_change(follow->proxy, now);

	if (g_strcmp0(text, follow->last) != 0) {
		g_print("%s\n", text);
		fflush(stdout);
		g_free(follow->last);
		follow->last = g_steal_pointer(&text);
	}
	g_clear_handle_id(&follow->tick_id, g_source_remove);
	if (next >= 0) {
		follow->tick_id = g_timeout_add((guint) ((next - now + 999) / 1000), on_tick, follow);
		g_source_set_name_by_id(follow->tick_id, "[glutebreakctl] next minute");
	}
}

static void
on_properties_changed(GDBusProxy *proxy, GVariant *changed, GStrv invalidated,
                      gpointer user_data)
{
	(void) proxy;
	(void) changed;
	(void) invalidated;
	print_status(user_data);
}

static void
on_owner_changed(GObject *proxy, GParamSpec *pspec, gpointer user_data)
{
	(void) proxy;
	(void) pspec;
	print_status(user_data);
}

static int
follow_status(GbDBusService *proxy, GbCtlStatusStyle style, const char *format)
{
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	Follow follow = { .proxy = proxy, .style = style, .format = format };

	g_signal_connect(proxy, "g-properties-changed", G_CALLBACK(on_properties_changed),
	                 &follow);
	g_signal_connect(proxy, "notify::g-name-owner", G_CALLBACK(on_owner_changed), &follow);
	print_status(&follow);
	g_main_loop_run(loop); /* until killed (a bar closing the pipe) */
	return EXIT_OK;
}

static int
cmd_status(int argc, char **argv)
{
	gboolean json = FALSE, follow = FALSE;
	g_autofree char *format = NULL;
	const GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "A waybar custom-module object", NULL },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format,
		  "One line with {field} replaced (the --json field names)", "FORMAT" },
		{ "follow", 'f', 0, G_OPTION_ARG_NONE, &follow,
		  "A line now, at every change and every minute while sitting", NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) options = g_option_context_new("- what the daemon sees");
	g_autoptr(GError) error = NULL;
	g_autoptr(GbDBusService) proxy = NULL;
	g_autofree char *text = NULL;
	g_autofree char *owner = NULL;
	GbCtlStatusStyle style = GB_CTL_STATUS_TEXT;

	g_set_prgname("glutebreakctl status"); /* for its --help */
	g_option_context_add_main_entries(options, entries, NULL);
	if (!g_option_context_parse(options, &argc, &argv, &error))
		return usage_error("status: %s", error->message);
	if (argc > 1)
		return usage_error("status: unexpected argument '%s'", argv[1]);
	if (json && format != NULL)
		return usage_error("status: --json or --format, not both");
	if (format != NULL && !gb_ctl_status_check_format(format, &error))
		return usage_error("status: %s", error->message);
	if (json)
		style = GB_CTL_STATUS_JSON;
	else if (format != NULL)
		style = GB_CTL_STATUS_FORMAT;
	if (follow && style == GB_CTL_STATUS_TEXT)
		return usage_error("status: --follow prints one line per change: "
		                   "add --json or --format");
	if (follow) {
		proxy = connect_daemon(G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START);
		return proxy != NULL ? follow_status(proxy, style, format) : EXIT_REFUSED;
	}
	proxy = connect_daemon(G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START |
	                       G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
	                       G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS);
	if (proxy == NULL)
		return EXIT_REFUSED;
	owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(proxy));
	/* a bar asks often: a daemon that hangs gets a few seconds, not GDBus's 25 */
	if (owner != NULL && !gb_ctl_status_fetch(proxy, STATUS_TIMEOUT_MS, &error)) {
		g_dbus_error_strip_remote_error(error);
		g_printerr("glutebreakctl: glutebreak does not answer: %s\n", error->message);
		return EXIT_REFUSED;
	}
	text = gb_ctl_status_render(proxy, style, format, gb_clock_wall_us());
	if (owner == NULL) {
		if (style != GB_CTL_STATUS_TEXT)
			g_print("%s\n", text); /* the "stopped" object a bar can show */
		g_printerr("glutebreakctl: %s\n", NOT_RUNNING);
		return EXIT_REFUSED;
	}
	g_print("%s\n", text);
	return EXIT_OK;
}

/* the methods ----------------------------------------------------------------------------- */

/* "until HH:MM": today's, or tomorrow's if it has passed; local time, DST included. */
static gboolean
parse_until(const char *text, gint64 *out_us, GError **error)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autoptr(GDateTime) target = NULL;
	unsigned int hour, minute;
	char end;

	if (sscanf(text, "%2u:%2u%c", &hour, &minute, &end) != 2 || hour > 23 || minute > 59 ||
	    strlen(text) != 5) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_ARGS,
		            "until '%s': write the time as HH:MM, e.g. until 14:30", text);
		return FALSE;
	}
	for (int day = 0; day < 2 && target == NULL; day++) {
		g_autoptr(GDateTime) date = g_date_time_add_days(now, day);
		g_autoptr(GDateTime) candidate = g_date_time_new_local(
			g_date_time_get_year(date), g_date_time_get_month(date),
			g_date_time_get_day_of_month(date), (int) hour, (int) minute, 0);

		if (candidate != NULL && g_date_time_compare(candidate, now) > 0)
			target = g_steal_pointer(&candidate);
	}
	if (target == NULL) {
		g_set_error(error, GB_ERROR, GB_ERROR_INVALID_ARGS,
		            "until %s: no such time today or tomorrow", text);
		return FALSE;
	}
	*out_us = g_date_time_difference(target, now);
	return TRUE;
}

/* [DURATION] with @default_us, or "until HH:MM" when @until is allowed; 2 on a usage error. */
static int
parse_duration_args(const char *command, int argc, char **argv, gboolean until,
                    gint64 default_us, gint64 *out_us)
{
	g_autoptr(GError) error = NULL;

	*out_us = default_us;
	if (argc == 1)
		return EXIT_OK;
	if (until && strcmp(argv[1], "until") == 0) {
		if (argc != 3)
			return usage_error("%s until: give one time, e.g. %s until 14:30", command,
			                   command);
		if (!parse_until(argv[2], out_us, &error))
			return usage_error("%s %s", command, error->message);
		return EXIT_OK;
	}
	if (argc > 2)
		return usage_error("%s: unexpected argument '%s'", command, argv[2]);
	if (!gb_duration_parse(argv[1], out_us, &error))
		return usage_error("%s: %s", command, error->message);
	if (*out_us <= 0)
		return usage_error("%s: the duration must be at least 1 s", command);
	return EXIT_OK;
}

/* Calls @method with @args (NULL: none) and prints the daemon's refusal as it is. */
static int
call(const char *method, GVariant *args)
{
	g_autoptr(GbDBusService) proxy = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;

	proxy = connect_daemon(G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
	                       G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS);
	if (proxy == NULL) {
		if (args != NULL)
			g_variant_unref(g_variant_ref_sink(args));
		return EXIT_REFUSED;
	}
	result = g_dbus_proxy_call_sync(G_DBUS_PROXY(proxy), method, args, G_DBUS_CALL_FLAGS_NONE,
	                                -1, NULL, &error);
	return result != NULL ? EXIT_OK : refused(error);
}

static int
cmd_pause(int argc, char **argv)
{
	gint64 duration;
	int status = parse_duration_args("pause", argc, argv, TRUE, (gint64) 3600 * G_USEC_PER_SEC,
	                                 &duration);

	return status != EXIT_OK ? status : call("Pause", g_variant_new("(x)", duration));
}

static int
cmd_snooze(int argc, char **argv)
{
	gint64 duration;
	int status = parse_duration_args("snooze", argc, argv, FALSE, 0, &duration);

	return status != EXIT_OK ? status : call("Snooze", g_variant_new("(x)", duration));
}

/* The ids the daemon would know: the catalogue as the config's files make it. */
static int
list_exercises(void)
{
	g_autoptr(GbConfigFiles) files = gb_config_files_new(NULL, NULL, NULL);
	g_autoptr(GbSettings) settings = NULL;
	g_autoptr(GbCatalogue) catalogue = NULL;
	g_autoptr(GError) error = NULL;

	if (!gb_config_files_load(files, &settings, &catalogue, &error)) {
		g_printerr("glutebreakctl: %s\n", error->message);
		return EXIT_REFUSED;
	}
	for (guint i = 0; i < gb_catalogue_size(catalogue); i++)
		g_print("%s\n", gb_catalogue_get(catalogue, i)->id);
	return EXIT_OK;
}

/* COMMAND [ID]: @method with the id, or "" */
static int
call_with_id(const char *method, int argc, char **argv)
{
	if (argc > 2)
		return usage_error("%s: unexpected argument '%s'", argv[0], argv[2]);
	if (argc == 2 && argv[1][0] == '-')
		return usage_error("%s: unknown option '%s'", argv[0], argv[1]);
	return call(method, g_variant_new("(s)", argc == 2 ? argv[1] : ""));
}

static int
cmd_exercise(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list") == 0)
		return list_exercises();
	return call_with_id("ShowExercise", argc, argv);
}

static int
cmd_too_hard(int argc, char **argv)
{
	return call_with_id("TooHard", argc, argv);
}

/* The commands; those without @run call @method, which takes no arguments. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *method;
	gboolean own_help;
} commands[] = {
	{ "status", cmd_status, NULL, TRUE },
	{ "pause", cmd_pause, NULL, FALSE },
	{ "resume", NULL, "Resume", FALSE },
	{ "snooze", cmd_snooze, NULL, FALSE },
	{ "skip", NULL, "Skip", FALSE },
	{ "break", NULL, "TakeBreak", FALSE },
	{ "reload", NULL, "Reload", FALSE },
	{ "exercise", cmd_exercise, NULL, FALSE },
	{ "too-hard", cmd_too_hard, NULL, FALSE },
	{ "stats", gb_ctl_stats, NULL, TRUE },
	{ "history", gb_ctl_history, NULL, TRUE },
	{ "programme", gb_ctl_programme, NULL, TRUE },
};

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2)
		return usage_error("no command given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		g_print("%s", usage_text);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		g_print("glutebreakctl %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	/* the GErrors of the daemon come back in our domain, messages and all */
	(void) gb_error_quark();
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		/* status, stats, history and programme have their own --help */
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) &&
		    !commands[i].own_help) {
			g_print("%s", usage_text);
			return EXIT_OK;
		}
		if (commands[i].run != NULL)
			return commands[i].run(argc - 1, argv + 1);
		if (argc > 2)
			return usage_error("%s: unexpected argument '%s'", argv[1], argv[2]);
		return call(commands[i].method, NULL);
	}
	return usage_error("unknown command '%s'", argv[1]);
}

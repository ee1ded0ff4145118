# SPDX-License-Identifier: MIT
"""One row of bench/bench.py: a private session bus and notification server, the desktop
(Xvfb, mutter or sway), its windows, and the two programs measured side by side (the daemon
and bench/floor.c), with the user's input."""

import ctypes
import ctypes.util
import datetime
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

SRCDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRCDIR, "tests"))
from gbtest import PYTHON, wait_for  # noqa: E402
from scenario import config  # noqa: E402

from benchproc import read  # noqa: E402

# no reminder (sit-limit) and no break (break-length) inside the window
CONFIG = config("auto", sit_limit=45 * 60, break_length=3 * 60)

# the fullscreen windows: xlogo's WM_CLASS class, and tests/wl-window's app_id
X11_WINDOW_TITLE = "glutebreak-bench-video"
X11_EDITOR_TITLE = "glutebreak-bench-editor"  # x11: not fullscreen, focused in the 4th window
X11_WINDOW_CLASS = "XLogo"
WL_APP_ID = "org.glutebreak.BenchVideo"


def holds_config():
    """CONFIG with every hold sensor on, and a [schedule] that holds nothing now and has no
    boundary for hours: every day from 2 h before now to 4 h after (a range may cross
    midnight)."""
    now = datetime.datetime.now()
    start = (now - datetime.timedelta(hours=2)).strftime("%H:%M")
    end = (now + datetime.timedelta(hours=4)).strftime("%H:%M")
    sections = ("[hold]\ndo-not-disturb = yes\nfullscreen = yes\nidle-inhibitors = yes\n"
                f"camera = yes\n\n[schedule]\nactive = mon-sun {start}-{end}\n\n")
    return config("auto", sit_limit=45 * 60, break_length=3 * 60, sections=sections)


SWAY_CONFIG = """\
output HEADLESS-1 resolution 1024x768
xwayland disable
"""


# --- what a window manager would do ---

class XProps:
    """Sets window properties on an X display through libX11 (xprop can only set CARDINAL,
    and _NET_ACTIVE_WINDOW is a WINDOW). One connection; used by one thread at a time."""

    ATOM, CARDINAL, WINDOW = 4, 6, 33  # Xatom.h

    def __init__(self, display):
        x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XInternAtom.restype = ctypes.c_ulong
        x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.XChangeProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong,
                                      ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                      ctypes.c_void_p, ctypes.c_int]
        x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.x = x
        self.display = x.XOpenDisplay(display.encode())
        if not self.display:
            raise RuntimeError(f"cannot open X display {display}")
        self.root = x.XDefaultRootWindow(self.display)

    def atom(self, name):
        return self.x.XInternAtom(self.display, name.encode(), 0)

    def set(self, window, name, type_, values):
        """Replaces @name on @window by 32-bit @values (Xlib passes them as longs)."""
        data = (ctypes.c_ulong * len(values))(*values)
        self.x.XChangeProperty(self.display, window, self.atom(name), type_, 32, 0, data,
                               len(values))
        self.x.XSync(self.display, 0)

    def close(self):
        self.x.XCloseDisplay(self.display)


def find_node(node, app_id):
    """The node of sway's tree with @app_id, or None."""
    if node.get("app_id") == app_id:
        return node
    for child in node.get("nodes", []) + node.get("floating_nodes", []):
        found = find_node(child, app_id)
        if found is not None:
            return found
    return None


# --- the processes of one row ---

class Row:
    """A private bus, a notification server, a desktop, the daemon and the floor."""

    def __init__(self, args, desktop, floor_binary):
        self.args = args
        self.desktop = desktop
        self.procs = []
        self.user = None
        self.xprops = None
        self.server = "python3-dbusmock (notification_daemon template)"
        self.expected_hold = ""
        self.window = "none"
        if desktop == "sway" and os.getuid() == 0:
            self.user = ensure_user(args.user)
        self.tmp = tempfile.mkdtemp(prefix=f"glutebreak-bench-{desktop}-")
        try:
            self._setup(floor_binary)
        except BaseException:
            self.dump_logs()
            self.close()
            raise

    # process handling

    def spawn(self, argv, env, **kwargs):
        if self.user is not None:
            kwargs.update(user=self.user.pw_uid, group=self.user.pw_gid,
                          extra_groups=os.getgrouplist(self.user.pw_name, self.user.pw_gid))
        proc = subprocess.Popen(argv, env=env, **kwargs)
        self.procs.append(proc)
        return proc

    def run(self, argv, env=None, timeout=10):
        kwargs = {}
        if self.user is not None:
            kwargs.update(user=self.user.pw_uid, group=self.user.pw_gid,
                          extra_groups=os.getgrouplist(self.user.pw_name, self.user.pw_gid))
        return subprocess.run(argv, env=env or self.env, check=True, timeout=timeout,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              **kwargs).stdout

    def close(self):
        if self.xprops is not None:
            self.xprops.close()
            self.xprops = None
        if getattr(self, "bus", None) is not None:
            self.bus.close_sync(None)  # ends mutter's remote-desktop session
            self.bus = None
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.procs.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def dump_logs(self):
        logs = self.path("logs")
        for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else ():
            print(f"# --- {self.desktop}: {name} ---", file=sys.stderr)
            for line in read(os.path.join(logs, name)).splitlines()[-30:]:
                print(f"#   {line}", file=sys.stderr)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def mkdir(self, *parts, mode=0o755):
        path = self.path(*parts)
        os.makedirs(path, mode=mode, exist_ok=True)
        os.chmod(path, mode)
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)
        return path

    def copy(self, src, *parts, mode=0o644):
        path = self.path(*parts)
        shutil.copyfile(src, path)
        os.chmod(path, mode)
        return path

    # set-up

    def _setup(self, floor_binary):
        os.chmod(self.tmp, 0o755)
        home = self.mkdir("home", mode=0o700)
        runtime = self.mkdir("runtime", mode=0o700)
        self.mkdir("bin")
        self.mkdir("share", "glutebreak")
        self.mkdir("logs")
        # the binaries and data, readable by the row's user
        self.daemon_binary = self.copy(self.args.daemon, "bin", "glutebreak", mode=0o755)
        self.ctl_binary = self.copy(os.path.join(os.path.dirname(self.args.daemon),
                                                 "glutebreakctl"), "bin", "glutebreakctl",
                                    mode=0o755)
        self.floor_binary = self.copy(floor_binary, "bin", "floor", mode=0o755)
        self.copy(os.path.join(SRCDIR, "data", "exercises.ini"),
                  "share", "glutebreak", "exercises.ini")
        if self.args.holds and self.desktop == "sway":
            self.wl_window = self.copy(self.args.wl_window, "bin", "wl-window", mode=0o755)
        self.config = self.path("config.ini")
        with open(self.config, "w") as f:
            f.write(holds_config() if self.args.holds else CONFIG)
        bus_config = self.copy(os.path.join(SRCDIR, "tests", "session.conf"), "session.conf")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("XDG_", "DBUS_", "WAYLAND_", "DISPLAY", "G_", "SWAYSOCK",
                                    "LD_PRELOAD", "ASAN_", "MALLOC_"))}
        env.update(HOME=home, XDG_RUNTIME_DIR=runtime,
                   XDG_CONFIG_HOME=os.path.join(home, ".config"),
                   XDG_STATE_HOME=os.path.join(home, ".local", "state"),
                   XDG_DATA_HOME=os.path.join(home, ".local", "share"),
                   XDG_DATA_DIRS=self.path("share") + ":/usr/local/share:/usr/share",
                   XDG_CONFIG_DIRS=self.path("etc"),
                   GSETTINGS_BACKEND="memory", NO_AT_BRIDGE="1",
                   MESA_SHADER_CACHE_DISABLE="true")
        if self.user is not None:
            env.update(USER=self.user.pw_name, LOGNAME=self.user.pw_name)
        self.env = env
        bus = self.spawn(["dbus-daemon", f"--config-file={bus_config}", "--print-address=1",
                          "--nofork"], env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True)
        address = bus.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon printed no address")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        getattr(self, f"_start_{self.desktop}")()
        if self.args.holds and self.desktop == "x11":
            self._start_dunst()
        else:
            self.spawn([PYTHON, "-m", "dbusmock", "--template", "notification_daemon"], env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.wait_name("org.freedesktop.Notifications")
        if self.args.holds:
            getattr(self, f"_fullscreen_{self.desktop}")()

    def wait_name(self, name, timeout=20):
        self.run(["gdbus", "wait", "--session", "--timeout", str(timeout), name],
                 timeout=timeout + 5)

    def wayland_socket(self):
        runtime = self.env["XDG_RUNTIME_DIR"]
        names = [n for n in os.listdir(runtime) if n.startswith("wayland-")
                 and not n.endswith(".lock")]
        return names[0] if names else None

    def _start_x11(self):
        read_fd, write_fd = os.pipe()
        self.spawn(["Xvfb", "-displayfd", str(write_fd), "-noreset", "-nolisten", "tcp",
                    "-screen", "0", "1024x768x24"], self.env, pass_fds=(write_fd,),
                   stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not report its display")
        self.env["DISPLAY"] = f":{number}"
        self.x = 0

    def _start_mutter(self):
        from gi.repository import Gio, GLib

        log = open(self.path("logs", "mutter.log"), "w")
        self.spawn(["mutter", "--headless", "--wayland", "--no-x11", "--virtual-monitor",
                    "1024x768"], self.env, stdout=log, stderr=subprocess.STDOUT)
        self.wait_name("org.gnome.Mutter.RemoteDesktop")
        socket = wait_for(self.wayland_socket, 20, "mutter's Wayland socket")
        self.env["WAYLAND_DISPLAY"] = socket
        # the remote-desktop session lives as long as the connection that made it
        self.bus = Gio.DBusConnection.new_for_address_sync(
            self.env["DBUS_SESSION_BUS_ADDRESS"],
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        reply = self.bus.call_sync("org.gnome.Mutter.RemoteDesktop",
                                   "/org/gnome/Mutter/RemoteDesktop",
                                   "org.gnome.Mutter.RemoteDesktop", "CreateSession", None,
                                   GLib.VariantType("(o)"), 0, 10000, None)
        self.rd_session = reply.unpack()[0]
        self.rd_call("Start", None)
        self.sign = 1

    def rd_call(self, method, args):
        self.bus.call_sync("org.gnome.Mutter.RemoteDesktop", self.rd_session,
                           "org.gnome.Mutter.RemoteDesktop.Session", method, args, None, 0,
                           10000, None)

    def _start_sway(self):
        config = self.path("sway.conf")
        with open(config, "w") as f:
            f.write(SWAY_CONFIG)
        env = dict(self.env, WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1",
                   WLR_RENDERER="pixman")
        log = open(self.path("logs", "sway.log"), "w")
        self.spawn(["sway", "-c", config], env, stdout=log, stderr=subprocess.STDOUT)
        runtime = self.env["XDG_RUNTIME_DIR"]
        socket = wait_for(self.wayland_socket, 20, "sway's Wayland socket")
        ipc = wait_for(lambda: [n for n in os.listdir(runtime) if n.startswith("sway-ipc.")],
                       20, "sway's IPC socket")
        self.env["WAYLAND_DISPLAY"] = socket
        self.env["SWAYSOCK"] = os.path.join(runtime, ipc[0])
        wait_for(lambda: self.try_run(["swaymsg", "-t", "get_outputs"]), 20, "swaymsg")
        self.sign = 1

    # the hold sensors' peers

    def _start_dunst(self):
        """The real dunst (tests/dunstrc, as tests/gbdunst.py starts it), paused: the daemon's
        do-not-disturb hold is on for the whole run."""
        with open(os.path.join(SRCDIR, "tests", "dunstrc")) as f:
            text = f.read()
        config = self.path("dunstrc")
        with open(config, "w") as f:
            f.write(text.replace("@DMENU@", "/bin/true"))
        log = open(self.path("logs", "dunst.log"), "w")
        self.spawn(["dunst", "-config", config], self.env, stdout=log,
                   stderr=subprocess.STDOUT)
        self.wait_name("org.freedesktop.Notifications")
        self.run(["dunstctl", "set-paused", "true"])
        if self.run(["dunstctl", "is-paused"]).strip() != "true":
            raise RuntimeError("dunstctl set-paused true did not pause dunst")
        version = self.run(["dunst", "--version"]).split("\n")[0].strip()
        self.server = f"{version}, paused (dunstctl set-paused true)"
        self.expected_hold = "do-not-disturb (dunst)"

    def _fullscreen_x11(self):
        """A fullscreen xlogo window, the active one. Xvfb has no window manager: the
        properties it would set are set here."""
        self.spawn(["xlogo", "-title", X11_WINDOW_TITLE, "-geometry", "1024x768+0+0"],
                   self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.x_window = wait_for(lambda: self.search_x11(X11_WINDOW_TITLE), 10,
                                 "the xlogo window", interval=0.1)
        self.spawn(["xlogo", "-title", X11_EDITOR_TITLE, "-geometry", "640x480+0+0"],
                   self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.x_editor = wait_for(lambda: self.search_x11(X11_EDITOR_TITLE), 10,
                                 "the second xlogo window", interval=0.1)
        self.xprops = XProps(self.env["DISPLAY"])
        self.xprops.set(self.x_window, "_NET_WM_STATE", XProps.ATOM,
                        [self.xprops.atom("_NET_WM_STATE_FULLSCREEN")])
        self.xprops.set(self.xprops.root, "_NET_ACTIVE_WINDOW", XProps.WINDOW, [self.x_window])
        self.user_time = 0
        self.window = (f"xlogo {self.x_window:#x}, 1024x768, _NET_WM_STATE_FULLSCREEN and "
                       "_NET_ACTIVE_WINDOW set by the script (no window manager); for the "
                       f"last window xlogo {self.x_editor:#x}, 640x480, not fullscreen, made "
                       "the _NET_ACTIVE_WINDOW")
        self.expected_hold_window = self.expected_hold  # with the editor focused
        self.expected_hold = ", ".join(
            h for h in (self.expected_hold, f"fullscreen ({X11_WINDOW_CLASS})") if h)

    def search_x11(self, title):
        try:
            ids = self.run(["xdotool", "search", "--onlyvisible", "--name",
                            f"^{title}$"]).split()
        except subprocess.CalledProcessError:
            return None
        return int(ids[0]) if len(ids) == 1 else None

    def user_time_input(self, window=None):
        """Input, and the window's _NET_WM_USER_TIME set to its time, as an X11 app that
        timestamps user input on its own toplevel does at each key or button press."""
        self.input()
        self.user_time += int(self.args.interval * 1000)
        self.xprops.set(window or self.x_window, "_NET_WM_USER_TIME", XProps.CARDINAL,
                        [self.user_time])

    def user_time_input_window(self):
        self.user_time_input(self.x_editor)

    def focus_editor(self):
        """The second xlogo window, not fullscreen, made the active one: the daemon's hold
        and status --follow's last line show the fullscreen hold gone. Returns that hold."""
        self.xprops.set(self.xprops.root, "_NET_ACTIVE_WINDOW", XProps.WINDOW, [self.x_editor])
        self.expected_hold = self.expected_hold_window
        hold = self.wait_hold()
        wait_for(lambda: self.follow_holds()[-1:] == [hold], 10,
                 "status --follow to show the hold", interval=0.25)
        return hold

    def _fullscreen_sway(self):
        """tests/wl-window, made fullscreen (and focused) with swaymsg."""
        proc = self.spawn([self.wl_window, WL_APP_ID], self.env, stdout=subprocess.PIPE,
                          stderr=open(self.path("logs", "wl-window.log"), "w"), text=True)
        if proc.stdout.readline().strip() != "mapped":
            raise RuntimeError("tests/wl-window did not map its window")
        self.run(["swaymsg", f'[app_id="{WL_APP_ID}"]', "fullscreen", "enable"])

        def fullscreen_and_focused():
            node = find_node(json.loads(self.run(["swaymsg", "-t", "get_tree"])),
                             WL_APP_ID)
            return node is not None and node.get("fullscreen_mode") == 1 and node["focused"]
        wait_for(fullscreen_and_focused, 10, "the window fullscreen and focused",
                 interval=0.1)
        self.window = f"tests/wl-window {WL_APP_ID}, made fullscreen with swaymsg"
        self.expected_hold = f"fullscreen ({WL_APP_ID})"

    def _fullscreen_mutter(self):
        self.window = "none: GNOME on Wayland has no API to see a fullscreen window"

    def try_run(self, argv):
        try:
            self.run(argv)
            return True
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            return False

    # input, as a user at the keyboard and mouse

    def input(self):
        if self.desktop == "x11":
            self.x = (self.x + 7) % 300
            self.run(["xdotool", "mousemove", str(100 + self.x), "100"])
        elif self.desktop == "mutter":
            from gi.repository import GLib

            self.sign = -self.sign
            self.rd_call("NotifyPointerMotionRelative",
                         GLib.Variant("(dd)", (10.0 * self.sign, 0.0)))
        else:
            self.sign = -self.sign
            self.run(["swaymsg", "--", "seat", "-", "cursor", "move", str(10 * self.sign), "0"])

    # the two programs measured

    def start_measured(self):
        log_path = self.path("logs", "glutebreak.log")
        log = open(log_path, "w")
        self.daemon = self.spawn([self.daemon_binary, "--config", self.config], self.env,
                                 stdout=log, stderr=subprocess.STDOUT)
        self.floor = self.spawn([self.floor_binary], self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        if self.floor.stdout.readline().strip() != "ready":
            raise RuntimeError("the floor program did not start")

        def chosen():
            if self.daemon.poll() is not None:
                raise RuntimeError(f"the daemon exited: {read(log_path)}")
            for line in read(log_path).splitlines():
                if "idle backend: " in line:
                    return line.split("idle backend: ", 1)[1].split(" ", 1)[0]
                if "reminding on timers only" in line:
                    return "none (timer-only: no idle source works yet)"
            return None
        self.backend = wait_for(chosen, 20, "the daemon's idle backend")
        self.daemon_log = log_path
        # a status bar's view of it: glutebreakctl status --json --follow
        self.follow_log = self.path("logs", "follow.log")
        self.follow = self.spawn([self.ctl_binary, "status", "--json", "--follow"], self.env,
                                 stdout=open(self.follow_log, "w"), stderr=subprocess.STDOUT)
        wait_for(lambda: any(json.loads(line)["state"] != "stopped"
                             for line in read(self.follow_log).splitlines()
                             if line.startswith("{")), 10,
                 "glutebreakctl status --follow to see the daemon")

    def wait_hold(self):
        """The daemon's status shows the holds expected; returns them."""
        try:
            wait_for(lambda: self.status().get("hold", "") == self.expected_hold, 15,
                     f"the daemon's hold to be '{self.expected_hold}'", interval=0.25)
        except AssertionError as e:
            raise RuntimeError(f"{e} (it is '{self.status().get('hold', '')}')") from None
        return self.expected_hold

    def status(self):
        """glutebreakctl status --json, parsed."""
        return json.loads(self.run([self.ctl_binary, "status", "--json"]))

    def follow_holds(self, since=0):
        """The "hold" of each line status --follow printed, from line @since on."""
        return [json.loads(line).get("hold", "")
                for line in read(self.follow_log).splitlines()[since:] if line.startswith("{")]


# the probe that checks the injected input reaches the idle source
PROBE_CONFIG = config("auto", sit_limit=45 * 60, break_length=2)


def check_input(row):
    """After the windows: a second daemon with break-length 2s and --verbose must see
    the user go idle and then come back at the next injected input."""
    home = row.mkdir("probe", mode=0o700)
    config = row.path("probe", "config.ini")
    with open(config, "w") as f:
        f.write(PROBE_CONFIG)
    log_path = row.path("logs", "probe.log")
    env = dict(row.env, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_STATE_HOME=os.path.join(home, ".local", "state"))
    with open(log_path, "w") as log:
        proc = row.spawn([row.daemon_binary, "--config", config, "--verbose"], env,
                         stdout=log, stderr=subprocess.STDOUT)

    def lines():
        return read(log_path).splitlines()
    wait_for(lambda: any("idle since" in line for line in lines()), 10,
             "the probe to see the user idle")
    row.input()
    wait_for(lambda: any(line.endswith(": active") for line in lines()), 5,
             "the probe to see the injected input")
    proc.terminate()
    proc.wait(timeout=5)


def ensure_user(name):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        print(f"# creating the unprivileged user '{name}' for sway (it refuses root)",
              flush=True)
        subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name],
                       check=True)
        return pwd.getpwnam(name)


def build_floor(tmp):
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "gio-2.0", "libnotify"],
                           check=True, stdout=subprocess.PIPE, text=True).stdout.split()
    out = os.path.join(tmp, "floor")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-g", "-o", out,
                    os.path.join(SRCDIR, "bench", "floor.c"), *flags], check=True)
    return out


def find_daemon():
    candidates = [os.path.join(d, "src", "glutebreak")
                  for d in (os.environ.get("GB_TOP_BUILDDIR"), os.getcwd(), SRCDIR) if d]
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    sys.exit("bench.py: no built daemon found; give its path with --daemon "
             f"(looked at {', '.join(candidates)})")



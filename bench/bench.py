#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""glutebreak's benchmark (DESIGN.md §5), run by hand, never in CI.

For each desktop it starts a private session bus with a notification server, the desktop,
the built daemon (backend = auto) and bench/floor.c (a minimal GLib+GIO+libnotify program
sitting in its main loop), side by side. Over a window of idleness and then an equal window
of input injected every --interval s it measures, for both: RSS and PSS (smaps_rollup),
threads, child processes, CPU (utime+stime, and the scheduler's ns-exact runtime), and
wakeups (voluntary + involuntary context switches of every thread). It prints one table per
desktop against the targets of DESIGN.md §5.

  bench/bench.py [--daemon BUILDDIR/src/glutebreak] [--window 60] [--desktops x11,mutter,sway]
                 [--no-holds]

Desktops: x11 = Xvfb -noreset + xdotool; mutter = mutter --headless --wayland, input over
org.gnome.Mutter.RemoteDesktop; sway = sway headless (it refuses root: when run as root,
everything of that row runs as --user, created with useradd if missing) + swaymsg.
The daemon's config has sit-limit 45m and break-length 3m, so no reminder and no break
can happen inside the window: what is measured is the idle source, the hold sensors and
GLib alone.

With the hold sensors at work (the default; --no-holds: python3-dbusmock's notification
server everywhere, no window, the sensors' defaults): every [hold] sensor is on and
[schedule] active is a range around now whose boundaries are hours away. x11: the real
dunst (tests/dunstrc) paused (do-not-disturb) for the whole run, and a fullscreen xlogo
window that is the active one; Xvfb has no window manager, so the script sets the EWMH
properties a window manager would (_NET_ACTIVE_WINDOW on the root, _NET_WM_STATE_FULLSCREEN
on the window), which is all the sensor reads, and the idle backend stays x11. A third window
there repeats the input while the script also sets _NET_WM_USER_TIME on the fullscreen window
at each input, as an X11 app that timestamps user input on its own toplevel does (Chromium,
Electron). Before a fourth window the script makes a second xlogo window, not fullscreen, the
active one (the fullscreen hold goes off), and that window repeats the third with this one's
_NET_WM_USER_TIME: typing into a focused Electron editor. sway: the test window
tests/wl-window (`make tests/wl-window`) made fullscreen with swaymsg. mutter: GNOME on
Wayland has no fullscreen API, nothing to show. Each row checks that the daemon's status
(glutebreakctl status --json, "hold") shows the expected holds before and after the windows
and in every line of status --follow (x11: the fourth window's own).
See docs/PERFORMANCE.md."""

import argparse
import ctypes
import ctypes.util
import datetime
import json
import os
import platform
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

SRCDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRCDIR, "tests"))
from gbtest import PYTHON, wait_for  # noqa: E402
from scenario import config  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024

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

# DESIGN.md §5
TARGET_WAKEUPS = 2      # per minute, idle and active
TARGET_CPU_MS = 1.0     # per minute
TARGET_RSS = 1.3        # x floor
TARGET_PSS = 1.5        # x floor
TARGET_THREADS = 3
TARGET_STARTUP_MS = 20
TARGET_FOLLOW_WAKEUPS = 2  # per minute: "at most about once a minute by itself"

# the windows, in order: what is going on in each
PHASES = dict(idle="idle", active="of input every --interval s",
              usertime="of input, each also setting the fullscreen window's _NET_WM_USER_TIME",
              usertime_window="of input with a window that is not fullscreen focused, each "
              "also setting its _NET_WM_USER_TIME")
# ... and in the table
PHASE_LABELS = dict(idle="idle", active="active",
                    usertime="active + _NET_WM_USER_TIME, fullscreen window",
                    usertime_window="active + _NET_WM_USER_TIME, window not fullscreen")


# --- /proc ---

def read(path):
    with open(path) as f:
        return f.read()


def status_fields(path):
    out = {}
    for line in read(path).splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def snapshot(pid):
    """What the process costs so far: per thread and in total."""
    threads = {}
    children = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        base = f"/proc/{pid}/task/{tid}"
        try:
            status = status_fields(f"{base}/status")
            runtime_ns = int(read(f"{base}/schedstat").split()[0])
            children += len(read(f"{base}/children").split())
        except FileNotFoundError:
            continue  # the thread just ended
        threads[int(tid)] = dict(
            name=status["Name"], runtime_ns=runtime_ns,
            switches=int(status["voluntary_ctxt_switches"])
            + int(status["nonvoluntary_ctxt_switches"]))
    stat = read(f"/proc/{pid}/stat").rsplit(")", 1)[1].split()
    rollup = status_fields(f"/proc/{pid}/smaps_rollup")
    return dict(time=time.monotonic(), threads=threads, children=children,
                ticks=int(stat[11]) + int(stat[12]),
                rss=int(rollup["Rss"].split()[0]) * 1024,
                pss=int(rollup["Pss"].split()[0]) * 1024)


def cpu_times():
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    fields = [int(v) for v in read("/proc/stat").splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def mappings(pid):
    """{file or [heap]/[anon]: [rss, pss]} in bytes, from /proc/PID/smaps."""
    out = {}
    current = None
    for line in read(f"/proc/{pid}/smaps").splitlines():
        fields = line.split()
        if not fields[0].endswith(":"):  # a mapping's header: address perms offset dev inode [path]
            name = fields[5] if len(fields) > 5 else "[anon]"
            current = out.setdefault(os.path.basename(name), [0, 0])
        elif fields[0] in ("Rss:", "Pss:"):
            current[fields[0] == "Pss:"] += int(fields[1]) * 1024
    return out


def delta(before, after):
    """Per-minute costs between two snapshots, and which thread woke how often."""
    minutes = (after["time"] - before["time"]) / 60
    per_thread = {}
    runtime = switches = 0
    for tid, t in after["threads"].items():
        old = before["threads"].get(tid, dict(runtime_ns=0, switches=0))
        runtime += t["runtime_ns"] - old["runtime_ns"]
        switches += t["switches"] - old["switches"]
        name = f"{t['name']}"
        per_thread[name] = per_thread.get(name, 0) + t["switches"] - old["switches"]
    gone = set(before["threads"]) - set(after["threads"])
    return dict(cpu_ms=runtime / 1e6 / minutes,
                tick_ms=(after["ticks"] - before["ticks"]) * 1000 / CLK_TCK / minutes,
                wakeups=switches / minutes,
                per_thread={k: v / minutes for k, v in per_thread.items()},
                threads_gone=len(gone))


class Watch:
    """Samples a process every second: the most threads and children seen."""

    def __init__(self, pid):
        self.pid = pid
        self.max_threads = 0
        self.max_children = 0

    def sample(self):
        s = snapshot(self.pid)
        self.max_threads = max(self.max_threads, len(s["threads"]))
        self.max_children = max(self.max_children, s["children"])
        return s


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


# --- one row ---

def measure(args, desktop, floor_binary):
    row = Row(args, desktop, floor_binary)
    try:
        row.start_measured()
        pids = dict(daemon=row.daemon.pid, floor=row.floor.pid, follow=row.follow.pid)
        watches = {k: Watch(pid) for k, pid in pids.items()}
        ready = {k: w.sample() for k, w in watches.items()}
        hold_before = row.wait_hold()  # before the settling: the calls wake the daemon
        follow_since = len(read(row.follow_log).splitlines())
        # start-up transients over before the windows: GLib's thread-pool thread of an
        # async g_bus_get() lives 15 s; a GDBus call timeout (25 s) of an async call made
        # at start-up, long answered, still wakes the main loop once
        print(f"# {desktop}: backend {row.backend}; settling for {args.settle:g} s ...",
              flush=True)
        settle_end = time.monotonic() + args.settle
        pause = threading.Event()
        while time.monotonic() < settle_end:
            pause.wait(min(1.0, max(0.0, settle_end - time.monotonic())))
            for w in watches.values():
                w.sample()
        for w in watches.values():
            w.sample()
        startup_threads = {k: w.max_threads for k, w in watches.items()}
        for w in watches.values():
            w.max_threads = 0  # from now on: the windows
        # (phase, input, what to do before it: returns the hold expected in it, or None)
        phases = [("idle", None, None), ("active", row.input, None)]
        if args.holds and desktop == "x11":
            phases += [("usertime", row.user_time_input, None),
                       ("usertime_window", row.user_time_input_window, row.focus_editor)]
        spans = []  # (start, end) of each window
        phase_holds = {}
        hold = hold_before
        follow_holds = []
        load_start, machine_start = os.getloadavg()[0], cpu_times()
        for phase, inject, prepare in phases:
            if prepare is not None:
                # the hold changes: status --follow's lines so far had the previous one
                follow_holds += row.follow_holds(follow_since)
                hold = prepare()
                follow_since = len(read(row.follow_log).splitlines())
            phase_holds[phase] = hold
            what = PHASES[phase].replace("--interval s", f"{args.interval:g} s")
            print(f"# {desktop}: {args.window:g} s {what} ...", flush=True)
            spans.append(run_window(args.window, watches, inject, args.interval))
            # its own lines: the hold in this window
            for h in row.follow_holds(follow_since):
                if h != hold:
                    raise RuntimeError(f"the daemon's hold changed in the {phase} window: "
                                       f"'{hold}', then '{h}' (status --follow)")
        active_end = spans[-1][1]
        load_end, machine_end = os.getloadavg()[0], cpu_times()
        follow_holds += row.follow_holds(follow_since)
        for name, proc in (("daemon", row.daemon), ("floor", row.floor),
                           ("follow", row.follow)):
            if proc.poll() is not None:
                raise RuntimeError(f"the {name} exited during the window")
        result = dict(desktop=desktop, backend=row.backend)
        for k in pids:
            result[k] = dict(
                startup_ms=sum(t["runtime_ns"] for t in ready[k]["threads"].values()) / 1e6,
                startup_threads=startup_threads[k],
                **{phase: delta(spans[i][0][k], spans[i][1][k])
                   for i, (phase, _, _) in enumerate(phases)},
                rss=active_end[k]["rss"], pss=active_end[k]["pss"],
                threads=len(active_end[k]["threads"]),
                max_threads=watches[k].max_threads,
                children=watches[k].max_children,
                thread_names=sorted(t["name"] for t in active_end[k]["threads"].values()))
        result["mappings"] = {k: mappings(pid) for k, pid in pids.items()}
        follow_lines = len(read(row.follow_log).splitlines())
        # after the windows, as in the last one
        hold_after = row.status().get("hold", "")
        if hold_after != hold:
            raise RuntimeError(f"the daemon's hold changed in the last window: '{hold}', "
                               f"status --follow {follow_holds}, then '{hold_after}'")
        busy = ((machine_end[0] - machine_start[0])
                / max(1, machine_end[1] - machine_start[1]))
        result.update(load=(load_start, load_end), busy=busy * os.cpu_count(),
                      phases=[p for p, _, _ in phases], hold=hold_before,
                      phase_holds=phase_holds,
                      follow_holds=len(follow_holds), server=row.server, window=row.window,
                      config=read(row.config))
        # the probe needs the bus name the measured daemon owns
        row.daemon.terminate()
        row.daemon.wait(timeout=5)
        check_input(row)
        reminders = [line for line in read(row.daemon_log).splitlines() if "reminder:" in line]
        result["reminders"] = len(reminders)
        result["follow_lines"] = follow_lines
        return result
    except BaseException:
        row.dump_logs()
        raise
    finally:
        row.close()


def run_window(seconds, watches, inject, interval):
    """Samples every second for @seconds, calling @inject every @interval s if not None.
    Returns the first and the last sample."""
    stop = threading.Event()
    errors = []

    def typing():
        try:
            while not stop.is_set():
                inject()
                stop.wait(interval)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    for w in watches.values():
        w.sample()
    start = {k: w.sample() for k, w in watches.items()}
    thread = None
    if inject is not None:
        thread = threading.Thread(target=typing, daemon=True)
        thread.start()
    end_time = start["daemon"]["time"] + seconds
    pause = threading.Event()
    while time.monotonic() < end_time:
        pause.wait(min(1.0, max(0.0, end_time - time.monotonic())))
        for w in watches.values():
            w.sample()
    end = {k: w.sample() for k, w in watches.items()}
    if thread is not None:
        stop.set()
        thread.join(timeout=10)
    if errors:
        raise RuntimeError(f"injecting input failed: {errors[0]}")
    return start, end


# --- output ---

def verdict(ok):
    return "yes" if ok else "**NO**"


def print_table(r, args):
    d, f = r["daemon"], r["floor"]
    print()
    print(f"### {r['desktop']}: backend {r['backend']}")
    print()
    windows = ", then ".join(
        f"{args.window:g} s " + PHASES[p].replace("--interval s", f"{args.interval:g} s")
        for p in r["phases"])
    print(f"Windows: {windows}. Reminders shown in the windows: {r['reminders']} "
          "(sit-limit 45m: none expected). The injected input reached the idle source "
          "(checked by a second daemon with break-length 2s). Lines printed by "
          f"glutebreakctl status --follow: {r['follow_lines']} (one per minute of sitting).")
    print()
    holds = {}  # hold: [phase...], in order
    for phase in r["phases"]:
        holds.setdefault(r["phase_holds"][phase], []).append(PHASE_LABELS[phase])
    hold = "; ".join((f"`{h}`" if h else "none")
                     + (f" (windows {', '.join(p)})" if len(holds) > 1 else "")
                     for h, p in holds.items())
    print(f"Notification server: {r['server']}. Fullscreen window: {r['window']}. "
          f"The daemon's hold (glutebreakctl status --json, \"hold\") before, in and after "
          f"the windows, also in the {r['follow_holds']} lines status --follow printed in "
          f"them: {hold}.")
    print(f"Machine during the windows: load average (1 min) {r['load'][0]:.2f} at the "
          f"start, {r['load'][1]:.2f} at the end; all processes kept {r['busy']:.2f} of the "
          f"{os.cpu_count()} CPUs busy on average.")
    if args.holds:
        config = "; ".join(line for line in r["config"].splitlines()
                           if line and not line.startswith("["))
        print(f"Config: {config}.")
    print()
    print("| metric | daemon | floor | daemon/floor | target | met |")
    print("|---|---:|---:|---:|---|---|")

    def ratio(a, b):
        return f"{a / b:.2f}x" if b else "-"

    rows = [
        ("RSS (MiB)", f"{d['rss'] / MIB:.2f}", f"{f['rss'] / MIB:.2f}", ratio(d["rss"], f["rss"]),
         f"<= {TARGET_RSS}x floor", d["rss"] <= TARGET_RSS * f["rss"]),
        ("PSS (MiB)", f"{d['pss'] / MIB:.2f}", f"{f['pss'] / MIB:.2f}", ratio(d["pss"], f["pss"]),
         f"<= {TARGET_PSS}x floor", d["pss"] <= TARGET_PSS * f["pss"]),
        ("threads, windows (start-up)", f"{d['max_threads']} ({d['startup_threads']})",
         f"{f['max_threads']} ({f['startup_threads']})", "", f"<= {TARGET_THREADS}",
         d["max_threads"] <= TARGET_THREADS),
        ("child processes", str(d["children"]), str(f["children"]), "", "0",
         d["children"] == 0),
        ("start-up CPU (ms)", f"{d['startup_ms']:.1f}", f"{f['startup_ms']:.1f}", "",
         f"< {TARGET_STARTUP_MS}", d["startup_ms"] < TARGET_STARTUP_MS),
    ]
    for phase in r["phases"]:
        dp, fp = d[phase], f[phase]
        label = PHASE_LABELS[phase]
        rows += [
            (f"wakeups/min, {label}", f"{dp['wakeups']:.1f}", f"{fp['wakeups']:.1f}", "",
             f"<= {TARGET_WAKEUPS}", dp["wakeups"] <= TARGET_WAKEUPS),
            (f"CPU ms/min, {label}", f"{dp['cpu_ms']:.3f}", f"{fp['cpu_ms']:.3f}", "",
             f"<= {TARGET_CPU_MS:g}", dp["cpu_ms"] <= TARGET_CPU_MS),
            (f"CPU ms/min, {label} (utime+stime)", f"{dp['tick_ms']:.0f}",
             f"{fp['tick_ms']:.0f}", "", f"({1000 / CLK_TCK:.0f} ms ticks)", None),
        ]
    w = r["follow"]
    rows += [
        (f"glutebreakctl status --follow: wakeups/min, {PHASE_LABELS[phase]}",
         f"{w[phase]['wakeups']:.1f}",
         "", "", f"<= {TARGET_FOLLOW_WAKEUPS}", w[phase]["wakeups"] <= TARGET_FOLLOW_WAKEUPS)
        for phase in r["phases"]]
    for name, a, b, c, target, ok in rows:
        print(f"| {name} | {a} | {b} | {c} | {target} | {'' if ok is None else verdict(ok)} |")
    print()
    for who, x in (("daemon", d), ("floor", f)):
        per = ", ".join(n + " " + "/".join(f"{x[p]['per_thread'].get(n, 0):.1f}"
                                           for p in r["phases"])
                        for n in sorted(set(x["thread_names"])))
        print(f"- {who} threads: {', '.join(x['thread_names'])}; wakeups/min "
              f"{'/'.join(r['phases'])} by thread: {per}")
    if args.breakdown:
        dm, fm = r["mappings"]["daemon"], r["mappings"]["floor"]
        names = sorted(set(dm) | set(fm), key=lambda n: fm.get(n, [0, 0])[0]
                       - dm.get(n, [0, 0])[0])
        print()
        print("| mapping | daemon RSS KiB | floor RSS KiB | daemon PSS KiB | floor PSS KiB |")
        print("|---|---:|---:|---:|---:|")
        for n in names[:args.breakdown]:
            a, b = dm.get(n, [0, 0]), fm.get(n, [0, 0])
            print(f"| {n} | {a[0] // 1024} | {b[0] // 1024} | {a[1] // 1024} | {b[1] // 1024} |")
    print(flush=True)


def machine():
    model = "unknown CPU"
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem = status_fields("/proc/meminfo")["MemTotal"]
    distro = "Linux"
    if os.path.exists("/etc/os-release"):
        fields = dict(line.split("=", 1) for line in read("/etc/os-release").splitlines()
                      if "=" in line)
        distro = fields.get("PRETTY_NAME", distro).strip('"')
    return (f"{distro}, kernel {platform.release()}, {os.cpu_count()} x {model}, "
            f"{int(mem.split()[0]) // 1024} MiB RAM, load {os.getloadavg()[0]:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--daemon", help="the built daemon (default: src/glutebreak of "
                        "$GB_TOP_BUILDDIR, the current directory or the source tree)")
    parser.add_argument("--window", type=float, default=60,
                        help="seconds of each window, idle and active (default 60)")
    parser.add_argument("--interval", type=float, default=0.5,
                        help="seconds between injected inputs (default 0.5)")
    parser.add_argument("--desktops", default="x11,mutter,sway",
                        help="comma-separated: x11, mutter, sway (default all)")
    parser.add_argument("--settle", type=float, default=30,
                        help="seconds between start-up and the first window, for start-up "
                        "transients to pass (default 30)")
    parser.add_argument("--breakdown", type=int, default=0, metavar="N",
                        help="also list the N mappings where the daemon's RSS exceeds the "
                        "floor's most")
    parser.add_argument("--user", default="glutebreak-test",
                        help="unprivileged user for sway when run as root")
    parser.add_argument("--holds", action=argparse.BooleanOptionalAction, default=True,
                        help="the hold sensors at work: every [hold] sensor on, dunst paused "
                        "(x11), a fullscreen window (x11, sway) (default); --no-holds: "
                        "dbusmock's notification server, no window, the sensors' defaults")
    args = parser.parse_args()
    args.daemon = os.path.abspath(args.daemon or find_daemon())
    desktops = [d for d in args.desktops.split(",") if d]
    needs = dict(x11=["Xvfb", "xdotool"], mutter=["mutter"], sway=["sway", "swaymsg"])
    if args.holds:
        needs["x11"] += ["dunst", "dunstctl", "xlogo"]
        args.wl_window = os.path.join(os.path.dirname(os.path.dirname(args.daemon)),
                                      "tests", "wl-window")
        if "sway" in desktops and not os.access(args.wl_window, os.X_OK):
            sys.exit(f"bench.py: no {args.wl_window}: build it with `make tests/wl-window` "
                     "(or use --no-holds)")
    for d in desktops:
        if d not in needs:
            sys.exit(f"bench.py: unknown desktop: '{d}' (x11, mutter, sway)")
    for program in ["dbus-daemon", "gdbus", "pkg-config", "cc"] + sum(
            (needs[d] for d in desktops), []):
        if shutil.which(program) is None:
            sys.exit(f"bench.py: not installed: '{program}'")
    version = subprocess.run([args.daemon, "--version"], stdout=subprocess.PIPE,
                             text=True).stdout.strip()
    print(f"# glutebreak benchmark: {args.daemon} ({version}), "
          f"{'with' if args.holds else 'without'} the hold sensors at work")
    print(f"# machine: {machine()}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    build = tempfile.mkdtemp(prefix="glutebreak-bench-floor-")
    try:
        floor_binary = build_floor(build)
        for desktop in desktops:
            print_table(measure(args, desktop, floor_binary), args)
    finally:
        shutil.rmtree(build, ignore_errors=True)


if __name__ == "__main__":
    main()

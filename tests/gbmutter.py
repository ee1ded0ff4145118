# SPDX-License-Identifier: MIT
"""Harness for the tests against the real mutter 43 (tests/test-daemon-mutter.py).

mutter runs either as the X11 window manager on the test's Xvfb (input: xdotool) or as a
headless Wayland compositor in the test's private XDG_RUNTIME_DIR (input: its
org.gnome.Mutter.RemoteDesktop API, from this process). gnome-session's InhibitedActions
property, the only thing here without a real peer, is a python3-dbusmock object.
"""

import os
import shutil
import signal
import subprocess
import sys

from gi.repository import Gio, GLib

from gbtest import PYTHON, Session, Skip, Tap, User, print_logs, wait_for

IDLE_NAME = "org.gnome.Mutter.IdleMonitor"
IDLE_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
RD_NAME = "org.gnome.Mutter.RemoteDesktop"
RD_PATH = "/org/gnome/Mutter/RemoteDesktop"
SM_NAME = "org.gnome.SessionManager"
SM_PATH = "/org/gnome/SessionManager"
INHIBIT_IDLE = 8  # GSM_INHIBITOR_FLAG_IDLE

# GNOME programs write into the real home (dconf, shader caches) or call the
# accessibility bus without these
GNOME_ENV = dict(GSETTINGS_BACKEND="memory", NO_AT_BRIDGE="1", MESA_SHADER_CACHE_DISABLE="true")


def call(bus, name, path, interface, method, args=None, signature=None):
    reply = bus.call_sync(name, path, interface, method,
                          GLib.Variant(signature, args) if signature else None, None,
                          Gio.DBusCallFlags.NO_AUTO_START, 5000, None)
    return reply.unpack() if reply is not None else None


class Mutter:
    """mutter 43 in @mode "x11" (the window manager on the session's Xvfb) or "wayland"
    (headless, one virtual monitor). Started on creation; kill() and start() again."""

    def __init__(self, session, mode):
        self.session = session
        self.mode = mode
        self.env = dict(session.env, **GNOME_ENV)
        # its GSettings schemas are in the system data dirs
        self.env["XDG_DATA_DIRS"] += ":/usr/local/share:/usr/share"
        self.log_path = os.path.join(session.tmp, "mutter.log")
        self.proc = None
        self.start()

    def start(self):
        if self.mode == "x11":
            argv = ["mutter", "--x11", "--replace", "--sm-disable"]
        else:
            argv = ["mutter", "--headless", "--wayland", "--no-x11",
                    "--virtual-monitor", "1024x768"]
        with open(self.log_path, "a") as log:
            self.proc = self.session.processes.start(argv, env=self.env, stdout=log,
                                                     stderr=subprocess.STDOUT)
        wait_for(lambda: self.session.has_owner(IDLE_NAME) or self.proc.poll() is not None,
                 20, "mutter's idle monitor")
        if self.proc.poll() is not None:
            raise AssertionError(f"mutter exited: {self.log()}")
        if self.mode == "wayland":
            wait_for(lambda: os.path.exists(self.socket()), 5, "mutter's Wayland socket")

    def socket(self):
        return os.path.join(self.session.env["XDG_RUNTIME_DIR"], "wayland-0")

    def kill(self):
        """As if it crashed."""
        self.session.processes.stop(self.proc, signal.SIGKILL)
        wait_for(lambda: not self.session.has_owner(IDLE_NAME), 5, "mutter's name gone")

    def idletime(self):
        """GetIdletime in ms; also a round trip through mutter's main loop."""
        return call(self.session.bus, IDLE_NAME, IDLE_PATH, IDLE_NAME, "GetIdletime")[0]

    def log(self):
        with open(self.log_path) as f:
            return f.read()


class RemoteDesktopUser(User):
    """Someone at a headless mutter: input through org.gnome.Mutter.RemoteDesktop. The
    remote desktop session dies with the connection that created it, so one connection of
    its own is kept for it; connect() again after mutter restarted."""

    def __init__(self, session, interval=0.25):
        super().__init__(session, interval)
        self.bus = None
        self.path = None

    def connect(self):
        if self.bus is not None:
            self.bus.close_sync(None)
        self.bus = Gio.DBusConnection.new_for_address_sync(
            self.session.bus_address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.path = call(self.bus, RD_NAME, RD_PATH, RD_NAME, "CreateSession")[0]
        self._session_call("Start")

    def _session_call(self, method, args=None, signature=None):
        return call(self.bus, RD_NAME, self.path, RD_NAME + ".Session", method, args,
                    signature)

    def input(self, step):
        dx = 5.0 if step % 2 else -5.0  # back and forth: never stuck at an edge
        self._session_call("NotifyPointerMotionRelative", (dx, 0.0), "(dd)")

    def key(self):
        for pressed in (True, False):
            self._session_call("NotifyKeyboardKeysym", (0xffe1, pressed), "(ub)")  # Shift_L

    def start(self):
        if self.bus is None:
            self.connect()
        super().start()

    def close(self):
        if self.bus is not None:
            self.bus.close_sync(None)
            self.bus = None


class XUser(User):
    """Someone at mutter on Xvfb: gbtest.User's xdotool, plus a single key press."""

    def connect(self):
        pass  # xdotool talks to Xvfb, which outlives the window manager

    def key(self):
        self.session.xdotool("key", "shift")


def make_user(session, mode):
    return XUser(session) if mode == "x11" else RemoteDesktopUser(session)


class SessionManager:
    """gnome-session's InhibitedActions, and nothing else: a python3-dbusmock object.
    Start it before mutter, which reads the property when it starts."""

    def __init__(self, session):
        self.session = session
        self.proc = session.processes.start(
            [PYTHON, "-m", "dbusmock", SM_NAME, SM_PATH, SM_NAME], env=session.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: session.has_owner(SM_NAME), 10, "the session manager mock")
        call(session.bus, SM_NAME, SM_PATH, "org.freedesktop.DBus.Mock", "AddProperty",
             (SM_NAME, "InhibitedActions", GLib.Variant("u", 0)), "(ssv)")

    def inhibit_idle(self, mutter, inhibited):
        """Sets the IDLE bit as gnome-session does for a video player; returns once mutter
        has seen it (its PropertiesChanged reached mutter before our next call does)."""
        call(self.session.bus, SM_NAME, SM_PATH, "org.freedesktop.DBus.Properties", "Set",
             (SM_NAME, "InhibitedActions", GLib.Variant("u", INHIBIT_IDLE if inhibited else 0)),
             "(ssv)")
        mutter.idletime()


def run(tests):
    """Runs [(name, function, mode)]: each function gets a fresh Session (with Xvfb only in
    mode "x11") and the mode. Prints TAP, and the logs of a failed test."""
    for program in ("mutter", "dbus-daemon", "Xvfb", "xdotool"):
        if shutil.which(program) is None:
            print(f"1..0 # SKIP {program} is not installed", flush=True)
            sys.exit(0)
    try:
        import dbusmock  # noqa: F401
    except ImportError:
        print("1..0 # SKIP python3-dbusmock is not installed", flush=True)
        sys.exit(0)
    tap = Tap()
    for name, function, mode in tests:
        def one(function=function, mode=mode):
            with Session(x11=mode == "x11") as session:
                try:
                    function(session, mode)
                except BaseException as error:
                    if isinstance(error, Skip):
                        raise
                    print_logs(session, [("daemon", "glutebreak.log"), ("mutter", "mutter.log")])
                    raise
                finally:
                    for user in session.users:
                        if hasattr(user, "close"):
                            user.stop()
                            user.close()
        tap.run(f"{mode}: {name}", one)
    sys.exit(tap.finish())


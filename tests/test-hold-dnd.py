#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The do-not-disturb hold (src/hold-dnd.c) against the real notification servers: dunst 1.9
on Xvfb (dunstctl set-paused), xfce4-notifyd 0.7 with its xfconfd on Xvfb (xfconf-query), and
mako 1.7 on headless sway as an unprivileged user (makoctl mode; mako 1.7 signals no change,
so it is read on "check"). tests/hold-watch runs the sensor alone and prints the hold.

mako 1.10's Modes property (invalidation-only PropertiesChanged) exists in no Debian 12
package: a python3-dbusmock object that answers as mako 1.10 does stands in for it.

A server that stops answering (SIGSTOP) blocks nothing: a check answers within about a
second (DESIGN rule 12)."""

import os
import queue
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gi.repository import Gio, GLib  # noqa: E402

import gbtest  # noqa: E402
from gbdunst import Dunst  # noqa: E402
from gbtest import (NOTIFY_NAME, PYTHON, Session, Skip, Tap, need, print_logs,  # noqa: E402
                    skip_all, stays_false, stopped, wait_for)
import gbwayland  # noqa: E402
from scenario import SLACK  # noqa: E402

HOLD_WATCH = os.path.join(gbtest.TOP_BUILDDIR, "tests", "hold-watch")
XFCONFD = "/usr/lib/x86_64-linux-gnu/xfce4/xfconf/xfconfd"
XFCE4_NOTIFYD = "/usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd"
CALL_TIMEOUT = 1.0  # s: a D-Bus call of the sensor gives up after this
WAIT = 15  # s: bound of every wait for a peer (2 cores shared with other tests)


class Watcher:
    """tests/hold-watch dnd [MODE...]: its "hold ..." and "check ..." lines as they come;
    everything it prints (G_MESSAGES_DEBUG: its g_info lines too) goes to its log."""

    def __init__(self, session, args=(), program=HOLD_WATCH, name="hold-watch"):
        self.lines = queue.Queue()
        self.holds = []
        self.checks = []
        self.log_path = os.path.join(session.tmp, f"{name}.log")
        self.log = open(self.log_path, "w")
        env = dict(session.env, G_MESSAGES_DEBUG="glutebreak")
        self.proc = session.processes.start([program, "dnd", *args], env=env,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        # at start, before anything was read
        wait_for(lambda: self._drain() or self.holds, WAIT, "hold-watch's first line")
        assert self.holds[0] == "-", self.holds

    def _read(self):
        for line in self.proc.stdout:
            self.log.write(line)
            self.log.flush()
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _take(self, timeout=0.0):
        """Sorts the lines printed so far; waits up to @timeout s for one. False at the end."""
        try:
            line = self.lines.get(timeout=timeout) if timeout else self.lines.get_nowait()
        except queue.Empty:
            return True
        if line is None:
            self.lines.put(None)
            return False
        if line.startswith("hold "):
            self.holds.append(line[len("hold "):])
        elif line.startswith("check "):
            self.checks.append((time.monotonic(), line[len("check "):]))
        return True

    def _drain(self):
        while not self.lines.empty():
            if not self._take():
                raise AssertionError(f"hold-watch exited ({self.proc.wait(timeout=5)}): "
                                     f"{self.text()[-2000:]}")

    def hold(self):
        """What it printed last: "-" or e.g. "do-not-disturb (dunst)"."""
        self._drain()
        return self.holds[-1] if self.holds else None

    def wait_hold(self, text, timeout=WAIT):
        wait_for(lambda: self.hold() == text, timeout,
                 f"'hold {text}' (last: {self.holds[-1:]})")

    def check(self, timeout=WAIT):
        """Sends "check"; returns ("on"/"off", seconds until the answer)."""
        self._drain()
        count = len(self.checks)
        sent = time.monotonic()
        self.proc.stdin.write("check\n")
        self.proc.stdin.flush()
        deadline = sent + timeout
        while len(self.checks) <= count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no answer to check after {timeout} s")
            if not self._take(min(left, 0.5)):
                raise AssertionError(f"hold-watch exited: {self.text()[-2000:]}")
        answered, value = self.checks[count]
        return value, answered - sent

    def text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, needle, timeout=WAIT):
        wait_for(lambda: needle in self.text(), timeout, f"{needle!r} in hold-watch's log")


def run(tests, what):
    """Runs [(name, function, session class)]; the logs of a failed test as TAP comments."""
    if not os.access(HOLD_WATCH, os.X_OK):
        skip_all(f"{HOLD_WATCH} is not built")
    tap = Tap()
    for name, function, session_class in tests:
        def one(function=function, session_class=session_class):
            with session_class() as session:
                try:
                    function(session)
                except BaseException:
                    print_logs(session, [(n, f"{n}.log") for n in what], lines=40)
                    raise
        tap.run(name, one)
    sys.exit(tap.finish())


# --- dunst 1.9 on Xvfb

def test_dunst(session):
    dunst = Dunst(session)
    watch = Watcher(session)
    watch.wait_log("notification server: 'dunst'")
    assert watch.hold() == "-"
    dunst.ctl("set-paused", "true")
    watch.wait_hold("do-not-disturb (dunst)")
    # dunst signals every change: a check answers the state as last reported
    assert watch.check()[0] == "on"
    dunst.ctl("set-paused", "false")
    watch.wait_hold("-")
    assert watch.check()[0] == "off"
    # gone: off; the next dunst is identified afresh and read at once. hold-watch waits
    # (SIGSTOP) while dunst starts and pauses, so "on" can only come from reading the new
    # owner: the pause's PropertiesChanged went out before anyone asked for it.
    dunst.ctl("set-paused", "true")
    watch.wait_hold("do-not-disturb (dunst)")
    session.processes.stop(dunst.proc)
    watch.wait_hold("-")
    with stopped(watch.proc.pid):
        dunst = Dunst(session)
        dunst.ctl("set-paused", "true")
        assert dunst.ctl("is-paused") == "true"
    watch.wait_hold("do-not-disturb (dunst)")
    dunst.ctl("set-paused", "false")
    watch.wait_hold("-")


def test_dunst_hung_when_it_came(session):
    dunst = Dunst(session)
    with stopped(dunst.proc.pid):
        watch = Watcher(session)
        # GetServerInformation gives up after a second; a check meanwhile answers at once
        value, took = watch.check()
        assert (value, took < CALL_TIMEOUT) == ("off", True), (value, took)
        watch.wait_log("does not say which it is")
    dunst.ctl("set-paused", "true")
    # not identified: its signal is not followed ...
    stays_false(lambda: watch.hold() != "-", 1.0, "a hold from a server not identified")
    # ... until a check, when a reminder falls due, asks the server again who it is
    watch.check()
    watch.wait_hold("do-not-disturb (dunst)")
    watch.wait_log("notification server: 'dunst'")


# --- xfce4-notifyd 0.7 and xfconfd 4.18 on Xvfb

def xfconf_query(session, *args):
    subprocess.run(["xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", *args],
                   env=session.env, check=True, timeout=10)


def start_xfce(session, what):
    """Starts xfconfd or xfce4-notifyd (the bus starts nothing, so xfconfd goes first)."""
    program, name = {"xfconfd": (XFCONFD, "org.xfce.Xfconf"),
                     "notifyd": (XFCE4_NOTIFYD, NOTIFY_NAME)}[what]
    if not os.access(program, os.X_OK):
        raise Skip(f"{program} is not installed")
    log = open(os.path.join(session.tmp, f"{what}.log"), "a")
    env = dict(session.env, NO_AT_BRIDGE="1")
    proc = session.processes.start([program], env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    wait_for(lambda: session.has_owner(name) or proc.poll() is not None, WAIT, f"{name}")
    assert proc.poll() is None, f"{program} exited"
    return proc


def test_xfce(session):
    need("xfconf-query")
    xfconfd = start_xfce(session, "xfconfd")
    # on before the watcher starts: read at start
    xfconf_query(session, "-n", "-t", "bool", "-s", "true")
    notifyd = start_xfce(session, "notifyd")
    watch = Watcher(session)
    watch.wait_hold("do-not-disturb (Xfce Notify Daemon)")
    watch.wait_log("notification server: 'Xfce Notify Daemon'")
    xfconf_query(session, "-s", "false")
    watch.wait_hold("-")
    xfconf_query(session, "-s", "true")
    watch.wait_hold("do-not-disturb (Xfce Notify Daemon)")
    assert watch.check()[0] == "on"
    # removed: off
    xfconf_query(session, "-r")
    watch.wait_hold("-")
    xfconf_query(session, "-n", "-t", "bool", "-s", "true")
    watch.wait_hold("do-not-disturb (Xfce Notify Daemon)")
    # xfce4-notifyd gone: off; back: on again
    session.processes.stop(notifyd)
    watch.wait_hold("-")
    notifyd = start_xfce(session, "notifyd")
    watch.wait_hold("do-not-disturb (Xfce Notify Daemon)")
    # xfconfd gone: it cannot be read, off
    session.processes.stop(xfconfd)
    watch.wait_hold("-")
    watch.wait_log("'org.xfce.Xfconf' is not running")


# --- mako 1.7 on headless sway, as the peer user

def mako_watcher(session, args=(), name="hold-watch"):
    """hold-watch copied where the peer user can run it (gbwayland.py), run as that user."""
    copy = os.path.join(session.tmp, "bin", "hold-watch")
    if not os.path.exists(copy):
        shutil.copy(HOLD_WATCH, copy)
        if session.prefix:
            os.chown(copy, session.uid, session.gid)
    return Watcher(session, args, program=copy, name=name)


def test_mako_modes(session):
    need("sway", "mako", "makoctl", "jq", "setpriv")
    session.start_sway()
    session.start_mako()
    default = mako_watcher(session)
    custom = mako_watcher(session, ("meeting", "focus"), name="hold-watch-custom")
    for watch in (default, custom):
        watch.wait_log("notification server: 'mako'")
        watch.wait_log("mako has no Modes")
        assert watch.check()[0] == "off"
    session.run("makoctl", "mode", "-a", "do-not-disturb")
    assert default.check()[0] == "on"
    default.wait_hold("do-not-disturb (mako)")
    assert custom.check()[0] == "off"
    session.run("makoctl", "mode", "-a", "focus")
    assert custom.check()[0] == "on"
    custom.wait_hold("do-not-disturb (mako)")
    session.run("makoctl", "mode", "-r", "do-not-disturb")
    assert default.check()[0] == "off"
    default.wait_hold("-")
    assert custom.check()[0] == "on"
    session.run("makoctl", "mode", "-r", "focus")
    assert custom.check()[0] == "off"
    custom.wait_hold("-")


def test_mako_hung(session):
    need("sway", "mako", "makoctl", "jq", "setpriv")
    session.start_sway()
    session.start_mako()
    watch = mako_watcher(session)
    watch.wait_log("mako has no Modes")
    session.run("makoctl", "mode", "-a", "do-not-disturb")
    assert watch.check()[0] == "on"
    with stopped(session.mako.pid):
        # two checks in a row: each answers "off" after the call's timeout, not later
        for _ in range(2):
            value, took = watch.check()
            assert value == "off", value
            assert took < CALL_TIMEOUT + SLACK, took
        watch.wait_hold("-")
    assert watch.check()[0] == "on"
    # mako gone meanwhile: off
    session.processes.stop(session.mako)
    watch.wait_hold("-")
    assert watch.check()[0] == "off"


# --- mako 1.10 (a fake: no Debian 12 package has it) and a server with no known DND

MOCK_IFACE = "org.freedesktop.DBus.Mock"
MAKO_PATH = "/fr/emersion/Mako"
MAKO_IFACE = "fr.emersion.Mako"


def mock_server(session, name):
    """python3-dbusmock owning org.freedesktop.Notifications, calling itself @name."""
    proc = session.processes.start(
        [PYTHON, "-m", "dbusmock", NOTIFY_NAME, "/org/freedesktop/Notifications", NOTIFY_NAME],
        env=session.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: session.has_owner(NOTIFY_NAME) or proc.poll() is not None, WAIT,
             "the mock server")
    assert proc.poll() is None, "python3-dbusmock exited"
    mock_call(session, "/org/freedesktop/Notifications", "AddMethod",
              GLib.Variant("(sssss)", ("", "GetServerInformation", "", "ssss",
                                       f"ret = ({name!r}, 'x', '1.10.0', '1.2')")))
    return proc


def mock_call(session, path, method, args):
    session.bus.call_sync(NOTIFY_NAME, path, MOCK_IFACE, method, args, None,
                          Gio.DBusCallFlags.NONE, 5000, None)


def set_mako_modes(session, modes):
    session.bus.call_sync(NOTIFY_NAME, MAKO_PATH, MAKO_IFACE, "SetModes",
                          GLib.Variant("(as)", (modes,)), None, Gio.DBusCallFlags.NONE, 5000,
                          None)


def test_mako_1_10(session):
    try:
        import dbusmock  # noqa: F401
    except ImportError:
        raise Skip("python3-dbusmock is not installed") from None
    # SetModes as mako 1.10's: the property changes, PropertiesChanged says only that
    # (dbus/mako.c: SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION)
    set_modes = ("self.props['fr.emersion.Mako']['Modes'] = dbus.Array(args[0], signature='s')\n"
                 "self.EmitSignal('org.freedesktop.DBus.Properties', 'PropertiesChanged', "
                 "'sa{sv}as', ['fr.emersion.Mako', {}, ['Modes']])")
    mock_server(session, "mako")
    mock_call(session, "/org/freedesktop/Notifications", "AddObject", GLib.Variant(
        "(ssa{sv}a(ssss))",
        (MAKO_PATH, MAKO_IFACE, {"Modes": GLib.Variant("as", ["default"])},
         [("SetModes", "as", "", set_modes)])))
    watch = Watcher(session)
    watch.wait_log("notification server: 'mako'")
    watch.wait_log("mako has Modes")
    set_mako_modes(session, ["default", "do-not-disturb"])
    watch.wait_hold("do-not-disturb (mako)")
    # signalled: a check answers the state as last read (this mako has no ListModes)
    assert watch.check()[0] == "on"
    set_mako_modes(session, ["default"])
    watch.wait_hold("-")


def test_unknown_server(session):
    try:
        import dbusmock  # noqa: F401
    except ImportError:
        raise Skip("python3-dbusmock is not installed") from None
    mock_server(session, "notify-osd")
    watch = Watcher(session)
    watch.wait_log("notification server: 'notify-osd' 1.10.0 (x), whose do-not-disturb is "
                   "not known")
    value, took = watch.check()
    assert value == "off" and took < CALL_TIMEOUT, (value, took)
    assert watch.hold() == "-"


class XSession(Session):
    def __init__(self):
        super().__init__(x11=True)


class BusSession(Session):
    def __init__(self):
        super().__init__(x11=False)


if __name__ == "__main__":
    for program in ("dbus-daemon", "Xvfb"):
        if shutil.which(program) is None:
            skip_all(f"{program} is not installed")
    run([
        ("dunst: set-paused on and off, gone, back paused", test_dunst, XSession),
        ("dunst hung when it came: checks answer at once; a check identifies it later",
         test_dunst_hung_when_it_came, XSession),
        ("xfce4-notifyd: /do-not-disturb set, removed; notifyd and xfconfd gone",
         test_xfce, XSession),
        ("mako 1.7: modes read on check, the default and a custom mode list",
         test_mako_modes, gbwayland.SwaySession),
        ("mako 1.7 hung: checks answer off within a second, and again after",
         test_mako_hung, gbwayland.SwaySession),
        ("mako 1.10 (fake): Modes followed by its invalidation", test_mako_1_10, BusSession),
        ("an unknown server holds nothing", test_unknown_server, BusSession),
    ], what=("hold-watch", "hold-watch-custom", "dunst", "xfconfd", "notifyd", "sway", "mako"))

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The always-on session sensors (src/session.c, src/screensaver.c) and the logind idle backend
(src/idle-logind.c): logind has no real peer here (no system bus), so python3-dbusmock's
logind template runs on a second private dbus-daemon (tests/system.conf) exported as
DBUS_SYSTEM_BUS_ADDRESS, and its gnome_screensaver template (or a bare mock object for
org.freedesktop.ScreenSaver) on the session bus. No X server: the idle backend is none
(timer-only) or logind."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gi.repository import Gio, GLib  # noqa: E402

from gbtest import (MOCK_IFACE, PYTHON, TOP_SRCDIR, Daemon, NotificationServer,  # noqa: E402
                    run_tests, stays_false, stopped, wait_for)
from scenario import SLACK, config  # noqa: E402

CONFIG = config("none", repeat="1h", snooze="6s")
LOGIND_CONFIG = config("logind", repeat="1h", snooze="6s")

LOGIND = "org.freedesktop.login1"
LOGIND_PATH = "/org/freedesktop/login1"
MANAGER = "org.freedesktop.login1.Manager"
SESSION = "org.freedesktop.login1.Session"
USER = "org.freedesktop.login1.User"
NO_SUCH_SESSION = ("raise dbus.exceptions.DBusException('no such session', "
                   "name='org.freedesktop.login1.NoSuchSession')")


class Mock:
    """Calls to a dbusmock process on @bus."""

    def __init__(self, bus, name):
        self.bus = bus
        self.name = name

    def call(self, path, interface, method, signature=None, args=None):
        reply = self.bus.call_sync(self.name, path, interface, method,
                                   GLib.Variant(signature, args) if signature else None, None,
                                   Gio.DBusCallFlags.NONE, 5000, None)
        return reply.unpack() if reply is not None else None

    def mock(self, path, method, signature=None, args=None):
        return self.call(path, MOCK_IFACE, method, signature, args)

    def emit(self, path, interface, name, signature, args):
        self.mock(path, "EmitSignal", "(sssav)", (interface, name, signature, args))


def connect(address):
    return Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
        | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)


def has_owner(bus, name):
    reply = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "NameHasOwner", GLib.Variant("(s)", (name,)), None,
                          Gio.DBusCallFlags.NONE, 5000, None)
    return reply.unpack()[0]


def start_system_bus(session):
    """A private system bus, exported to every process started from now on."""
    config = os.path.join(TOP_SRCDIR, "tests", "system.conf")
    proc = session.processes.start(["dbus-daemon", f"--config-file={config}",
                                    "--print-address=1", "--nofork"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=session.env, text=True)
    address = proc.stdout.readline().strip()
    if not address:
        raise AssertionError("the system dbus-daemon printed no address")
    session.env["DBUS_SYSTEM_BUS_ADDRESS"] = address
    return connect(address)


class Logind(Mock):
    """dbusmock's logind template on a private system bus."""

    def __init__(self, session):
        bus = start_system_bus(session)
        super().__init__(bus, LOGIND)
        self.proc = session.processes.start(
            [PYTHON, "-m", "dbusmock", "--system", "--template", "logind"], env=session.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: has_owner(bus, LOGIND), 10, "the logind mock")

    def add_session(self, session_id):
        return self.mock(LOGIND_PATH, "AddSession", "(ssusb)",
                         (session_id, "seat0", os.getuid(), "user", True))[0]

    def manager_method(self, name, in_sig, out_sig, code):
        self.mock(LOGIND_PATH, "AddMethod", "(sssss)", (MANAGER, name, in_sig, out_sig, code))

    def get_session(self, paths):
        """GetSession(id) answers from @paths, else NoSuchSession (real logind's behaviour;
        the template's answers any id with a path that may not exist)."""
        self.manager_method("GetSession", "s", "o",
                            f"if args[0] not in {paths!r}: {NO_SUCH_SESSION}\n"
                            f"ret = {paths!r}[args[0]]")

    def update(self, path, interface=SESSION, **props):
        self.mock(path, "UpdateProperties", "(sa{sv})", (interface, props))

    def lock(self, path, locked):
        self.update(path, LockedHint=GLib.Variant("b", locked))

    def prepare_for_sleep(self, start):
        self.emit(LOGIND_PATH, MANAGER, "PrepareForSleep", "b", [GLib.Variant("b", start)])

    def inhibitors(self):
        return self.call(LOGIND_PATH, MANAGER, "ListInhibitors")[0]

    def calls(self, method):
        return [args for _t, m, args in self.mock(LOGIND_PATH, "GetCalls")[0] if m == method]


def logind_with_session(session):
    """A logind whose GetSession("auto") is session c1, as for a systemd --user service."""
    logind = Logind(session)
    path = logind.add_session("c1")
    logind.get_session({"auto": path})
    return logind, path


class Screensaver(Mock):
    """A screensaver on the session bus: dbusmock's gnome_screensaver template, or a bare
    org.freedesktop.ScreenSaver mock at /ScreenSaver and /org/freedesktop/ScreenSaver."""

    def __init__(self, session, name="org.gnome.ScreenSaver"):
        super().__init__(session.bus, name)
        self.session = session
        if name == "org.gnome.ScreenSaver":
            argv = ["--template", "gnome_screensaver"]
        else:
            argv = [name, "/ScreenSaver", name]
        self.proc = session.processes.start([PYTHON, "-m", "dbusmock", *argv], env=session.env,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: session.has_owner(name), 10, name)

    def set_active(self, active):
        self.call("/org/gnome/ScreenSaver", self.name, "SetActive", "(b)", (active,))

    def stop(self):
        self.session.processes.stop(self.proc)
        wait_for(lambda: not self.session.has_owner(self.name), 5, f"{self.name} gone")


def assert_session_used(logind, daemon, how, path, other=None):
    """The daemon found @path by @how, and acts on a LockedHint there (not on @other)."""
    daemon.wait_log(f"logind session found by {how}: '{path}'")
    if other is not None:
        logind.lock(other, True)
        stays_false(lambda: "screen locked" in daemon.text(), 0.5,
                    f"a lock of the other session {other}")
    logind.lock(path, True)
    daemon.wait_log("screen locked")
    logind.lock(path, False)
    daemon.wait_log("screen unlocked")


def test_session_from_xdg_session_id(session):
    logind = Logind(session)
    c1, c2 = logind.add_session("c1"), logind.add_session("c2")
    logind.get_session({"auto": c1, "c2": c2})
    daemon = Daemon(session, CONFIG, extra_env={"XDG_SESSION_ID": "c2"})
    assert_session_used(logind, daemon, "$XDG_SESSION_ID", c2, other=c1)


def test_session_from_auto(session):
    logind = Logind(session)
    c1, c2 = logind.add_session("c1"), logind.add_session("c2")
    logind.get_session({"auto": c1, "c2": c2})
    daemon = Daemon(session, CONFIG)
    assert "$XDG_SESSION_ID" not in daemon.text()
    assert_session_used(logind, daemon, 'GetSession("auto")', c1, other=c2)


def test_session_from_pid(session):
    logind = Logind(session)
    c1, c3 = logind.add_session("c1"), logind.add_session("c3")
    logind.get_session({})
    logind.manager_method("GetSessionByPID", "u", "o", f"ret = {c3!r}")
    # an unknown $XDG_SESSION_ID falls through too
    daemon = Daemon(session, CONFIG, extra_env={"XDG_SESSION_ID": "c9"})
    assert_session_used(logind, daemon, "GetSessionByPID", c3, other=c1)
    assert [daemon.proc.pid] in logind.calls("GetSessionByPID"), logind.calls("GetSessionByPID")


def test_session_from_user_display(session):
    logind = Logind(session)
    c1, c4 = logind.add_session("c1"), logind.add_session("c4")
    logind.get_session({})
    logind.manager_method("GetSessionByPID", "u", "o", NO_SUCH_SESSION)
    # (the template's GetUser adds a str and an int)
    logind.manager_method("GetUser", "u", "o", f"ret = '{LOGIND_PATH}/user/%d' % args[0]")
    # (dbusmock's UpdateProperties cannot take a struct)
    logind.call(f"{LOGIND_PATH}/user/{os.getuid()}", "org.freedesktop.DBus.Properties", "Set",
                "(ssv)", (USER, "Display", GLib.Variant("(so)", ("c4", c4))))
    daemon = Daemon(session, CONFIG)
    assert_session_used(logind, daemon, "the user's Display", c4, other=c1)


def test_sleep_inhibitor(session):
    logind, _path = logind_with_session(session)
    daemon = Daemon(session, CONFIG)
    wait_for(lambda: logind.inhibitors(), 5, "the delay inhibitor")
    assert [tuple(i[:4]) for i in logind.inhibitors()] == \
        [("sleep", "glutebreak", "Record the time away from the computer", "delay")], \
        logind.inhibitors()
    # going to sleep: the state is saved, then the inhibitor released
    logind.prepare_for_sleep(True)
    daemon.wait_log("the machine is going to sleep")
    wait_for(lambda: not logind.inhibitors(), 5, "the inhibitor released")
    # awake: a new one
    logind.prepare_for_sleep(False)
    daemon.wait_log("the machine woke up")
    wait_for(lambda: logind.inhibitors(), 5, "a new inhibitor")
    assert len(logind.inhibitors()) == 1 and len(logind.calls("Inhibit")) == 2


def test_suspend_is_away_time(session):
    logind, _path = logind_with_session(session)
    server = NotificationServer(session)
    # a kernel that does not wake us on resume: only PrepareForSleep(false) does
    daemon = Daemon(session, CONFIG, fake_suspend=True,
                    extra_env={"GB_FAKE_SUSPEND_OLD_KERNEL": "1"})
    server.wait_notify(1, 4 + SLACK)
    logind.prepare_for_sleep(True)
    daemon.wait_log("the machine is going to sleep")
    daemon.suspend(4)
    stays_false(lambda: "suspended" in daemon.text(), 1, "news of the suspend before the wake-up")
    logind.prepare_for_sleep(False)
    daemon.wait_log("the machine was suspended for 4 s", timeout=2)
    daemon.wait_log("break (suspend)", timeout=1)
    wait_for(lambda: server.calls("CloseNotification"), SLACK, "the reminder withdrawn")


def test_locked_hint_break(session):
    logind, path = logind_with_session(session)
    server = NotificationServer(session)
    daemon = Daemon(session, CONFIG)
    server.wait_notify(1, 4 + SLACK)
    logind.lock(path, True)
    daemon.wait_log("screen locked")
    locked = time.monotonic()
    wait_for(lambda: server.calls("CloseNotification"), 2 + SLACK, "the reminder withdrawn")
    assert server.calls("CloseNotification")[0][0] - locked >= 2 - 0.3
    daemon.wait_log("break (lock)")
    # unlocked: timer-only, the next bout starts there
    logind.lock(path, False)
    daemon.wait_log("screen unlocked")
    unlocked = time.monotonic()
    t, _n = server.wait_notify(2, 4 + SLACK)
    assert t - unlocked >= 4 - 0.5, t - unlocked


def test_short_lock_keeps_bout(session):
    logind, path = logind_with_session(session)
    server = NotificationServer(session)
    daemon = Daemon(session, CONFIG)
    wait_for(lambda: time.monotonic() - daemon.started > 1, 5, "1 s of sitting")
    logind.lock(path, True)
    daemon.wait_log("screen locked")
    wait_for(lambda: time.monotonic() - daemon.started > 1.8, 5, "a short lock")
    logind.lock(path, False)
    daemon.wait_log("screen unlocked")
    t, _n = server.wait_notify(1, 4 + SLACK)
    assert t - daemon.started < 4 + SLACK, t - daemon.started
    assert "break (" not in daemon.text(), daemon.text()


def test_locked_at_start(session):
    logind, path = logind_with_session(session)
    logind.lock(path, True)
    server = NotificationServer(session)
    daemon = Daemon(session, CONFIG)
    # read at start, reported from the main loop once the daemon is up
    daemon.wait_log("screen locked")
    daemon.wait_log("break (lock)", timeout=2 + SLACK)
    stays_false(lambda: server.notifies(), 4 + 0.5 - (time.monotonic() - daemon.started),
                "a reminder while locked")


def test_gnome_screensaver(session):
    saver = Screensaver(session)
    daemon = Daemon(session, CONFIG)
    daemon.wait_log("screensaver appeared: 'org.gnome.ScreenSaver'")
    # the same signal from someone not owning the name (gnome-shell's own emission): ignored
    session.bus.emit_signal(None, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver",
                            "ActiveChanged", GLib.Variant("(b)", (True,)))
    stays_false(lambda: "screen locked" in daemon.text(), 0.5, "a lock from another sender")
    saver.set_active(True)
    daemon.wait_log("screen locked")
    saver.set_active(False)
    daemon.wait_log("screen unlocked")
    assert daemon.text().count("org.gnome.ScreenSaver.ActiveChanged(true)") == 1, daemon.text()
    # another owner: still heard, and not the old one's leftovers
    saver.stop()
    daemon.wait_log("screensaver vanished: 'org.gnome.ScreenSaver'")
    saver = Screensaver(session)
    daemon.wait_log("screensaver appeared: 'org.gnome.ScreenSaver'", count=2)
    saver.set_active(True)
    daemon.wait_log("screen locked", count=2)
    # gone while active: nothing says locked any more
    saver.stop()
    daemon.wait_log("screen unlocked", count=2)


def test_freedesktop_screensaver(session):
    saver = Screensaver(session, "org.freedesktop.ScreenSaver")
    name = saver.name
    saver.mock("/ScreenSaver", "AddObject", "(ssa{sv}a(ssss))",
               ("/org/freedesktop/ScreenSaver", name, {}, []))
    server = NotificationServer(session)
    daemon = Daemon(session, CONFIG)
    daemon.wait_log(f"screensaver appeared: '{name}'")
    server.wait_notify(1, 4 + SLACK)
    # KDE emits on both paths: one lock
    for path in ("/ScreenSaver", "/org/freedesktop/ScreenSaver"):
        saver.emit(path, name, "ActiveChanged", "b", [GLib.Variant("b", True)])
    daemon.wait_log(f"{name}.ActiveChanged(true) from", count=2)
    assert daemon.text().count("screen locked") == 1, daemon.text()
    # a lock like any other: a break after break-length
    daemon.wait_log("break (lock)", timeout=2 + SLACK)
    wait_for(lambda: server.calls("CloseNotification"), SLACK, "the reminder withdrawn")
    saver.emit("/ScreenSaver", name, "ActiveChanged", "b", [GLib.Variant("b", False)])
    daemon.wait_log("screen unlocked")


def test_lock_sources_combined(session):
    logind, path = logind_with_session(session)
    saver = Screensaver(session)
    daemon = Daemon(session, CONFIG)
    daemon.wait_log("screensaver appeared: 'org.gnome.ScreenSaver'")
    logind.lock(path, True)
    daemon.wait_log("screen locked")
    saver.set_active(True)
    daemon.wait_log("ActiveChanged(true)")
    # still locked while either says so
    logind.lock(path, False)
    daemon.wait_log("LockedHint: false")
    saver.set_active(False)
    daemon.wait_log("screen unlocked")
    text = daemon.text()
    assert text.count("screen locked") == 1 and text.count("screen unlocked") == 1, text
    assert text.index("ActiveChanged(false)") < text.index("screen unlocked"), text


def idle_hint(logind, path, idle, ago=0.0):
    """IdleHint of session @path, idle since @ago s (as logind sends them: all three)."""
    mono = int((time.clock_gettime(time.CLOCK_MONOTONIC) - ago) * 1e6)
    wall = int((time.time() - ago) * 1e6)
    logind.update(path, IdleHint=GLib.Variant("b", idle),
                  IdleSinceHint=GLib.Variant("t", wall),
                  IdleSinceHintMonotonic=GLib.Variant("t", mono))


def test_idle_hint_backend(session):
    logind, path = logind_with_session(session)
    server = NotificationServer(session)
    daemon = Daemon(session, LOGIND_CONFIG)
    daemon.wait_log("idle backend: logind")
    assert "IdleHint: coarse" in daemon.text(), daemon.text()
    # the session the sensors found, not found again
    assert daemon.text().count("logind session found by") == 1, daemon.text()
    server.wait_notify(1, 4 + SLACK)
    # the desktop's idle delay (3 s) is longer than break-length: a break at once,
    # dated back to the last input
    idle_hint(logind, path, True, ago=3)
    daemon.wait_log("break (natural)", timeout=SLACK)
    wait_for(lambda: server.calls("CloseNotification"), SLACK, "the reminder withdrawn")
    # back: a new bout
    idle_hint(logind, path, False)
    daemon.wait_log("IdleHint: false")
    back = time.monotonic()
    t, n = server.wait_notify(2, 4 + SLACK)
    assert t - back >= 4 - 0.5, t - back
    assert n["replaces"] == 0, n


def test_idle_hint_short_delay_and_done(session):
    logind, path = logind_with_session(session)
    server = NotificationServer(session)
    daemon = Daemon(session, LOGIND_CONFIG)
    server.wait_notify(1, 4 + SLACK)
    # a desktop idle delay (1 s) shorter than break-length: the break comes 1 s later
    idle_hint(logind, path, True, ago=1)
    idle = time.monotonic()
    wait_for(lambda: server.calls("CloseNotification"), 1 + SLACK, "the reminder withdrawn")
    assert server.calls("CloseNotification")[0][0] - idle >= 1 - 0.3
    daemon.wait_log("break (natural)")
    idle_hint(logind, path, False)
    daemon.wait_log("IdleHint: false")
    _t, _n = server.wait_notify(2, 4 + SLACK)
    # Done: logind cannot see the next input; IdleHint is false, so the bout restarts at once
    server.invoke(2, "done")
    daemon.wait_log("break (done)")
    done = time.monotonic()
    t, _n = server.wait_notify(3, 4 + SLACK)
    assert 4 - 0.5 <= t - done < 4 + SLACK, t - done


def warnings(daemon):
    return [line for line in daemon.text().splitlines() if "WARNING" in line]


def test_no_system_bus(session):
    server = NotificationServer(session)
    daemon = Daemon(session, CONFIG)
    server.wait_notify(1, 4 + SLACK)
    assert len(warnings(daemon)) == 1 and "no system bus at 'unix:path=" in warnings(daemon)[0], \
        daemon.text()
    assert "(no socket): suspend is noticed by the clock alone" in warnings(daemon)[0]


def test_no_logind(session):
    start_system_bus(session)
    server = NotificationServer(session)
    daemon = Daemon(session, CONFIG)
    server.wait_notify(1, 4 + SLACK)
    assert len(warnings(daemon)) == 1 and "no logind (" in warnings(daemon)[0], daemon.text()
    # and the logind idle backend says why it cannot run
    daemon.write_config(LOGIND_CONFIG)
    daemon.wait_log("settings reloaded from")
    # (the probe answers from the main loop, after the reload)
    daemon.wait_log("no idle source (logind: no logind: ")
    assert daemon.proc.poll() is None


def test_no_logind_session(session):
    logind = Logind(session)
    logind.get_session({})
    logind.manager_method("GetSessionByPID", "u", "o", NO_SUCH_SESSION)
    logind.manager_method("GetUser", "u", "o", NO_SUCH_SESSION)
    daemon = Daemon(session, CONFIG)
    # no lock from logind, but the sleep sensor works
    wait_for(lambda: logind.inhibitors(), 5, "the delay inhibitor")
    assert len(warnings(daemon)) == 1 and "no logind session for this process (" in \
        warnings(daemon)[0], daemon.text()
    logind.prepare_for_sleep(True)
    daemon.wait_log("the machine is going to sleep")
    wait_for(lambda: not logind.inhibitors(), 5, "the inhibitor released")


def test_logind_not_answering(session):
    logind, _path = logind_with_session(session)
    server = NotificationServer(session)
    with stopped(logind.proc.pid):
        daemon = Daemon(session, LOGIND_CONFIG)
        assert time.monotonic() - daemon.started < 1, daemon.text()
        # the session gives up on it at its call's timeout, and so does the idle probe
        # (then, or at its own limit if that comes first)
        daemon.wait_log("no logind (", timeout=5 + SLACK)
        daemon.wait_log("no idle source (logind: ", timeout=5 + SLACK)
        server.wait_notify(1, 4 + SLACK)
        daemon.exits_on_sigterm()


if __name__ == "__main__":
    run_tests([
        ("session: $XDG_SESSION_ID wins", test_session_from_xdg_session_id),
        ("session: GetSession(\"auto\") without $XDG_SESSION_ID", test_session_from_auto),
        ("session: GetSessionByPID when auto fails", test_session_from_pid),
        ("session: the user's Display last", test_session_from_user_display),
        ("PrepareForSleep releases and retakes the delay inhibitor", test_sleep_inhibitor),
        ("a suspend noticed through PrepareForSleep(false) is a break",
         test_suspend_is_away_time),
        ("LockedHint for break-length is a break", test_locked_hint_break),
        ("a short lock keeps the bout", test_short_lock_keeps_bout),
        ("locked at start", test_locked_at_start),
        ("org.gnome.ScreenSaver: owner only, once, across owners", test_gnome_screensaver),
        ("org.freedesktop.ScreenSaver on both paths", test_freedesktop_screensaver),
        ("LockedHint and screensaver combined", test_lock_sources_combined),
        ("logind IdleHint backend", test_idle_hint_backend),
        ("logind IdleHint: short idle delay, and Done", test_idle_hint_short_delay_and_done),
        ("no system bus: one warning, still reminding", test_no_system_bus),
        ("no logind: one warning, still reminding", test_no_logind),
        ("no logind session: one warning, the sleep sensor works", test_no_logind_session),
        ("logind not answering: not waited for at start-up", test_logind_not_answering),
    ], needs=("dbus-daemon",), x11=False)

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The opt-in hold sensors for meetings and GNOME's break reminders, each run on its own by
tests/hold-watch (its stdout lines "hold ...", "warning ..." are what is checked):

- inhibit (src/hold-inhibit.c): no gnome-session runs headless here, so python3-dbusmock
  stands in for org.gnome.SessionManager on the private session bus: InhibitedActions changed
  with PropertiesChanged, inhibitors with GetFlags/GetAppId;
- camera (src/hold-camera.c): a temp dir with regular files named video*, which child
  processes (a copy of sleep named "videocall") hold open; inotify sees regular files as it
  sees device nodes, and /proc/PID/fd names them alike;
- gnome-breaks (src/gnome-breaks.c): a private GSETTINGS_SCHEMA_DIR with a copy of
  org.gnome.desktop.break-reminders (tests/data; Debian 12's schemas are too old), the keyfile
  backend written by the real gsettings tool, and a dbusmock org.gnome.Shell with ScreenTime.

A peer that stops answering (SIGSTOP) must not block the sensor (DESIGN rule 12): hold-watch
answers a "check" line on stdin at once while its call is pending."""

import os
import queue
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gi.repository import GLib  # noqa: E402

from gbdesktop import Mock  # noqa: E402
from gbtest import (TOP_BUILDDIR, TOP_SRCDIR, print_logs, run_tests,  # noqa: E402
                    stays_false, stopped, wait_for)

HOLD_WATCH = os.path.join(TOP_BUILDDIR, "tests", "hold-watch")

SM_NAME = "org.gnome.SessionManager"
SM_PATH = "/org/gnome/SessionManager"
SM_IFACE = "org.gnome.SessionManager"
INHIBITOR_IFACE = "org.gnome.SessionManager.Inhibitor"
SHELL_NAME = "org.gnome.Shell"
SCREEN_TIME_PATH = "/org/gnome/Shell/ScreenTime"
SCREEN_TIME_IFACE = "org.gnome.Shell.ScreenTime"
BREAKS_SCHEMA = "org.gnome.desktop.break-reminders"

SETTLE = 1.5  # s: the camera's settle time in these tests (3 s in the daemon)
CALL_TIMEOUT = 1.0  # s: the sensors' D-Bus call timeout
ANSWER = 1.0  # s: how soon a sensor must answer while a peer hangs
WAIT = 10  # s: bound for anything that should come soon
WARNING = ("warning GNOME's own movement breaks are on too: turn off Movement Reminders in "
           "Settings > Wellbeing, or stop glutebreak (systemctl --user disable --now glutebreak)")


class Watch:
    """tests/hold-watch running one sensor; its "hold" and "warning" lines are collected, its
    log (all debug messages; warnings are fatal) goes to hold-watch.log."""

    def __init__(self, session, *args, log="hold-watch.log"):
        env = dict(session.env, G_MESSAGES_DEBUG="all", G_DEBUG="gc-friendly,fatal-warnings")
        self.log_path = os.path.join(session.tmp, log)
        self.log = open(self.log_path, "a")
        self.lines = []
        self.checks = queue.Queue()
        self.proc = session.processes.start([HOLD_WATCH, *args], env=env,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=self.log, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(lambda: self.lines or self.proc.poll() is not None, WAIT, "hold-watch to start")
        assert self.proc.poll() is None, f"hold-watch exited: {self.text()}"

    def _read(self):
        # GLib writes debug and info messages to stdout too: those go to the log
        for line in self.proc.stdout:
            kind = line.split(" ", 1)[0]
            if kind == "check":
                self.checks.put(line.rstrip("\n"))
            elif kind in ("hold", "warning"):
                self.lines.append(line.rstrip("\n"))
            else:
                self.log.write(line)
                self.log.flush()

    def last(self, kind):
        """The last line that starts with @kind ("hold", "warning"), or None."""
        for line in reversed(self.lines):
            if line.split(" ", 1)[0] == kind:
                return line
        return None

    def wait(self, line, timeout=WAIT):
        """Waits until @line is the last line of its kind; returns when it was seen."""
        kind = line.split(" ", 1)[0]
        wait_for(lambda: self.last(kind) == line, timeout, repr(line))
        return time.monotonic()

    def text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, needle, timeout=WAIT, count=1):
        wait_for(lambda: self.text().count(needle) >= count, timeout, f"{needle!r} in the log")

    def answers(self, within=ANSWER):
        """Its main loop runs: a "check" line is answered within @within s."""
        sent = time.monotonic()
        self.proc.stdin.write("check\n")
        self.proc.stdin.flush()
        try:
            self.checks.get(timeout=within + 5)
        except queue.Empty:
            raise AssertionError("hold-watch does not answer") from None
        took = time.monotonic() - sent
        assert took < within, f"hold-watch answered after {took:.2f} s"


def logged(function):
    """Prints hold-watch's log as TAP comments when @function fails."""
    def run(session):
        try:
            function(session)
        except BaseException:
            print_logs(session, [(name, name) for name in sorted(os.listdir(session.tmp))
                                 if name.startswith("hold-watch")])
            raise
    return run


# --- idle inhibitors: org.gnome.SessionManager InhibitedActions ---

class SessionManager(Mock):
    """gnome-session as far as the sensor asks it: InhibitedActions, GetInhibitors and
    per inhibitor GetFlags and GetAppId."""

    def __init__(self, session, actions=0):
        super().__init__(session, SM_NAME, SM_PATH, SM_IFACE)
        self.add_property("InhibitedActions", GLib.Variant("u", actions))
        # dbusmock owns the name before the property exists: a sensor that read it then
        # learns it now
        self.set_actions(actions)
        self.count = 0
        self.set_inhibitors([])

    def add_inhibitor(self, app_id, flags):
        self.count += 1
        path = f"{SM_PATH}/Inhibitor{self.count}"
        self.mock("AddObject", "(ssa{sv}a(ssss))",
                  (path, INHIBITOR_IFACE, {},
                   [("GetAppId", "", "s", f"ret = {app_id!r}"),
                    ("GetFlags", "", "u", f"ret = dbus.UInt32({flags})")]))
        return path

    def set_inhibitors(self, paths):
        self.mock("AddMethod", "(sssss)",
                  (SM_IFACE, "GetInhibitors", "", "ao",
                   f"ret = [dbus.ObjectPath(p) for p in {paths!r}]"))

    def set_actions(self, actions):
        self.update(InhibitedActions=GLib.Variant("u", actions))


@logged
def inhibit_follows_inhibited_actions(session):
    sm = SessionManager(session)
    suspend = sm.add_inhibitor("org.gnome.Nautilus", 4)
    totem = sm.add_inhibitor("org.gnome.Totem", 8 | 4)
    sm.set_inhibitors([suspend, totem])
    watch = Watch(session, "inhibit")
    watch.wait_log("InhibitedActions: 0")  # read at start
    assert watch.last("hold") == "hold -"
    # idle inhibited: on, named after the first inhibitor whose flags have idle
    sm.set_actions(8 | 4)
    watch.wait("hold idle-inhibitor (org.gnome.Totem)")
    # suspend only: off
    sm.set_actions(4)
    watch.wait("hold -")
    sm.set_actions(8)
    watch.wait("hold idle-inhibitor (org.gnome.Totem)")
    # another app inhibits first, then Totem goes: the detail follows InhibitorAdded/Removed
    firefox = sm.add_inhibitor("firefox", 8)
    sm.set_inhibitors([suspend, firefox])
    sm.emit("InhibitorRemoved", "o", [GLib.Variant("o", totem)])
    watch.wait("hold idle-inhibitor (firefox)")
    # the session manager goes away: off
    sm.stop()
    watch.wait("hold -")
    # and comes back with idle inhibited: read at once
    sm = SessionManager(session, actions=8)
    watch.wait("hold idle-inhibitor")


@logged
def inhibit_read_at_start(session):
    sm = SessionManager(session, actions=8)
    sm.set_inhibitors([sm.add_inhibitor("org.gnome.Totem", 8)])
    watch = Watch(session, "inhibit")
    watch.wait("hold idle-inhibitor (org.gnome.Totem)")
    assert "InhibitedActions: 8" in watch.text(), "not read with Get"


@logged
def inhibit_without_gnome(session):
    watch = Watch(session, "inhibit")
    watch.wait_log("not a GNOME session")
    assert watch.last("hold") == "hold -"
    # said once, also when the name comes and goes
    sm = SessionManager(session, actions=0)
    watch.wait_log("watching idle inhibitors")
    sm.set_actions(8)
    watch.wait("hold idle-inhibitor")
    sm.stop()
    watch.wait("hold -")
    assert watch.text().count("not a GNOME session") == 1, watch.text()


@logged
def inhibit_hung_session_manager(session):
    sm = SessionManager(session, actions=8)
    with stopped(sm.proc.pid):
        watch = Watch(session, "inhibit")
        watch.wait_log("watching idle inhibitors")
        watch.answers()  # while its Get waits for an answer
        # the Get gives up after its timeout, and the sensor stays off
        watch.wait_log("cannot read InhibitedActions", timeout=CALL_TIMEOUT + WAIT)
        watch.answers()
        assert watch.last("hold") == "hold -"
    # it answers again: the next change gets through
    sm.set_actions(8)
    watch.wait("hold idle-inhibitor")
    sm.set_actions(0)
    watch.wait("hold -")


# --- camera: inotify on DIR/video* ---

class Cameras:
    """A directory of video* nodes and processes named "videocall" holding them open."""

    def __init__(self, session):
        self.session = session
        self.dir = os.path.join(session.tmp, "dev")
        os.makedirs(self.dir)
        self.program = os.path.join(session.tmp, "videocall")
        shutil.copy(shutil.which("sleep"), self.program)
        self.add("video0")

    def path(self, name):
        return os.path.join(self.dir, name)

    def add(self, name):
        with open(self.path(name), "w"):
            pass

    def hold(self, name):
        """A videocall holding @name open (from before it starts until it ends)."""
        with open(self.path(name)) as node:
            return self.session.processes.start([self.program, "600"], stdin=node)

    def release(self, proc):
        self.session.processes.stop(proc)


@logged
def camera_open_close(session):
    cams = Cameras(session)
    watch = Watch(session, "camera", cams.dir, str(int(SETTLE * 1000)))
    watch.wait_log("watching camera")
    assert watch.last("hold") == "hold -"
    # a short open (a prober) never holds
    proc = cams.hold("video0")
    watch.wait_log("camera open by")
    cams.release(proc)
    watch.wait_log("camera closed within the settle time")
    stays_false(lambda: watch.last("hold") != "hold -", SETTLE + 0.5, "a short open held")
    # a long one holds after the settle time, named after the process
    opened = time.monotonic()
    proc = cams.hold("video0")
    held = watch.wait("hold camera (videocall)", timeout=SETTLE + WAIT)
    assert held - opened >= SETTLE - 0.1, f"held after {held - opened:.2f} s"
    # closed: off at once
    closed = time.monotonic()
    cams.release(proc)
    off = watch.wait("hold -")
    assert off - closed < 1.0, f"off after {off - closed:.2f} s"


@logged
def camera_hotplug(session):
    cams = Cameras(session)
    watch = Watch(session, "camera", cams.dir, str(int(SETTLE * 1000)))
    watch.wait_log("watching camera")
    # a second camera plugged in later is watched
    cams.add("video1")
    watch.wait_log(f"watching camera '{cams.path('video1')}'")
    proc = cams.hold("video1")
    watch.wait("hold camera (videocall)", timeout=SETTLE + WAIT)
    # unplugged while in use: off
    os.unlink(cams.path("video1"))
    watch.wait("hold -")
    cams.release(proc)
    # a node that is not a camera is left alone
    cams.add("vbi0")
    proc = cams.hold("vbi0")
    stays_false(lambda: watch.last("hold") != "hold -", SETTLE + 0.5, "vbi0 held")
    cams.release(proc)


@logged
def camera_open_at_start(session):
    cams = Cameras(session)
    proc = cams.hold("video0")
    watch = Watch(session, "camera", cams.dir, str(int(SETTLE * 1000)))
    watch.wait("hold camera (videocall)", timeout=SETTLE + WAIT)
    cams.release(proc)
    watch.wait("hold -")


# --- GNOME's movement breaks: GSettings and org.gnome.Shell ScreenTime ---

def gnome_breaks_env(session, schema=True):
    """The keyfile GSettings backend in the private XDG_CONFIG_HOME and, if @schema, a schema
    dir with org.gnome.desktop.break-reminders."""
    session.env["GSETTINGS_BACKEND"] = "keyfile"
    if schema:
        schemas = os.path.join(session.tmp, "schemas")
        os.makedirs(schemas)
        shutil.copy(os.path.join(TOP_SRCDIR, "tests", "data",
                                 f"{BREAKS_SCHEMA}.gschema.xml"), schemas)
        subprocess.run(["glib-compile-schemas", "--strict", schemas], check=True, timeout=30)
        session.env["GSETTINGS_SCHEMA_DIR"] = schemas


def select_breaks(session, *breaks):
    """What Settings > Wellbeing does: writes selected-breaks (with the real gsettings)."""
    value = "[" + ", ".join(f"'{b}'" for b in breaks) + "]" if breaks else "@as []"
    subprocess.run(["gsettings", "set", BREAKS_SCHEMA, "selected-breaks", value],
                   env=session.env, check=True, timeout=30)


class Shell(Mock):
    """gnome-shell 48's ScreenTime: State (0 disabled, 1 active, 2 idle, 3 in break, 4 break
    due) and LastBreakEndTime."""

    def __init__(self, session, state):
        super().__init__(session, SHELL_NAME, SCREEN_TIME_PATH, SCREEN_TIME_IFACE)
        self.add_property("State", GLib.Variant("u", state))
        self.add_property("LastBreakEndTime", GLib.Variant("t", 0))
        self.set_state(state)  # (see SessionManager)

    def set_state(self, state):
        self.update(State=GLib.Variant("u", state), LastBreakEndTime=GLib.Variant("t", 0))


@logged
def gnome_breaks_both_on(session):
    gnome_breaks_env(session)
    select_breaks(session, "movement")
    shell = Shell(session, 1)
    watch = Watch(session, "gnome-breaks")
    watch.wait(WARNING)
    # movement breaks off in Settings: no warning
    select_breaks(session, "eyesight")
    watch.wait("warning -")
    select_breaks(session, "eyesight", "movement")
    watch.wait(WARNING)
    # the shell has them disabled, or in another state
    shell.set_state(0)
    watch.wait("warning -")
    shell.set_state(3)
    watch.wait(WARNING)
    # no shell: no warning
    shell.stop()
    watch.wait("warning -")
    shell = Shell(session, 4)
    watch.wait(WARNING)


@logged
def gnome_breaks_off(session):
    # selected, but the shell runs no breaks (GNOME 47 has the schema, not the feature)
    gnome_breaks_env(session)
    select_breaks(session, "movement")
    shell = Shell(session, 0)
    watch = Watch(session, "gnome-breaks")
    watch.wait_log("State: 0")
    # the shell runs breaks, but movement is not selected
    select_breaks(session)
    watch.wait_log("movement not selected")
    shell.set_state(1)
    watch.wait_log("State: 1")
    stays_false(lambda: watch.last("warning") is not None, 0.5, "a warning")


@logged
def gnome_breaks_no_schema(session):
    gnome_breaks_env(session, schema=False)
    Shell(session, 1)
    watch = Watch(session, "gnome-breaks")
    watch.wait_log(f"no GSettings schema {BREAKS_SCHEMA}")
    stays_false(lambda: watch.last("warning") is not None, 0.5, "a warning")


@logged
def gnome_breaks_hung_shell(session):
    gnome_breaks_env(session)
    select_breaks(session, "movement")
    shell = Shell(session, 1)
    watch = Watch(session, "gnome-breaks")
    watch.wait(WARNING)
    with stopped(shell.proc.pid):
        # the shell hangs: the settings are still heard
        select_breaks(session)
        watch.wait("warning -", timeout=ANSWER + 1)
        select_breaks(session, "movement")
        watch.wait(WARNING, timeout=ANSWER + 1)
        # a sensor started now waits for the shell's answer without blocking, then gives up
        watch2 = Watch(session, "gnome-breaks", log="hold-watch-2.log")
        watch2.answers()
        watch2.wait_log("org.gnome.Shell: no break reminders", timeout=CALL_TIMEOUT + WAIT)
        watch2.answers()
        assert watch2.last("warning") is None
    shell.set_state(1)
    watch2.wait(WARNING)


def main():
    run_tests([
        ("inhibit: InhibitedActions & 8 holds, 4 does not, owner gone",
         inhibit_follows_inhibited_actions),
        ("inhibit: read at start", inhibit_read_at_start),
        ("inhibit: not GNOME, said once; the name is watched", inhibit_without_gnome),
        ("inhibit: a hung session manager blocks nothing", inhibit_hung_session_manager),
        ("camera: a short open does not hold, a long one does, close ends it",
         camera_open_close),
        ("camera: hotplugged and unplugged nodes", camera_hotplug),
        ("camera: open before the start", camera_open_at_start),
        ("gnome-breaks: warning while selected and the shell runs them", gnome_breaks_both_on),
        ("gnome-breaks: no warning when either is off", gnome_breaks_off),
        ("gnome-breaks: no schema, no warning", gnome_breaks_no_schema),
        ("gnome-breaks: a hung shell blocks nothing", gnome_breaks_hung_shell),
    ], needs=("glib-compile-schemas", "gsettings"), x11=False)


if __name__ == "__main__":
    main()

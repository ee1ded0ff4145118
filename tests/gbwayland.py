# SPDX-License-Identifier: MIT
"""Harness for the tests on real sway (and mako): a private session where every peer and the
daemon run as one unprivileged user.

sway refuses to run as root, and a session bus started by a user refuses other users' clients
(test-peers.md §1). As root (CI) everything the test starts runs as the user `glutebreak-test`,
created if missing, through setpriv; the test itself talks to the bus as root, which the bus
config allows. As anyone else everything runs as that user. The user may not be able to read
the build tree (a clone under /root), so the daemon and its data are copied into the test's
temp dir, which belongs to the user.
"""

import os
import pwd
import shutil
import subprocess
import sys
import time

from gi.repository import Gio, GLib

import gbtest
from gbtest import Processes, Session, User, wait_for

PEER_USER = "glutebreak-test"

SWAY_CONFIG = "output HEADLESS-1 resolution 1024x768\nxwayland disable\n"


def peer_user():
    """(setpriv prefix, uid, gid) of the user the peers run as; creates it if root and missing."""
    if os.geteuid() != 0:
        return [], os.getuid(), os.getgid()
    try:
        entry = pwd.getpwnam(PEER_USER)
    except KeyError:
        subprocess.run(["useradd", "-m", PEER_USER], check=True, timeout=30)
        entry = pwd.getpwnam(PEER_USER)
    prefix = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups"]
    return prefix, entry.pw_uid, entry.pw_gid


class UserProcesses(Processes):
    """Starts everything as the peer user; the built daemon from its copy."""

    def __init__(self, prefix, replace):
        super().__init__()
        self.prefix = prefix
        self.replace = replace  # {path in the build tree: its copy}

    def start(self, argv, **kwargs):
        argv = [self.replace.get(argv[0], argv[0]), *argv[1:]]
        return super().start([*self.prefix, *argv], **kwargs)


class SwaySession(Session):
    """A private bus (as the peer user), no X11; start_sway() and start_mako() add the peers."""

    def __init__(self):
        self.prefix, self.uid, self.gid = peer_user()
        self.sway = None
        super().__init__(x11=False)

    def _base_env(self):
        env = super()._base_env()
        # the catalogue and the daemon copied where the peer user can read them
        share = os.path.join(self.tmp, "share", "glutebreak")
        catalogue = os.path.join(share, "exercises.ini")
        os.unlink(catalogue)
        shutil.copy(os.path.join(gbtest.TOP_SRCDIR, "data", "exercises.ini"), catalogue)
        bindir = os.path.join(self.tmp, "bin")
        os.mkdir(bindir)
        daemon = os.path.join(bindir, "glutebreak")
        shutil.copy(gbtest.DAEMON, daemon)
        lsan = env.get("LSAN_OPTIONS", "")
        if "suppressions=" in lsan:
            supp = os.path.join(self.tmp, "lsan.supp")
            shutil.copy(os.path.join(gbtest.TOP_SRCDIR, "tests", "lsan.supp"), supp)
            env["LSAN_OPTIONS"] = ",".join(
                f"suppressions={supp}" if o.startswith("suppressions=") else o
                for o in lsan.split(","))
        if self.prefix:
            for root, dirs, files in os.walk(self.tmp):
                for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    os.lchown(name, self.uid, self.gid)
        self.processes = UserProcesses(self.prefix, {gbtest.DAEMON: daemon})
        return env

    def _bus_config(self):
        # tests/session.conf, plus: any user may connect (the test itself is root in CI)
        with open(super()._bus_config()) as f:
            text = f.read()
        text = text.replace('<policy context="default">',
                            '<policy context="default">\n    <allow user="*"/>', 1)
        config = os.path.join(self.tmp, "session.conf")
        with open(config, "w") as f:
            f.write(text)
        return config

    def run(self, *argv, check=True):
        """Runs a short client as the peer user; returns its stdout."""
        done = subprocess.run([*self.prefix, *argv], env=self.env, check=check,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=10)
        return done.stdout

    def start_sway(self):
        """sway 1.7 headless; sets WAYLAND_DISPLAY and SWAYSOCK in self.env."""
        config = os.path.join(self.tmp, "sway.conf")
        with open(config, "w") as f:
            f.write(SWAY_CONFIG)
        runtime = self.env["XDG_RUNTIME_DIR"]
        before = set(os.listdir(runtime))
        env = dict(self.env, WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1",
                   WLR_RENDERER="pixman")
        self.sway_log = open(os.path.join(self.tmp, "sway.log"), "w")
        self.sway = self.processes.start(["sway", "-c", config], env=env,
                                         stdout=self.sway_log, stderr=subprocess.STDOUT)

        def sockets():
            if self.sway.poll() is not None:
                raise AssertionError(f"sway exited ({self.sway.returncode}): "
                                     f"{open(self.sway_log.name).read()[-2000:]}")
            names = set(os.listdir(runtime)) - before
            wayland = [n for n in names if n.startswith("wayland-") and "." not in n]
            ipc = [n for n in names if n.startswith("sway-ipc.")]
            return (wayland[0], ipc[0]) if wayland and ipc else None

        display, ipc = wait_for(sockets, 10, "sway's sockets")
        self.env["WAYLAND_DISPLAY"] = display
        self.env["SWAYSOCK"] = os.path.join(runtime, ipc)
        # answers on its IPC socket: set up and running its loop
        wait_for(lambda: self.run("swaymsg", "-t", "get_outputs", check=False).strip(), 10,
                 "sway's IPC")

    def close(self):
        super().close()
        for name in ("sway_log", "mako_log"):
            if hasattr(self, name):
                getattr(self, name).close()

    def wtype(self, text="x"):
        self.run("wtype", text)

    def start_mako(self):
        """mako on sway as the notification server; returns a Mako observer."""
        config = os.path.join(self.tmp, "mako.conf")
        with open(config, "w") as f:
            f.write("default-timeout=0\nmax-visible=5\n")
        self.mako_log = open(os.path.join(self.tmp, "mako.log"), "w")
        self.mako = self.processes.start(["mako", "-c", config], env=self.env,
                                         stdout=self.mako_log, stderr=subprocess.STDOUT)
        wait_for(lambda: self.has_owner(gbtest.NOTIFY_NAME), 10, "mako on the bus")
        return Mako(self)


class Typist(User):
    """Someone at sway's keyboard: a key every @interval s, through wtype."""

    def input(self, step):
        self.session.wtype("x")


class Mako:
    """What mako shows, as its own D-Bus API lists it; clicks go through makoctl."""

    def __init__(self, session):
        self.session = session
        self.first_seen = {}  # id -> monotonic time it was first listed

    def listed(self):
        """{id: notification dict} of what is on screen now."""
        reply = self.session.bus.call_sync(
            gbtest.NOTIFY_NAME, "/fr/emersion/Mako", "fr.emersion.Mako", "ListNotifications",
            None, GLib.VariantType("(aa{sv})"), Gio.DBusCallFlags.NONE, 5000, None)
        now = time.monotonic()
        shown = {n["id"]: n for n in reply.unpack()[0]}
        for nid in shown:
            self.first_seen.setdefault(nid, now)
        return shown

    def ids(self):
        """Every id seen so far, in order."""
        self.listed()
        return sorted(self.first_seen, key=self.first_seen.get)

    def wait_new(self, count, timeout):
        """Waits until @count different notifications have been seen; returns (time, id)."""
        wait_for(lambda: len(self.ids()) >= count, timeout, f"notification #{count} on mako",
                 interval=0.05)
        nid = self.ids()[count - 1]
        return self.first_seen[nid], nid

    def makoctl(self, *args):
        self.session.run("makoctl", *args)


def run_tests(tests, needs=(), session_class=SwaySession):
    """gbtest.run_tests with a SwaySession (or @session_class, a subclass) for every test."""
    for program in ("dbus-daemon", *needs):
        if shutil.which(program) is None:
            gbtest.skip_all(f"{program} is not installed")
    if not os.access(gbtest.DAEMON, os.X_OK):
        gbtest.skip_all(f"{gbtest.DAEMON} is not built")
    try:
        peer_user()
    except (OSError, subprocess.SubprocessError) as error:
        gbtest.skip_all(f"cannot create the user {PEER_USER}: {error}")
    tap = gbtest.Tap()
    for name, function in tests:
        def one(function=function):
            with session_class() as session:
                try:
                    function(session)
                except BaseException:
                    gbtest.print_logs(session, [("daemon", "glutebreak.log"), ("sway", "sway.log"),
                                                ("mako", "mako.log")], lines=40)
                    raise
        tap.run(name, one)
    sys.exit(tap.finish())


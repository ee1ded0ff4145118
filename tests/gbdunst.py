# SPDX-License-Identifier: MIT
"""dunst 1.9 as the notification server of a test, on the session's Xvfb display."""

import os
import shlex
import signal
import subprocess

from gbtest import TOP_SRCDIR, need, wait_for

NOTIFY_IFACE = "org.freedesktop.Notifications"


class Dunst:
    """dunst -config tests/dunstrc, its action menu answered by tests/dunst-pick.sh."""

    def __init__(self, session):
        need("dunst", "dunstctl", "dbus-send")
        self.session = session
        self.pick_path = os.path.join(session.tmp, "dunst-pick")
        self.menu_path = os.path.join(session.tmp, "dunst-menu")
        self.config = os.path.join(session.tmp, "dunstrc")
        picker = "/bin/sh " + shlex.quote(os.path.join(TOP_SRCDIR, "tests", "dunst-pick.sh"))
        with open(os.path.join(TOP_SRCDIR, "tests", "dunstrc")) as f:
            text = f.read()
        assert "@DMENU@" in text
        with open(self.config, "w") as f:
            f.write(text.replace("@DMENU@", picker))
        self.pick("none")
        env = dict(session.env, GB_DUNST_PICK=self.pick_path, GB_DUNST_MENU=self.menu_path)
        self.log = open(os.path.join(session.tmp, "dunst.log"), "w")
        self.proc = session.processes.start(["dunst", "-config", self.config], env=env,
                                            stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: session.has_owner(NOTIFY_IFACE) or self.proc.poll() is not None,
                 10, "dunst on the bus")
        assert self.proc.poll() is None, "dunst exited"

    def pick(self, key):
        """The action the user will choose in the next menu."""
        with open(self.pick_path + ".tmp", "w") as f:
            f.write(key)
        os.replace(self.pick_path + ".tmp", self.pick_path)

    def ctl(self, *args):
        return subprocess.run(["dunstctl", *args], env=self.session.env, check=True,
                              stdout=subprocess.PIPE, text=True, timeout=10).stdout.strip()

    def displayed(self):
        return int(self.ctl("count", "displayed"))

    def freeze(self):
        """dunst stops answering: its D-Bus calls wait (libnotify's for 25 s)."""
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.proc.send_signal(signal.SIGCONT)

    def menu(self):
        if not os.path.exists(self.menu_path):
            return []
        with open(self.menu_path) as f:
            return f.read().splitlines()

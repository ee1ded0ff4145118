#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Holds end to end on GNOME (DESIGN.md rule 10): the real daemon under the real mutter 43 as
the X11 window manager on Xvfb (its IdleMonitor is the idle source, xdotool the user).

- GNOME's do-not-disturb is the GSettings key org.gnome.desktop.notifications show-banners,
  here on the keyfile backend (a copy of the real schema in a private schema dir), flipped
  with the real gsettings tool; the notification server is python3-dbusmock's, answering
  GetServerInformation as "gnome-shell" (no gnome-shell runs headless here).
- A real xlogo window made fullscreen by mutter (wmctrl) holds through _NET_WM_STATE.
- GNOME 48's own movement breaks (org.gnome.desktop.break-reminders, a copy from tests/data,
  and a python3-dbusmock org.gnome.Shell ScreenTime) give a warning in the log, once, and in
  the status.

Timings: sit-limit 4 s, break-length 2 s, repeat 3 s, after-hold 2 s."""

import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gi.repository import GLib  # noqa: E402

from gbdesktop import Mock, Window  # noqa: E402
from gbmutter import Mutter  # noqa: E402
from gbtest import (TOP_BUILDDIR, TOP_SRCDIR, Daemon, NotificationServer, User,  # noqa: E402
                    run_tests, stays_false, wait_for)
from scenario import SLACK, SIT_LIMIT, config  # noqa: E402

CTL = os.path.join(TOP_BUILDDIR, "src", "glutebreakctl")
AFTER_HOLD = 2  # s
REPEAT = 3  # s
CONFIG = config("mutter", repeat=f"{REPEAT}s", sections=f"[hold]\nafter-hold = {AFTER_HOLD}s\n\n")
NOTIFICATIONS = "org.gnome.desktop.notifications"
BREAKS = "org.gnome.desktop.break-reminders"
# gsettings-desktop-schemas schemas/org.gnome.desktop.notifications.gschema.xml.in, reduced
# to the key the daemon reads
NOTIFICATIONS_SCHEMA = f"""<schemalist>
  <schema id="{NOTIFICATIONS}" path="/org/gnome/desktop/notifications/">
    <key name="show-banners" type="b"><default>true</default></key>
  </schema>
</schemalist>
"""


def gsettings_env(session):
    """The keyfile backend in the session's XDG_CONFIG_HOME, with both schemas."""
    schemas = os.path.join(session.tmp, "schemas")
    os.makedirs(schemas)
    with open(os.path.join(schemas, f"{NOTIFICATIONS}.gschema.xml"), "w") as f:
        f.write(NOTIFICATIONS_SCHEMA)
    shutil.copy(os.path.join(TOP_SRCDIR, "tests", "data", f"{BREAKS}.gschema.xml"), schemas)
    subprocess.run(["glib-compile-schemas", "--strict", schemas], check=True, timeout=30)
    os.makedirs(os.path.join(session.env["XDG_CONFIG_HOME"], "glib-2.0", "settings"))
    session.env.update(GSETTINGS_BACKEND="keyfile", GSETTINGS_SCHEMA_DIR=schemas)


def gsettings(session, schema, key, value):
    subprocess.run(["gsettings", "set", schema, key, value], env=session.env, check=True,
                   timeout=30)


def status(session):
    proc = subprocess.run([CTL, "status", "--json"], env=session.env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=10)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def wait_hold(session, hold, timeout=10):
    wait_for(lambda: status(session)["hold"] == hold, timeout, f"hold {hold!r}")


def test_gnome(session):
    gsettings_env(session)
    gsettings(session, NOTIFICATIONS, "show-banners", "false")  # do-not-disturb
    gsettings(session, BREAKS, "selected-breaks", "['movement']")
    shell = Mock(session, "org.gnome.Shell", "/org/gnome/Shell/ScreenTime",
                 "org.gnome.Shell.ScreenTime")
    shell.add_property("State", GLib.Variant("u", 1))  # active
    shell.add_property("LastBreakEndTime", GLib.Variant("t", 0))
    server = NotificationServer(session, name="gnome-shell")
    Mutter(session, "x11")
    user = User(session)
    user.start()
    daemon = Daemon(session, CONFIG)
    try:
        daemon.wait_log("idle backend: mutter")
        wait_hold(session, "do-not-disturb (gnome-shell)")
        # GNOME's own movement breaks: said once in the log, and in the status
        wait_for(lambda: "GNOME's own movement breaks are on too" in status(session)["warning"],
                 10, "the warning in the status")
        assert daemon.text().count("GNOME's own movement breaks are on too") == 1, daemon.text()
        stays_false(lambda: server.notifies(), SIT_LIMIT + SLACK, "a reminder under DND")
        # the user turns do-not-disturb off in the shell
        gsettings(session, NOTIFICATIONS, "show-banners", "true")
        ended = time.monotonic()
        wait_hold(session, "")
        t, _ = server.wait_notify(1, AFTER_HOLD + SLACK)
        assert t - ended >= AFTER_HOLD - 0.3, t - ended
        # a fullscreen window holds the repeats
        window = Window(session, "slides")
        window.activate()
        window.fullscreen(True)
        wait_hold(session, "fullscreen (XLogo)")
        held = len(server.notifies())
        stays_false(lambda: len(server.notifies()) > held, REPEAT + SLACK,
                    "a repeat over a fullscreen window")
        window.fullscreen(False)
        ended = time.monotonic()
        wait_hold(session, "")
        t, _ = server.wait_notify(held + 1, AFTER_HOLD + SLACK)
        assert t - ended >= AFTER_HOLD - 0.3, t - ended
        # GNOME's breaks turned off in Settings: the warning goes
        gsettings(session, BREAKS, "selected-breaks", "@as []")
        wait_for(lambda: status(session)["warning"] == "", 10, "the warning to go")
    finally:
        user.stop()
    daemon.exits_on_sigterm()


if __name__ == "__main__":
    run_tests([("GNOME: do-not-disturb, a fullscreen window, GNOME's own breaks", test_gnome)],
              needs=("mutter", "xdotool", "xlogo", "wmctrl", "gsettings",
                     "glib-compile-schemas"))

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The real daemon against the real mutter 43, twice: as the X11 window manager on Xvfb
(input: xdotool) and as a headless Wayland compositor (input: its RemoteDesktop API).
The config says backend = auto: the daemon must pick mutter by itself, also under
Wayland where mutter offers no ext-idle-notify. Notifications go to python3-dbusmock's
notification server, gnome-session's InhibitedActions to a python3-dbusmock object. The
scenario every desktop runs is tests/scenario.py's.

Tolerances: mutter fires a 2 s idle watch 2-20 ms late and an active watch 2-30 ms after
the input; scenario.SLACK is for a loaded CI machine."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gbmutter import Mutter, SessionManager, make_user, run  # noqa: E402
from gbtest import (DAEMON, PYTHON, Daemon, NotificationServer, stays_false,  # noqa: E402
                    stopped, wait_for)
import scenario  # noqa: E402
from scenario import SLACK  # noqa: E402

# one reminder per bout: repeat and snooze far beyond any test
CONFIG = scenario.config("auto")


def desktop(session, mode, inhibitor=False):
    """A notification server, mutter (after the session manager mock if @inhibitor), and
    the daemon. The daemon gets WAYLAND_DISPLAY under Wayland."""
    server = NotificationServer(session)
    manager = SessionManager(session) if inhibitor else None
    mutter = Mutter(session, mode)
    extra = {"WAYLAND_DISPLAY": "wayland-0"} if mode == "wayland" else {}
    return server, manager, mutter, extra


def list_backends(session, extra):
    out = subprocess.run([DAEMON, "--list-backends"], env=dict(session.env, **extra),
                         check=True, capture_output=True, text=True, timeout=30).stdout
    return out.splitlines()[0]


def test_list_backends(session, mode):
    extra = {"WAYLAND_DISPLAY": "wayland-0"} if mode == "wayland" else {}
    line = list_backends(session, extra)
    assert line == ("mutter   neither org.gnome.Mutter.IdleMonitor nor "
                    "org.cinnamon.Muffin.IdleMonitor is on the session bus"), line
    Mutter(session, mode)
    line = list_backends(session, extra)
    assert line == "mutter   available (chosen)", line


def test_broken_idle_monitor(session, mode):
    """Something owns mutter's name but cannot answer: auto goes on to the next source."""
    assert mode == "x11"
    name, path = "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core"
    session.processes.start([PYTHON, "-m", "dbusmock", name, path, name], env=session.env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: session.has_owner(name), 10, "the stand-in idle monitor")
    line = list_backends(session, {})
    assert line.startswith("mutter   org.gnome.Mutter.IdleMonitor does not answer GetIdletime: "
                           "'"), line
    daemon = Daemon(session, CONFIG)
    daemon.wait_log("idle backend: x11 (rejected mutter: org.gnome.Mutter.IdleMonitor does not "
                    "answer GetIdletime")
    assert daemon.stop() == 0, daemon.text()


def sitting(session, mode, config=CONFIG):
    """desktop(), someone sitting at it, and the daemon started after them."""
    server, _manager, mutter, extra = desktop(session, mode)
    return scenario.Sitting(session, server, make_user(session, mode), config,
                            backend="mutter", peer=mutter, extra_env=extra)


def test_sitting_and_breaks(session, mode):
    scenario.reminder_break_and_next_bout(sitting(session, mode))


def test_short_pause_keeps_bout(session, mode):
    scenario.short_pause_keeps_bout(sitting(session, mode))


def test_mutter_restart(session, mode):
    desk = sitting(session, mode, scenario.config("auto", sit_limit=30))
    server, user, daemon = desk
    # killed: timers only, one warning, no spinning on the dead watches
    lost = scenario.idle_source_lost(desk, desk.peer.kill, "mutter")
    # a new mutter gets the watches back
    desk.peer.start()
    daemon.wait_log("idle source 'mutter' is back")
    user.connect()
    user.start()
    typing = time.monotonic()
    wait_for(lambda: time.monotonic() - typing > 1, 5, "1 s of input after the restart")
    breaks = daemon.text().count("break (natural)")
    last_input = user.stop()
    daemon.wait_log("break (natural)", timeout=2 + SLACK, count=breaks + 1)
    assert time.monotonic() - last_input >= 2 - 0.3
    assert len(scenario.warnings(daemon, lost)) == 1, scenario.warnings(daemon, lost)
    assert not server.notifies()
    assert daemon.stop() == 0, daemon.text()  # and nothing leaked (sanitizer builds)


def test_reload_new_threshold(session, mode):
    _server, user, daemon = sitting(session, mode, scenario.config("auto", break_length=3))
    # a new threshold: the monitor is stopped and started again, on the same connection
    daemon.write_config(scenario.config("auto", break_length=1))
    daemon.wait_log("settings reloaded from")
    last_input = user.stop()
    daemon.wait_log("break (natural)", timeout=1 + SLACK)
    assert 1 - 0.3 <= time.monotonic() - last_input < 3 - 0.3, time.monotonic() - last_input
    # the source was kept, not started again
    assert daemon.text().count("idle backend:") == 1, daemon.text()
    assert daemon.stop() == 0, daemon.text()


def test_mutter_stopped_at_start(session, mode):
    """mutter holds its name but stopped answering: the daemon neither waits for it at
    start-up nor keeps it."""
    assert mode == "x11"
    _server, _manager, mutter, _extra = desktop(session, mode)
    with stopped(mutter.proc.pid):
        daemon = Daemon(session, CONFIG)
        assert time.monotonic() - daemon.started < 1, daemon.text()
        daemon.wait_log("idle backend: x11 (rejected mutter: no answer within 5 s;",
                        timeout=5 + SLACK)
        daemon.exits_on_sigterm()


def test_inhibitor(session, mode):
    server, manager, mutter, extra = desktop(session, mode, inhibitor=True)
    user = make_user(session, mode)
    daemon = Daemon(session, CONFIG, extra_env=extra)
    daemon.wait_log("idle backend: mutter")
    # nobody there: a break, and IDLE reported
    daemon.wait_log("break (natural)", timeout=2 + SLACK)
    # a video starts playing; input while it plays ends the break ...
    manager.inhibit_idle(mutter, True)
    user.connect()
    user.key()
    pressed = time.monotonic()
    # ... and watching it with no input for longer than break-length is still sitting:
    # no break invented, and the reminder comes sit-limit after the key press
    stays_false(lambda: daemon.text().count("break (") > 1 or server.notifies(), 4 - 0.5,
                "a break or a reminder too early while inhibited")
    t, _n = server.wait_notify(1, 0.5 + SLACK)
    assert t - pressed >= 4 - 0.5, t - pressed
    assert daemon.text().count("break (") == 1, daemon.text()
    # the video ends: a break begins there, detected break-length later
    manager.inhibit_idle(mutter, False)
    ended = time.monotonic()
    wait_for(lambda: server.calls("CloseNotification"), 2 + SLACK, "the reminder withdrawn")
    closed = server.calls("CloseNotification")[0][0]
    assert closed - ended >= 2 - 0.3, closed - ended
    daemon.wait_log("break (natural)", count=2)
    # an inhibitor that comes and goes with nobody there makes mutter fire the idle watch
    # again: that is not a second idle period
    idle_reports = daemon.text().count("idle since")
    manager.inhibit_idle(mutter, True)
    manager.inhibit_idle(mutter, False)
    daemon.wait_log("idle watch fired again without input", timeout=2 + SLACK)
    assert daemon.text().count("idle since") == idle_reports, daemon.text()
    assert daemon.text().count("break (") == 2, daemon.text()
    assert daemon.stop() == 0, daemon.text()


if __name__ == "__main__":
    run([
        ("--list-backends says why not, then picks mutter", test_list_backends, "x11"),
        ("an idle monitor that cannot answer: auto goes on to x11", test_broken_idle_monitor,
         "x11"),
        ("picks mutter; sitting, break, new bout", test_sitting_and_breaks, "x11"),
        ("a short pause keeps the bout", test_short_pause_keeps_bout, "x11"),
        ("mutter killed: timers only, no spinning; restarted: watches back",
         test_mutter_restart, "x11"),
        ("reload with a new break-length replaces the idle watch, keeps the source",
         test_reload_new_threshold, "x11"),
        ("mutter stopped at start-up: not waited for, x11 instead", test_mutter_stopped_at_start,
         "x11"),
        ("picks mutter; sitting, break, new bout", test_sitting_and_breaks, "wayland"),
        ("a short pause keeps the bout", test_short_pause_keeps_bout, "wayland"),
        ("mutter killed: timers only, no spinning; restarted: watches back",
         test_mutter_restart, "wayland"),
        ("idle inhibitor: sitting while inhibited, break after it", test_inhibitor, "x11"),
        ("idle inhibitor: sitting while inhibited, break after it", test_inhibitor, "wayland"),
    ])

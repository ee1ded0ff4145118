#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The real daemon on real KWin 5.27 (kwin_wayland --virtual): [idle] backend = auto must find
the Wayland backend by itself and bind ext_idle_notifier_v1 (version 1 in KWin 5.27), not the
org_kde_kwin_idle that KWin offers too. The user is tests/kwin-fake-input
(org_kde_kwin_fake_input); notifications go to a python3-dbusmock server.

Tolerances: KWin's idle timers are Qt timers, coarse by about 5 %: a 2 s timeout fires anywhere
in 1.90-2.11 s (reference/test-peers.md §2). SLACK is for a loaded CI machine."""

import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gbtest import (TOP_BUILDDIR, Daemon, LineProcess, NotificationServer, PeerUser,  # noqa: E402
                    Skip, run_tests, stays_false, wait_for)

SLACK = 1.5  # s
KWIN_EARLY = 0.15  # s: how much sooner than asked a KWin idle timeout may fire (2 s * 5 %)
FAKE_INPUT = os.path.join(TOP_BUILDDIR, "tests", "kwin-fake-input")
SOCKET = "glutebreak-kwin"

CONFIG = """\
[timing]
sit-limit = 4s
break-length = 2s
repeat = 10m
snooze = 10m

[idle]
backend = auto
"""


class KWin:
    """kwin_wayland --virtual on a socket of the session's runtime dir, and a fake-input
    client connected to it (reference/test-peers.md §2)."""

    def __init__(self, session):
        installed = shutil.which("kwin_wayland")
        if installed is None:
            raise Skip("kwin_wayland is not installed")
        if not os.access(FAKE_INPUT, os.X_OK):
            raise Skip(f"{FAKE_INPUT} is not built")
        # /usr/bin/kwin_wayland carries file capability cap_sys_resource, which a container
        # cannot grant (exec fails with EPERM); a copy carries none
        copy = os.path.join(session.tmp, "kwin_wayland")
        shutil.copy(installed, copy)
        env = dict(session.env)
        env.pop("QT_QPA_PLATFORM", None)
        env.update(KWIN_COMPOSE="Q", KWIN_WAYLAND_NO_PERMISSION_CHECKS="1")
        self.session = session
        self.log_path = os.path.join(session.tmp, "kwin.log")
        with open(self.log_path, "w") as log:
            self.proc = session.processes.start(
                [copy, "--virtual", "--width", "1024", "--height", "768", "--no-lockscreen",
                 "--no-global-shortcuts", "--no-kactivities", "--socket", SOCKET],
                env=env, stdout=log, stderr=subprocess.STDOUT)
        socket = os.path.join(env["XDG_RUNTIME_DIR"], SOCKET)
        wait_for(lambda: os.path.exists(socket) or self.proc.poll() is not None, 30,
                 "KWin's socket")
        self.check_alive()
        session.env["WAYLAND_DISPLAY"] = SOCKET
        self.input = LineProcess(session, [FAKE_INPUT], dict(session.env), "kwin-fake-input",
                                 timeout=30)
        if not self.input.first_line.startswith("ready"):
            raise AssertionError(f"kwin-fake-input: {self.input.first_line!r}")

    def check_alive(self):
        if self.proc.poll() is not None:
            with open(self.log_path) as f:
                raise AssertionError(f"KWin exited ({self.proc.returncode}): {f.read()}")

    def kill(self):
        self.session.processes.stop(self.proc, signal.SIGKILL)


def sitting(session):
    """KWin, a notification server, someone moving the mouse, and the daemon started after."""
    kwin = KWin(session)
    server = NotificationServer(session)
    user = PeerUser(session, kwin.input, "move 1 1")
    user.start()
    daemon = Daemon(session, CONFIG)
    daemon.wait_log("idle backend: wayland")
    return kwin, server, user, daemon


def test_reminder_break_and_next_bout(session):
    kwin, server, user, daemon = sitting(session)
    # auto found the Wayland backend, and of KWin's two idle protocols took ext
    daemon.wait_log("wayland idle: ext_idle_notifier_v1 version 1 ")
    assert "wayland idle: org_kde_kwin_idle" not in daemon.text(), daemon.text()
    # sitting: nothing before sit-limit, then exactly one reminder
    stays_false(lambda: server.notifies(), 4 - 0.3, "a reminder before sit-limit")
    t, _n = server.wait_notify(1, SLACK)
    assert t - daemon.started >= 4 - 0.3, t - daemon.started
    stays_false(lambda: len(server.notifies()) > 1, 2, "a second reminder")
    # away for break-length: the reminder is withdrawn, the break logged
    last_input = user.stop()
    wait_for(lambda: server.calls("CloseNotification"), 2 + SLACK, "the reminder withdrawn")
    closed = server.calls("CloseNotification")[0][0]
    assert closed - last_input >= 2 - KWIN_EARLY - 0.1, closed - last_input
    daemon.wait_log("break (natural)")
    # still away: nothing new
    stays_false(lambda: len(server.notifies()) > 1, 2, "a reminder during the break")
    # back: the next reminder needs a full sit-limit from the first input
    user.start()
    back = user.last_input
    stays_false(lambda: len(server.notifies()) > 1, 4 - 0.5, "a reminder too early")
    t, _n = server.wait_notify(2, 0.5 + SLACK)
    assert t - back >= 4 - 0.5, t - back
    assert daemon.text().count("break (") == 1, daemon.text()
    user.stop()


def test_short_pause_keeps_bout(session):
    kwin, server, user, daemon = sitting(session)
    # read for 1 s (under break-length, even for KWin's early timers) in the middle of the bout
    wait_for(lambda: time.monotonic() - daemon.started > 1, 5, "1 s of sitting")
    pause_until = user.stop() + 1.0
    stays_false(lambda: server.notifies(), pause_until - time.monotonic(),
                "a reminder during the pause")
    user.start()
    t, _n = server.wait_notify(1, 4 + SLACK)
    # counted from the daemon's start, not from the end of the pause
    assert t - daemon.started < 4 + SLACK, t - daemon.started
    assert "break (" not in daemon.text(), daemon.text()
    user.stop()


def test_kwin_killed(session):
    kwin, server, user, daemon = sitting(session)
    user.stop()
    before = len(daemon.text())
    kwin.kill()
    daemon.wait_log("idle source 'wayland' went away")
    # alive, not spinning on the dead connection, and said so once
    cpu = daemon.cpu_seconds()
    stays_false(lambda: daemon.proc.poll() is not None, 1.5, "the daemon exited")
    assert daemon.cpu_seconds() - cpu < 0.1, daemon.cpu_seconds() - cpu
    text = daemon.text()[before:]
    warnings = [line for line in text.splitlines() if "-WARNING **" in line]
    assert len(warnings) == 1 and "idle source 'wayland' went away; reminding on timers only" \
        in warnings[0], warnings
    # and still reminding, on timers
    server.wait_notify(1, 4 + SLACK)
    assert daemon.proc.poll() is None


if __name__ == "__main__":
    run_tests([
        ("auto picks ext-idle-notify v1 on KWin; one reminder, a break, a full new bout",
         test_reminder_break_and_next_bout),
        ("short pause keeps the bout", test_short_pause_keeps_bout),
        ("KWin killed: reported once, no spinning, timer-only", test_kwin_killed),
    ], needs=("kwin_wayland", "dbus-daemon"), x11=False)

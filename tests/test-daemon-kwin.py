#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The real daemon on real KWin 5.27 (kwin_wayland --virtual): [idle] backend = auto must find
the Wayland backend by itself and bind ext_idle_notifier_v1 (version 1 in KWin 5.27), not the
org_kde_kwin_idle that KWin offers too. The user is tests/kwin-fake-input
(org_kde_kwin_fake_input); notifications go to a python3-dbusmock server.

Tolerances: KWin's idle timers are Qt timers, coarse by about 5 %: a 2 s timeout fires anywhere
in 1.90-2.11 s (reference/test-peers.md §2), hence KWIN_EARLY. The scenario itself (nothing
before sit-limit, a break, a short pause, the source killed) is tests/scenario.py's."""

import os
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gbtest import (TOP_BUILDDIR, LineProcess, NotificationServer, PeerUser, Skip,  # noqa: E402
                    run_tests, wait_for)
import scenario  # noqa: E402

KWIN_EARLY = 0.15  # s: how much sooner than asked a KWin idle timeout may fire (2 s * 5 %)
FAKE_INPUT = os.path.join(TOP_BUILDDIR, "tests", "kwin-fake-input")
SOCKET = "glutebreak-kwin"

CONFIG = scenario.config("auto")


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
    user = PeerUser(session, kwin.input, "move 1 1")
    return scenario.Sitting(session, NotificationServer(session), user, CONFIG,
                            backend="wayland", early=KWIN_EARLY, peer=kwin)


def test_reminder_break_and_next_bout(session):
    desk = sitting(session)
    # auto found the Wayland backend, and of KWin's two idle protocols took ext
    desk.daemon.wait_log("wayland idle: ext_idle_notifier_v1 version 1 ")
    assert "wayland idle: org_kde_kwin_idle" not in desk.daemon.text(), desk.daemon.text()
    scenario.reminder_break_and_next_bout(desk)


def test_short_pause_keeps_bout(session):
    scenario.short_pause_keeps_bout(sitting(session))


def test_kwin_killed(session):
    desk = sitting(session)
    scenario.idle_source_killed(desk, desk.peer.kill, "wayland")


if __name__ == "__main__":
    run_tests([
        ("auto picks ext-idle-notify v1 on KWin; one reminder, a break, a full new bout",
         test_reminder_break_and_next_bout),
        ("short pause keeps the bout", test_short_pause_keeps_bout),
        ("KWin killed: reported once, no spinning, timer-only", test_kwin_killed),
    ], needs=("kwin_wayland", "dbus-daemon"), x11=False)

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The real daemon against tests/test-compositor, the in-tree compositor that offers
ext_idle_notifier_v1 version 2 (no compositor in Debian 12 does).

Idle inhibitors (src/idle-wayland.c, DESIGN.md rule 7): a playing video is still sitting, so
the break-length notification is an ordinary one that an inhibitor holds back; but input during
the video must not be missed, so the activity watch is version 2's get_input_idle_notification.

It also runs the scenario every desktop runs (tests/scenario.py).

Tolerances: the test compositor's timers are exact to a millisecond; SLACK is for a loaded CI
machine."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gbtest import (TOP_BUILDDIR, Daemon, LineProcess, NotificationServer,  # noqa: E402
                    PeerUser, Skip, run_tests, stays_false, stopped, wait_for)
import scenario  # noqa: E402
from scenario import SLACK  # noqa: E402

COMPOSITOR = os.path.join(TOP_BUILDDIR, "tests", "test-compositor")

CONFIG = scenario.config("wayland")


class Compositor:
    """tests/test-compositor on a socket of the session's runtime dir."""

    def __init__(self, session):
        if not os.access(COMPOSITOR, os.X_OK):
            raise Skip(f"{COMPOSITOR} is not built")
        self.peer = LineProcess(session, [COMPOSITOR], dict(session.env), "test-compositor")
        words = self.peer.first_line.split()
        if len(words) != 2 or words[0] != "ready":
            raise AssertionError(f"test-compositor: {self.peer.first_line!r}")
        session.env["WAYLAND_DISPLAY"] = words[1]

    def command(self, text):
        reply = self.peer.command(text)
        if reply != "ok":
            raise AssertionError(f"test-compositor: {text!r}: {reply!r}")

    def exit(self):
        """Ends its input: it exits, and the daemon loses its connection."""
        self.peer.close()

    def status(self):
        """{"notifications": live objects, "input-idle": how many of them are input-idle
        ones, "idle": how many are idle now}"""
        words = self.peer.command("status").split()
        return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}


def sitting(session):
    """The compositor, a notification server, someone typing, and the daemon started after."""
    compositor = Compositor(session)
    user = PeerUser(session, compositor.peer, "input")
    return scenario.Sitting(session, NotificationServer(session), user, CONFIG,
                            backend="wayland", peer=compositor)


def first_notification_id(server):
    """The id the server gave the first Notify (the dbusmock template counts from 1)."""
    assert server.notifies()[0][1]["replaces"] == 0
    return 1


def test_reminder_break_and_next_bout(session):
    scenario.reminder_break_and_next_bout(sitting(session))


def test_short_pause_keeps_bout(session):
    scenario.short_pause_keeps_bout(sitting(session))


def test_notifications(session):
    desk = sitting(session)
    compositor = desk.peer
    server, user, daemon = desk
    daemon.wait_log("wayland idle: ext_idle_notifier_v1 version 2 (a video is sitting; "
                    "input seen through inhibitors)")
    # one notification at break-length, an ordinary one (inhibitors hold it back)
    assert compositor.status() == {"notifications": 1, "input-idle": 0, "idle": 0}, \
        compositor.status()
    t, _n = server.wait_notify(1, 4 + SLACK)
    assert t - daemon.started >= 4 - 0.3, t - daemon.started
    # "Done": the daemon watches for the next input with an input-idle notification
    user.stop()
    server.invoke(first_notification_id(server), "done")
    daemon.wait_log("break (done)")
    wait_for(lambda: compositor.status()["notifications"] == 2, SLACK,
             "a second notification to watch for input")
    assert compositor.status()["input-idle"] == 1, compositor.status()
    wait_for(lambda: compositor.status()["idle"] >= 1, SLACK, "the activity watch idle")
    # the next input ends the watch and starts a new bout: a full sit-limit from it
    compositor.command("input")
    back = time.monotonic()
    user.start()
    wait_for(lambda: compositor.status()["notifications"] == 1, SLACK, "the watch ended")
    t, _n = server.wait_notify(2, 4 + SLACK)
    assert t - back >= 4 - 0.3, t - back
    user.stop()


def test_video_is_sitting(session):
    desk = sitting(session)
    compositor = desk.peer
    server, user, daemon = desk
    # a video starts playing, and nobody touches anything: still sitting (rule 7) ...
    compositor.command("inhibit on")
    user.stop()
    stays_false(lambda: "break (" in daemon.text(), 2 + SLACK, "a break while a video plays")
    # ... so the reminder comes at sit-limit
    t, _n = server.wait_notify(1, 4 + SLACK)
    assert t - daemon.started >= 4 - 0.3, t - daemon.started
    # Done during the video: the next input is seen although the inhibitor is on
    server.invoke(first_notification_id(server), "done")
    daemon.wait_log("break (done)")
    wait_for(lambda: compositor.status()["notifications"] == 2, SLACK, "the activity watch")
    # its zero timeout goes idle on the compositor's next turn; input before that is not news
    wait_for(lambda: compositor.status()["idle"] == 1, SLACK, "the activity watch idle")
    inputs = daemon.text().count(": active\n")
    compositor.command("input")
    wait_for(lambda: compositor.status()["notifications"] == 1, SLACK,
             "the watch to see input through the inhibitor")
    daemon.wait_log(": active\n", count=inputs + 1)
    # the video ends: break-length counts from then, and then it is a break
    compositor.command("inhibit off")
    ended = time.monotonic()
    wait_for(lambda: daemon.text().count("break (") == 2, 2 + SLACK, "a break after the video")
    assert time.monotonic() - ended >= 2 - 0.1, time.monotonic() - ended
    assert "break (natural)" in daemon.text(), daemon.text()


def test_compositor_exits(session):
    desk = sitting(session)
    scenario.idle_source_killed(desk, desk.peer.exit, "wayland")


def test_reload_new_threshold(session):
    compositor = Compositor(session)
    user = PeerUser(session, compositor.peer, "input")
    desk = scenario.Sitting(session, NotificationServer(session), user,
                            scenario.config("wayland", break_length=3), backend="wayland")
    daemon = desk.daemon
    daemon.write_config(scenario.config("wayland", break_length=1))
    daemon.wait_log("settings reloaded from")
    # the old threshold notification replaced by one for the new threshold, on the same
    # connection: the source kept running
    wait_for(lambda: compositor.status()["notifications"] == 1, SLACK, "one notification")
    last_input = user.stop()
    daemon.wait_log("break (natural)", timeout=1 + SLACK)
    assert 1 - 0.3 <= time.monotonic() - last_input < 3 - 0.3, time.monotonic() - last_input
    assert daemon.text().count("idle backend:") == 1, daemon.text()
    assert daemon.text().count("wayland idle: ") == 1, daemon.text()


def test_compositor_stopped_at_start(session):
    compositor = Compositor(session)
    server = NotificationServer(session)
    # it accepts the connection (the kernel queues it) but never answers
    with stopped(compositor.peer.proc.pid):
        daemon = Daemon(session, CONFIG)
        assert time.monotonic() - daemon.started < 1, daemon.text()
        daemon.wait_log("wayland: no answer within 5 s", timeout=5 + SLACK)
        daemon.wait_log("reminding on timers only")
        server.wait_notify(1, 4 + SLACK)
        daemon.exits_on_sigterm()


if __name__ == "__main__":
    run_tests([
        ("one reminder, a break withdraws it, a full new bout", test_reminder_break_and_next_bout),
        ("a short pause keeps the bout", test_short_pause_keeps_bout),
        ("binds version 2; an input-idle notification watches for input",
         test_notifications),
        ("a video is sitting, and input during it is seen", test_video_is_sitting),
        ("compositor exits: reported once, no spinning, timer-only", test_compositor_exits),
        ("reload with a new break-length: a new notification, the same connection",
         test_reload_new_threshold),
        ("compositor stopped at start-up: not waited for", test_compositor_stopped_at_start),
    ], needs=("dbus-daemon",), x11=False)

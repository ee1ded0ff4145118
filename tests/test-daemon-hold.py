#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Holds end to end (DESIGN.md rule 10): the real daemon, the real dunst 1.9 on Xvfb as the
notification server, the X11 idle source and xdotool as the user.

dunst's do-not-disturb (`dunstctl set-paused true`) holds the reminder back: nothing reaches
dunst while it is paused, sitting is still counted, the status says "held" and why, and the
reminder arrives after-hold after the pause ends; a break during the hold cancels it; the
history records the hold. A schedule that excludes now holds the same way, and a reload that
drops the hold delivers. skip-limit takes Skip off the reminder and refuses glutebreakctl skip.

Timings: sit-limit 4 s, break-length 2 s, after-hold 2 s. A bus monitor sees every Notify."""

import datetime
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gbdunst import Dunst  # noqa: E402
from gbnotifywatch import BusWatch  # noqa: E402
from gbtest import TOP_BUILDDIR, Daemon, User, run_tests, stays_false, wait_for  # noqa: E402
from scenario import SLACK, SIT_LIMIT, config  # noqa: E402

CTL = os.path.join(TOP_BUILDDIR, "src", "glutebreakctl")
AFTER_HOLD = 2  # s
HOLD = f"[hold]\nafter-hold = {AFTER_HOLD}s\n\n"
DND = "do-not-disturb (dunst)"


def ctl(session, *args):
    return subprocess.run([CTL, *args], env=session.env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=10)


def status(session):
    proc = ctl(session, "status", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def wait_status(session, what, condition, timeout=10):
    """Polls the status until @condition holds; returns that status."""
    def check():
        s = status(session)
        return s if condition(s) else None
    return wait_for(check, timeout, what)


def history(session):
    path = os.path.join(session.env["XDG_STATE_HOME"], "glutebreak", "history")
    with open(path) as f:
        return [line.split(" ", 2)[1:] for line in f if not line.startswith("#")]


def events(session, kind):
    return [rest for event, *rest in history(session) if event == kind]


def start(session, sections, paused=False):
    """dunst (paused: in do-not-disturb), a monitor, the user typing, then the daemon."""
    dunst = Dunst(session)
    if paused:
        dunst.ctl("set-paused", "true")
    watch = BusWatch(session)
    user = User(session)
    user.start()
    daemon = Daemon(session, config("x11", sections=sections))
    daemon.wait_log("idle backend: x11")
    return dunst, watch, user, daemon


def test_dnd_holds_then_delivers(session):
    dunst, watch, user, daemon = start(session, HOLD, paused=True)
    try:
        s = wait_status(session, "the hold in the status", lambda s: s["hold"] == DND)
        assert s["state"] == "held" and s["class"] == "held", s
        # sitting past sit-limit: counted, but nothing reaches dunst
        stays_false(lambda: watch.of("Notify"), SIT_LIMIT + SLACK, "a reminder during DND")
        s = status(session)
        assert s["sitting_s"] >= SIT_LIMIT and s["next_reminder"] is None, s
        assert "held back until the hold ends" in ctl(session, "status").stdout
        assert dunst.ctl("count", "waiting") == "0"
        # do-not-disturb ends: the reminder comes after-hold later, on screen
        dunst.ctl("set-paused", "false")
        ended = time.monotonic()
        wait_status(session, "the hold to end", lambda s: s["hold"] == "")
        t, notify = watch.wait_notify(1, AFTER_HOLD + SLACK)
        assert t - ended >= AFTER_HOLD - 0.3, t - ended
        wait_for(lambda: dunst.displayed() == 1, SLACK, "the reminder on screen")
        s = wait_status(session, "overdue", lambda s: s["state"] == "overdue")
        kinds = [e[0] for e in history(session)]
        assert kinds.index("hold-start") < kinds.index("hold-end") < kinds.index("reminder"), \
            kinds
        assert events(session, "hold-start")[0] == ["reason=do-not-disturb\n"], history(session)
    finally:
        user.stop()
        watch.close()
    daemon.exits_on_sigterm()


def test_break_during_hold_cancels(session):
    dunst, watch, user, daemon = start(session, HOLD, paused=True)
    try:
        wait_status(session, "the hold", lambda s: s["hold"] == DND)
        # the reminder falls due during the hold, then the user leaves for a break
        wait_status(session, "sit-limit passed", lambda s: s["sitting_s"] >= SIT_LIMIT + 1)
        user.stop()
        daemon.wait_log("break (natural)", timeout=2 + SLACK + 2)
        dunst.ctl("set-paused", "false")
        wait_status(session, "the hold to end", lambda s: s["hold"] == "")
        stays_false(lambda: watch.of("Notify"), AFTER_HOLD + SLACK,
                    "the held reminder after a break")
        # back: a new bout, which needs a full sit-limit
        user.start()
        wait_status(session, "a new bout", lambda s: s["state"] == "sitting")
        stays_false(lambda: watch.of("Notify"), SIT_LIMIT - 1, "a reminder too soon")
        watch.wait_notify(1, 1 + SLACK)
        assert not events(session, "answer"), history(session)
    finally:
        user.stop()
        watch.close()
    daemon.exits_on_sigterm()


def off_schedule():
    """A schedule that excludes now: tomorrow only."""
    return (datetime.datetime.now() + datetime.timedelta(days=1)).strftime("%a").lower()


def test_schedule_and_reload(session):
    schedule = f"[schedule]\nactive = {off_schedule()} 00:00-24:00\n\n"
    dunst, watch, user, daemon = start(session, HOLD + schedule)
    try:
        wait_status(session, "the schedule's hold", lambda s: s["hold"] == "schedule")
        stays_false(lambda: watch.of("Notify"), SIT_LIMIT + SLACK,
                    "a reminder outside the schedule")
        # dunst's do-not-disturb on top: both reasons
        dunst.ctl("set-paused", "true")
        wait_status(session, "two holds", lambda s: s["hold"] == DND + ", schedule")
        # a reload without the schedule and without the do-not-disturb hold delivers
        daemon.write_config(config("x11", sections=HOLD.replace(
            "\n\n", "\ndo-not-disturb = no\n\n")))
        daemon.wait_log("settings reloaded")
        reloaded = time.monotonic()
        wait_status(session, "no hold", lambda s: s["hold"] == "")
        t, _ = watch.wait_notify(1, AFTER_HOLD + SLACK)
        assert t - reloaded >= AFTER_HOLD - 0.3, t - reloaded
        reasons = [e[0] for e in events(session, "hold-end")]
        assert sorted(reasons) == ["reason=do-not-disturb\n", "reason=schedule\n"], reasons
    finally:
        user.stop()
        watch.close()
    daemon.exits_on_sigterm()


def actions(notify):
    """The action keys, without the programme's "too-hard" (on strengthen exercises only)."""
    return [key for key in notify["actions"][::2] if key != "too-hard"]


def test_skip_limit(session):
    dunst, watch, user, daemon = start(session, "[reminder]\nskip-limit = 1\n\n")
    try:
        _, first = watch.wait_notify(1, SIT_LIMIT + SLACK)
        assert actions(first) == ["done", "snooze", "skip"], first
        dunst.pick("skip")
        dunst.ctl("context")
        wait_for(lambda: watch.of("ActionInvoked"), SLACK, "the Skip action")
        # the next reminder (after another sit-limit) offers Done and Snooze only
        _, second = watch.wait_notify(2, SIT_LIMIT + SLACK)
        assert actions(second) == ["done", "snooze"], second
        proc = ctl(session, "skip")
        assert proc.returncode == 1 and "no more skips until the next break" in proc.stderr, \
            proc.stderr
        # a break gives Skip back
        assert ctl(session, "break").returncode == 0
        _, third = watch.wait_notify(3, SIT_LIMIT + SLACK)
        assert actions(third) == ["done", "snooze", "skip"], third
    finally:
        user.stop()
        watch.close()
    daemon.exits_on_sigterm()


if __name__ == "__main__":
    run_tests([
        ("do-not-disturb holds the reminder and delivers it after-hold",
         test_dnd_holds_then_delivers),
        ("a break during the hold cancels the held reminder", test_break_during_hold_cancels),
        ("outside the schedule reminders are held; a reload ends the hold",
         test_schedule_and_reload),
        ("skip-limit takes Skip away until the next break", test_skip_limit),
    ], needs=("dunst", "dunstctl", "xdotool"))

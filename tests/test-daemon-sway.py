#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The real daemon on real sway 1.7 (headless, org_kde_kwin_idle only), typed at with wtype,
with `[idle] backend = auto`; notifications from python3-dbusmock, or from real mako clicked
with makoctl. sway refuses root: everything runs as an unprivileged user (tests/gbwayland.py).

The scenario every desktop runs is tests/scenario.py's; mako's buttons are sway's own tests.

Tolerances: sway's idle timeout fires on time to ~10 ms and its resumed 6-14 ms after the
input (test-peers.md §2); scenario.SLACK is for a loaded CI machine."""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gbtest import NotificationServer, stays_false, wait_for  # noqa: E402
from gbwayland import Typist, run_tests  # noqa: E402
import scenario  # noqa: E402
from scenario import SLACK  # noqa: E402

CONFIG = scenario.config("auto", repeat="30s", snooze="6s")
REPEAT_3S = scenario.config("auto", repeat="3s", snooze="6s")


def sitting(session, config=CONFIG, mako=False):
    """sway, a notification server, someone typing, and the daemon started after them."""
    session.start_sway()
    server = session.start_mako() if mako else NotificationServer(session)
    return scenario.Sitting(session, server, Typist(session), config, backend="wayland")


def test_reminder_and_break(session):
    desk = sitting(session)
    # chosen by itself, and it says which protocol sway 1.7 offered
    desk.daemon.wait_log("wayland idle: org_kde_kwin_idle")
    scenario.reminder_break_and_next_bout(desk)


def test_short_pause_keeps_bout(session):
    scenario.short_pause_keeps_bout(sitting(session))


def test_sway_gone(session):
    desk = sitting(session, scenario.config("auto", sit_limit=5, repeat="30s", snooze="6s"))
    scenario.idle_source_killed(
        desk, lambda: session.processes.stop(session.sway, signal.SIGKILL), "wayland")


def test_mako_snooze(session):
    mako, user, daemon = sitting(session, REPEAT_3S, mako=True)
    _t, nid = mako.wait_new(1, 4 + SLACK)
    assert "snooze" in mako.listed()[nid]["actions"], mako.listed()[nid]
    mako.makoctl("invoke", "-n", str(nid), "snooze")
    snoozed = time.monotonic()
    daemon.wait_log("reminder answered: snooze")
    wait_for(lambda: nid not in mako.listed(), SLACK, "the reminder gone")
    # the next one after snooze (6 s), not after repeat (3 s)
    stays_false(lambda: len(mako.ids()) > 1, 6 - 0.5, "a reminder during the snooze")
    t, _nid = mako.wait_new(2, 0.5 + SLACK)
    assert t - snoozed >= 6 - 0.5, t - snoozed
    user.stop()


def test_mako_done(session):
    mako, user, daemon = sitting(session, mako=True)
    _t, nid = mako.wait_new(1, 4 + SLACK)
    mako.makoctl("invoke", "-n", str(nid), "done")
    done = time.monotonic()
    daemon.wait_log("break (done)")
    # typing on: the bout restarts at the next input, which sway reports although the user
    # was never idle (watch_activity), so the next reminder comes a sit-limit later
    stays_false(lambda: len(mako.ids()) > 1, 4 - 0.5, "a reminder too early")
    t, _nid = mako.wait_new(2, 0.5 + SLACK)
    assert t - done >= 4 - 0.5, t - done
    user.stop()


def test_mako_closed_twice_then_break(session):
    mako, user, daemon = sitting(session, REPEAT_3S, mako=True)
    # libnotify 0.8.1 says "closed" once per object (test-peers.md §4): both closes must be
    # seen, and the reminder after them withdrawn on a break
    for i in (1, 2):
        _t, nid = mako.wait_new(i, (4 if i == 1 else 3) + SLACK)
        mako.makoctl("dismiss", "-n", str(nid))
        daemon.wait_log("reminder closed by the server", count=i)
    _t, nid = mako.wait_new(3, 3 + SLACK)
    last_input = user.stop()
    wait_for(lambda: nid not in mako.listed(), 2 + SLACK, "the third reminder withdrawn")
    assert time.monotonic() - last_input >= 2 - 0.3
    daemon.wait_log("break (natural)")
    assert not mako.listed(), mako.listed()


def test_mako_do_not_disturb(session):
    """mako 1.7 cannot say when its modes change: the daemon reads them when a reminder falls
    due, holds it back while a do-not-disturb mode is on, and reads again at each repeat."""
    mako, user, daemon = sitting(session, REPEAT_3S, mako=True)
    mako.makoctl("mode", "-a", "do-not-disturb")
    daemon.wait_log("a hold is on: held back until the next repeat", timeout=4 + SLACK)
    daemon.wait_log("a hold is on: held back until the next repeat", count=2,
                    timeout=3 + SLACK)
    assert not mako.ids(), mako.listed()
    mako.makoctl("mode", "-r", "do-not-disturb")
    freed = time.monotonic()
    t, _nid = mako.wait_new(1, 3 + SLACK)
    assert t - freed <= 3 + SLACK, t - freed
    user.stop()


if __name__ == "__main__":
    run_tests([
        ("auto picks wayland; one reminder; a break withdraws it and restarts the bout",
         test_reminder_and_break),
        ("a short pause keeps the bout", test_short_pause_keeps_bout),
        ("sway gone: timer-only, no spinning, one warning", test_sway_gone),
        ("mako: snooze postpones by snooze, not repeat", test_mako_snooze),
        ("mako: done is a break; the next input restarts the bout", test_mako_done),
        ("mako: closed twice, the next reminder is withdrawn on a break",
         test_mako_closed_twice_then_break),
        ("mako: a do-not-disturb mode holds reminders, read when each falls due",
         test_mako_do_not_disturb),
    ], needs=("sway", "wtype", "mako", "makoctl", "setpriv"))

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The real daemon on real sway 1.7 (headless, org_kde_kwin_idle only), typed at with wtype,
with `[idle] backend = auto`; notifications from python3-dbusmock, or from real mako clicked
with makoctl. sway refuses root: everything runs as an unprivileged user (tests/gbwayland.py).

Tolerances: sway's idle timeout fires on time to ~10 ms and its resumed 6-14 ms after the
input (test-peers.md §2); the slack below is for a loaded CI machine."""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gbtest import Daemon, NotificationServer, stays_false, wait_for  # noqa: E402
from gbwayland import Typist, run_tests  # noqa: E402

SLACK = 1.5  # s

CONFIG = """\
[timing]
sit-limit = 4s
break-length = 2s
repeat = 30s
snooze = 6s

[idle]
backend = auto
"""


def sitting(session, config=CONFIG, mako=False):
    """sway, a notification server, someone typing, and the daemon started after them."""
    session.start_sway()
    server = session.start_mako() if mako else NotificationServer(session)
    user = Typist(session)
    user.start()
    daemon = Daemon(session, config)
    daemon.wait_log("idle backend: wayland")
    return server, user, daemon


def test_reminder_and_break(session):
    server, user, daemon = sitting(session)
    # chosen by itself, and it says which protocol sway 1.7 offered
    daemon.wait_log("wayland idle: org_kde_kwin_idle")
    # nothing before sit-limit, then exactly one reminder while the user keeps sitting
    stays_false(lambda: server.notifies(), 4 - 0.3, "a reminder before sit-limit")
    t, _n = server.wait_notify(1, SLACK)
    assert t - daemon.started >= 4 - 0.3, t - daemon.started
    stays_false(lambda: len(server.notifies()) > 1, 2, "a second reminder")
    # away for break-length: withdrawn, and a break
    last_input = user.stop()
    wait_for(lambda: server.calls("CloseNotification"), 2 + SLACK, "the reminder withdrawn")
    closed = server.calls("CloseNotification")[0][0]
    assert closed - last_input >= 2 - 0.3, closed - last_input
    daemon.wait_log("break (natural)")
    stays_false(lambda: len(server.notifies()) > 1, 2, "a reminder during the break")
    # back: the next reminder needs a full sit-limit from the first input
    user.start()
    back = user.last_input
    stays_false(lambda: len(server.notifies()) > 1, 4 - 0.5, "a reminder too early")
    t, _n = server.wait_notify(2, 0.5 + SLACK)
    assert t - back >= 4 - 0.5, t - back
    assert daemon.text().count("break (") == 1, daemon.text()
    user.stop()
    # a clean exit (and, under ASan, no leak)
    assert daemon.stop() == 0, daemon.text()[-3000:]


def test_short_pause_keeps_bout(session):
    server, user, daemon = sitting(session)
    wait_for(lambda: time.monotonic() - daemon.started > 1, 5, "1 s of sitting")
    # reading for 1 s, under break-length, in the middle of the bout
    pause_until = user.stop() + 1.0
    stays_false(lambda: server.notifies(), pause_until - time.monotonic(),
                "a reminder during the pause")
    user.start()
    t, _n = server.wait_notify(1, 4 + SLACK)
    # counted from the daemon's start, not from the end of the pause
    assert t - daemon.started < 4 + SLACK, t - daemon.started
    assert "break (" not in daemon.text(), daemon.text()
    user.stop()


def test_sway_gone(session):
    server, user, daemon = sitting(session, CONFIG.replace("sit-limit = 4s", "sit-limit = 5s"))
    user.stop()
    before = daemon.text().count("-WARNING **")
    session.processes.stop(session.sway, signal.SIGKILL)
    daemon.wait_log("idle source 'wayland' went away")
    # alive, not spinning on the dead connection, and said so once
    cpu = daemon.cpu_seconds()
    stays_false(lambda: daemon.proc.poll() is not None, 1.5, "the daemon exited")
    assert daemon.cpu_seconds() - cpu < 0.1, daemon.cpu_seconds() - cpu
    warnings = daemon.text().count("-WARNING **")
    assert warnings == before + 1, daemon.text()
    # and still reminding, on timers
    server.wait_notify(1, 5 + SLACK)
    assert daemon.proc.poll() is None
    assert daemon.text().count("went away") == 1, daemon.text()
    assert daemon.text().count("-WARNING **") == warnings, daemon.text()
    assert daemon.stop() == 0, daemon.text()[-3000:]


def test_mako_snooze(session):
    mako, user, daemon = sitting(session, CONFIG.replace("repeat = 30s", "repeat = 3s"),
                                 mako=True)
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
    mako, user, daemon = sitting(session, CONFIG.replace("repeat = 30s", "repeat = 3s"),
                                 mako=True)
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
    ], needs=("sway", "wtype", "mako", "makoctl", "setpriv"))

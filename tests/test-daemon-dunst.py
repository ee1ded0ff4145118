#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The real daemon against the real dunst 1.9 on Xvfb, X11 idle backend, xdotool as the user.

The user answers the way a dunst user does: `dunstctl context` opens dunst's action menu
through the `dmenu =` program of tests/dunstrc (tests/dunst-pick.sh picks the action this
test asks for), and `dunstctl close` closes the reminder. A bus monitor (tests/session.conf
allows eavesdropping) records every Notify, CloseNotification, NotificationClosed and
ActionInvoked with the time it passed; dunst's own counters say what is on screen.

Timings as in test-daemon-x11.py: sit-limit 4 s, break-length 2 s, repeat 3 s, snooze 6 s.

A dunst that stops answering (SIGSTOP) must not freeze the daemon (DESIGN rule 12): libnotify's
calls wait up to 25 s each, and they run in a notification thread that lives only while a
reminder is on screen (at most 3 threads between reminders, DESIGN section 5)."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gbdunst import Dunst  # noqa: E402
from gbnotifywatch import BusWatch  # noqa: E402
from gbtest import Daemon, User, run_tests, stays_false, wait_for  # noqa: E402
from scenario import SLACK, config  # noqa: E402

CONFIG = config("x11", repeat="3s", snooze="6s")

HANG_SLACK = 1.0  # s: DESIGN rule 12, a peer that stops answering blocks nothing longer


def threads(daemon):
    """The daemon's threads, by name."""
    names = []
    for task in os.listdir(f"/proc/{daemon.proc.pid}/task"):
        try:
            with open(f"/proc/{daemon.proc.pid}/task/{task}/comm") as f:
                names.append(f.read().strip())
        except FileNotFoundError:
            pass  # it just ended
    return names


def test_dunst(session):
    dunst = Dunst(session)
    watch = BusWatch(session)
    try:
        run_scenario(session, dunst, watch)
    finally:
        watch.close()


def run_scenario(session, dunst, watch):
    user = User(session)
    user.start()
    daemon = Daemon(session, CONFIG)
    daemon.wait_log("idle backend: x11")

    # sitting past sit-limit: one reminder, on screen in dunst
    stays_false(lambda: watch.of("Notify"), 4 - 0.3, "a reminder before sit-limit")
    t1, n1 = watch.wait_notify(1, SLACK)
    assert t1 - daemon.started >= 4 - 0.3, t1 - daemon.started
    assert n1["replaces"] == 0, n1
    wait_for(lambda: dunst.displayed() == 1, SLACK, "the reminder on screen")

    # Snooze, picked from dunst's action menu
    dunst.pick("snooze")
    dunst.ctl("context")
    _t, invoked = watch.wait("ActionInvoked", 1, SLACK)
    assert invoked == dict(id=n1["id"], extra="snooze"), invoked
    assert f"#Snooze 6 s ({n1['summary']}) [{n1['id']},snooze]" in dunst.menu(), dunst.menu()
    daemon.wait_log("reminder answered: snooze")
    answered, closed = watch.wait("CloseNotification", 1, SLACK)
    assert closed["id"] == n1["id"], closed
    wait_for(lambda: dunst.displayed() == 0, SLACK, "the reminder withdrawn")
    # the next one after snooze (6 s), not at the repeat (3 s)
    stays_false(lambda: len(watch.of("Notify")) > 1, answered + 6 - 0.5 - time.monotonic(),
                "a reminder during the snooze")
    t2, n2 = watch.wait_notify(2, 0.5 + SLACK)
    assert t2 - answered >= 6 - 0.5, t2 - answered
    assert n2["replaces"] == 0, n2
    wait_for(lambda: dunst.displayed() == 1, SLACK, "the snoozed reminder on screen")

    # closed by the user, twice in a row: libnotify 0.8.1 reports "closed" once per
    # NotifyNotification, so the daemon must see the second close too
    shown, previous = t2, n2
    for i in (1, 2):
        dunst.ctl("close")
        _t, gone = watch.wait("NotificationClosed", i + 1, SLACK)  # #1: the snoozed one
        assert gone == dict(id=previous["id"], extra=2), gone  # 2: dismissed by the user
        daemon.wait_log("reminder closed by the server", count=i)
        # ignored: the repeat schedule goes on, as a new notification
        t, n = watch.wait_notify(2 + i, shown + 3 + SLACK - time.monotonic())
        assert t - shown >= 3 - 0.3, t - shown
        assert n["replaces"] == 0, n
        wait_for(lambda: dunst.displayed() == 1, SLACK, "the repeat on screen")
        shown, previous = t, n

    # a break: the reminder shown after those closes is withdrawn from dunst
    last_input = user.stop()
    withdrawn, closed = watch.wait("CloseNotification", 2, 2 + SLACK)
    assert closed["id"] == previous["id"], closed
    assert withdrawn - last_input >= 2 - 0.3, withdrawn - last_input
    wait_for(lambda: dunst.displayed() == 0, SLACK, "the reminder gone from dunst")
    daemon.wait_log("break (natural)")
    assert len(watch.of("Notify")) == 4, watch.of("Notify")
    assert dunst.proc.poll() is None
    assert daemon.stop() == 0  # and clean (no leaks under ASan)


def break_on_time(daemon, last_input, count=1):
    """The break of the user whose last input was at @last_input is logged on time; the time
    it was."""
    wait_for(lambda: daemon.text().count("break (natural)") >= count, 2 + SLACK,
             "break (natural) in the log")
    broke = time.monotonic()
    assert 2 - 0.3 <= broke - last_input < 2 + HANG_SLACK, broke - last_input
    return broke


def test_stopped_server(session):
    dunst = Dunst(session)
    try:
        user = User(session)
        user.start()
        daemon = Daemon(session, CONFIG)
        daemon.wait_log("idle backend: x11")
        assert len(threads(daemon)) <= 3, threads(daemon)
        # dunst stops before the reminder is due: the reminder waits for it ...
        dunst.freeze()
        daemon.wait_log("reminder: sitting for", 4 + SLACK)
        # ... and nothing else does: the user goes away and the break comes on time
        break_on_time(daemon, user.stop())
        # SIGTERM is honoured at once, cleanly (and, under ASan, without a leak)
        print(f"# SIGTERM to exit: {daemon.exits_on_sigterm(HANG_SLACK):.3f} s")
    finally:
        dunst.thaw()


def test_stopped_server_recovers(session):
    dunst = Dunst(session)
    watch = BusWatch(session)
    try:
        user = User(session)
        user.start()
        daemon = Daemon(session, CONFIG)
        daemon.wait_log("idle backend: x11")
        _t, first = watch.wait_notify(1, 4 + SLACK)
        wait_for(lambda: dunst.displayed() == 1, SLACK, "the reminder on screen")
        # dunst stops with the reminder on screen; the repeat goes out and waits
        dunst.freeze()
        watch.wait("Notify", 2, 3 + SLACK)
        broke = break_on_time(daemon, user.stop())
        # dunst is back within libnotify's 25 s: the repeat is answered, then withdrawn
        dunst.thaw()
        _t, repeat = watch.wait_notify(2, SLACK)
        assert repeat["replaces"] == first["id"], repeat
        _t, closed = watch.wait("CloseNotification", 1, SLACK)
        assert closed["id"] == first["id"], closed
        wait_for(lambda: dunst.displayed() == 0, SLACK, "the reminder withdrawn")
        # nothing on screen: the notification thread has ended
        wait_for(lambda: len(threads(daemon)) <= 3, SLACK, "at most 3 threads")
        # back, and the next bout's reminder shows as a new notification
        wait_for(lambda: time.monotonic() - broke > 1, 2, "a second of the break")
        user.start()
        back = user.last_sent
        t, n = watch.wait_notify(3, 4 + SLACK)
        assert t - back >= 4 - 0.3, t - back
        assert n["replaces"] == 0, n
        wait_for(lambda: dunst.displayed() == 1, SLACK, "the next reminder on screen")
        assert "gb-notify" in threads(daemon), threads(daemon)  # while it is on screen
        break_on_time(daemon, user.stop(), count=2)
        wait_for(lambda: dunst.displayed() == 0, SLACK, "the next reminder withdrawn")
        wait_for(lambda: len(threads(daemon)) <= 3, SLACK, "at most 3 threads again")
        assert daemon.stop() == 0, daemon.text()[-3000:]
    finally:
        dunst.thaw()
        watch.close()


if __name__ == "__main__":
    run_tests([
        ("dunst: snooze from its menu, two user closes, a break withdraws the repeat",
         test_dunst),
        ("dunst stopped before a reminder: the break on time, SIGTERM within a second",
         test_stopped_server),
        ("dunst stopped with a reminder on screen: the break on time, then it recovers",
         test_stopped_server_recovers),
    ], needs=("Xvfb", "xdotool", "dbus-daemon", "dunst", "dunstctl"))

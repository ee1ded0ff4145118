#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The real daemon on X11: Xvfb (-noreset) + xdotool as the user, a python3-dbusmock
notification server, a private session bus, a config of a few seconds.

The scenario every desktop runs is tests/scenario.py's; the rest is X11's and the daemon's own.

Tolerances: deadlines run on a timerfd and XSync alarms fire on the threshold,
so the daemon is exact to a few ms; scenario.SLACK is for a loaded CI machine."""

import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gi.repository import GLib  # noqa: E402

from gbtest import (PYTHON, Daemon, NotificationServer, User, run_tests,  # noqa: E402
                    stays_false, stopped, wait_for)
import scenario  # noqa: E402
from scenario import SLACK  # noqa: E402

CONFIG = scenario.config("x11", repeat="3s", snooze="6s",
                         sections="[reminder]\nescalate-after = 1\n\n")


def sitting(session, config, **daemon_args):
    """A notification server, someone typing, and the daemon started after them; unpacks as
    (server, user, daemon)."""
    return scenario.Sitting(session, NotificationServer(session), User(session), config,
                            backend="x11", **daemon_args)


def notification_ids(server):
    """The id the server gave each Notify (the dbusmock template counts from 1)."""
    ids, next_id = [], 1
    for _t, n in server.notifies():
        if n["replaces"]:
            ids.append(n["replaces"])
        else:
            ids.append(next_id)
            next_id += 1
    return ids


def test_reminder_after_sit_limit(session):
    server, user, daemon = sitting(session, CONFIG)
    # nothing before sit-limit ...
    stays_false(lambda: server.notifies(), 4 - 0.3, "a reminder before sit-limit")
    # ... then exactly one, with the three actions and our hints
    t, n = server.wait_notify(1, SLACK)
    assert t - daemon.started >= 4 - 0.3, t - daemon.started
    assert n["summary"] == "You've been sitting for 4 s", n["summary"]
    assert n["actions"] == ["done", "Done", "snooze", "Snooze 6 s", "skip", "Skip"], n["actions"]
    assert n["hints"]["desktop-entry"] == "org.glutebreak.Glutebreak", n["hints"]
    assert n["hints"]["urgency"] == 1, n["hints"]
    assert n["hints"]["sound-name"] == "message-new-instant", n["hints"]
    assert "Why: " in n["body"], n["body"]
    assert len(server.notifies()) == 1
    # still sitting: the repeat replaces it in place and escalates (escalate-after = 1)
    t2, n2 = server.wait_notify(2, 3 + SLACK)
    assert t2 - t >= 3 - 0.3, t2 - t
    assert n2["replaces"] == notification_ids(server)[0], n2
    assert n2["hints"]["urgency"] == 2, n2["hints"]
    user.stop()


def test_snooze(session):
    server, user, daemon = sitting(session, CONFIG)
    server.wait_notify(1, 4 + SLACK)
    server.invoke(notification_ids(server)[0], "snooze")
    daemon.wait_log("reminder answered: snooze")
    # withdrawn at once; the repeat (3 s) must not come: only the snooze (6 s)
    wait_for(lambda: server.calls("CloseNotification"), SLACK, "the reminder withdrawn")
    answered = [t for t, m, _ in server.seen if m == "CloseNotification"][-1]
    stays_false(lambda: len(server.notifies()) > 1, 6 - 0.5, "a reminder during the snooze")
    t, n = server.wait_notify(2, 0.5 + SLACK)
    assert t - answered >= 6 - 0.5, t - answered
    assert n["replaces"] == 0, n  # a fresh notification after the withdrawn one
    user.stop()


def test_break_withdraws_and_restarts_bout(session):
    # one reminder per bout (repeat far away): exactly one before the break
    scenario.reminder_break_and_next_bout(sitting(session, scenario.config("x11")))


def test_short_pause_keeps_bout(session):
    scenario.short_pause_keeps_bout(sitting(session, CONFIG))


def test_bad_config_keeps_old(session):
    server, user, daemon = sitting(session, CONFIG)
    daemon.write_config("[timing]\nsit-limit = 45\n")
    expected = (f"{daemon.config}:2: [timing] sit-limit: missing unit: '45' (write 45m for "
                "minutes, or use s or h); keeping the previous settings")
    # the file monitor notices the change ...
    daemon.wait_log(expected)
    # ... and SIGHUP gives the same answer
    daemon.signal(signal.SIGHUP)
    daemon.wait_log(expected, count=2)
    assert daemon.proc.poll() is None
    # the old 4 s sit-limit is still the one in force
    t, _n = server.wait_notify(1, 4 + SLACK)
    assert t - daemon.started < 4 + SLACK
    user.stop()


def test_reload_applies_new_settings(session):
    server, user, daemon = sitting(session, CONFIG.replace("sit-limit = 4s", "sit-limit = 1h"))
    # saved the way vim does: the old file renamed away, then the new one written
    os.rename(daemon.config, daemon.config + "~")
    daemon.wait_log("changed on disk: reloading")  # the daemon saw the file go
    with open(daemon.config, "w") as f:
        f.write(CONFIG.replace("sit-limit = 4s", "sit-limit = 3s"))
    daemon.wait_log("settings reloaded from")
    # one reload, of the finished file: nothing read in between
    assert "built-in defaults" not in daemon.text(), daemon.text()
    assert "No such file" not in daemon.text(), daemon.text()
    t, _n = server.wait_notify(1, 3 + SLACK)
    assert t - daemon.started < 3 + SLACK
    user.stop()


def test_server_restart(session):
    server, user, daemon = sitting(session, CONFIG.replace("escalate-after = 1",
                                                           "escalate-after = never"))
    server.wait_notify(1, 4 + SLACK)
    server.stop()
    wait_for(lambda: not session.has_owner("org.freedesktop.Notifications"), 5,
             "the server gone")
    # a different server, without buttons
    restarted = NotificationServer(session, capabilities="body")
    # the next repeat shows on the new server, as a new notification that
    # fits what this server can do
    _t, n = restarted.wait_notify(1, 3 + SLACK)
    assert n["replaces"] == 0, n
    assert n["actions"] == [], n["actions"]
    assert daemon.proc.poll() is None
    user.stop()


def test_reload_changes_hints(session):
    server, user, daemon = sitting(session, CONFIG)
    _t, first = server.wait_notify(1, 4 + SLACK)
    assert first["hints"]["sound-name"] == "message-new-instant", first["hints"]
    daemon.write_config(CONFIG.replace("[idle]", "sound = no\n\n[idle]")
                        .replace("escalate-after = 1", "escalate-after = never"))
    daemon.wait_log("settings reloaded from")
    # the repeat replaces the reminder, without the hints of before the reload
    _t, second = server.wait_notify(2, 3 + SLACK)
    assert second["replaces"] != 0, second
    assert "sound-name" not in second["hints"], second["hints"]
    assert second["hints"]["suppress-sound"] is True, second["hints"]
    assert second["hints"]["urgency"] == 1, second["hints"]
    user.stop()


def test_no_actions_server(session):
    server = NotificationServer(session, capabilities="body")
    user = User(session)
    user.start()
    Daemon(session, CONFIG)
    _t, n = server.wait_notify(1, 4 + SLACK)
    assert n["actions"] == [], n["actions"]
    assert n["body"].endswith("\n\n(No buttons here: taking a break clears this reminder.)"), \
        n["body"]
    user.stop()


def test_user_catalogue_escaped(session):
    # the user's own exercise, the only one left after the filters, with markup characters
    user_dir = os.path.join(session.env["XDG_CONFIG_HOME"], "glutebreak")
    os.makedirs(user_dir)
    with open(os.path.join(user_dir, "exercises.ini"), "w") as f:
        f.write("[kettle]\nname = Kettle & back\ncategory = move\n"
                "steps = Walk to the kitchen <and> back.\ndose = 2 min\nwhy = Moving helps.\n")
    server = NotificationServer(session, capabilities="body body-markup actions")
    user = User(session)
    user.start()
    Daemon(session, CONFIG.replace("[idle]", "[exercises]\ncategories = move\n"
                                   "exclude-tags = standing\n\n[idle]"))
    _t, n = server.wait_notify(1, 4 + SLACK)
    assert n["body"].startswith("Kettle &amp; back — 2 min\nWalk to the kitchen &lt;and&gt;"), \
        n["body"]
    user.stop()


def test_timer_only_when_wayland(session):
    server = NotificationServer(session)
    # X11 idle must never be used under Wayland: falls back to timers
    daemon = Daemon(session, CONFIG, extra_env={"WAYLAND_DISPLAY": "wayland-404"})
    daemon.wait_log("WAYLAND_DISPLAY is set")
    daemon.wait_log("reminding on timers only")
    # nobody types, yet the reminder comes: timer-only mode
    server.wait_notify(1, 4 + SLACK)


def test_x_server_gone(session):
    desk = sitting(session, CONFIG.replace("sit-limit = 4s", "sit-limit = 5s"))
    scenario.idle_source_killed(desk, lambda: session.processes.stop(session.xvfb), "x11")


def test_suspend_across_deadline(session):
    server, user, daemon = sitting(session, CONFIG.replace("sit-limit = 4s", "sit-limit = 6s"),
                                   fake_suspend=True)
    wait_for(lambda: time.monotonic() - daemon.started > 3, 5, "3 s of sitting")
    # asleep for 10 s: the 6 s deadline passes meanwhile and fires on resume
    daemon.suspend(10)
    resumed = time.monotonic()
    daemon.wait_log("the machine was suspended for 10 s")
    daemon.wait_log("break (suspend)")
    # no reminder for the bout before the suspend; the next needs a full sit-limit
    stays_false(lambda: server.notifies(), 6 - 0.5, "a reminder right after the resume")
    t, _n = server.wait_notify(1, 0.5 + SLACK)
    assert t - resumed >= 6 - 0.5, t - resumed
    user.stop()


def test_resume_noticed_at_once(session):
    server, user, daemon = sitting(session, CONFIG.replace("sit-limit = 4s", "sit-limit = 8s"),
                                   fake_suspend=True)
    wait_for(lambda: time.monotonic() - daemon.started > 1, 5, "1 s of sitting")
    # asleep for 4 s: the kernel cancels the resume sensor, which wakes the daemon
    daemon.suspend(4)
    resumed = time.monotonic()
    daemon.wait_log("the machine was suspended for 4 s", timeout=1)
    daemon.wait_log("break (suspend)", timeout=1)
    # the new bout starts at the first input after the resume
    t, _n = server.wait_notify(1, 8 + SLACK)
    assert 8 - 0.5 <= t - resumed < 8 + SLACK, t - resumed
    user.stop()


def test_deadline_late_in_suspend(session):
    server = NotificationServer(session)
    user = User(session)
    user.start()
    # the deadline is the first thing that wakes the daemon after the resume (here: a resume
    # sensor that says nothing, so that nothing else can come first)
    daemon = Daemon(session, CONFIG.replace("sit-limit = 4s", "sit-limit = 8s"),
                    fake_suspend=True, extra_env={"GB_FAKE_SUSPEND_OLD_KERNEL": "1"})
    wait_for(lambda: time.monotonic() - daemon.started > 5, 7, "5 s of sitting")
    # asleep for 4 s from about 5 s on: the 8 s deadline fell due in its last seconds
    daemon.suspend(4)
    resumed = time.monotonic()
    daemon.wait_log("the machine was suspended for 4 s", timeout=2)
    # the suspend ended now, and the bout before it lasted until it began (about 5 s; the
    # old dating made it 0 s)
    daemon.wait_log("break (suspend) after ")
    bout = re.search(r"break \(suspend\) after (\d+) s of sitting", daemon.text())
    assert bout and 4 <= int(bout.group(1)) <= 7, daemon.text()[-2000:]
    # the user types on: the new bout starts at the first input after the resume
    stays_false(lambda: server.notifies(), 8 - 0.5, "a reminder too soon after the resume")
    t, _n = server.wait_notify(1, 0.5 + SLACK)
    assert 8 - 0.5 <= t - resumed < 8 + SLACK, t - resumed
    user.stop()


def killed_after(session, config, seconds):
    """Someone typing, and a daemon killed with SIGKILL after @seconds of it, as a crash
    would; returns (server, user, the killed daemon)."""
    server = NotificationServer(session)
    user = User(session)
    user.start()
    first = Daemon(session, config)
    wait_for(lambda: time.monotonic() - first.started > seconds, seconds + 2,
             f"{seconds} s of sitting")
    first.signal(signal.SIGKILL)
    first.proc.wait(timeout=5)
    return server, user, first


def test_sigkill_keeps_bout(session):
    config = CONFIG.replace("sit-limit = 4s", "sit-limit = 8s").replace(
        "break-length = 2s", "break-length = 3s")
    server, user, first = killed_after(session, config, 4)
    # restarted at once, as Restart=on-failure does
    second = Daemon(session, config)
    second.wait_log("resumed the bout of the previous run")
    # reminded 8 s after the first start, not 8 s after the restart
    t, _n = server.wait_notify(1, 8 + SLACK)
    assert 8 - 0.5 <= t - first.started < 8 + SLACK, t - first.started
    user.stop()


def test_sigkill_then_away(session):
    config = CONFIG.replace("sit-limit = 4s", "sit-limit = 8s")
    server, user, _first = killed_after(session, config, 2)
    # away for longer than break-length before the daemon comes back: the X server knows
    left = user.stop()
    wait_for(lambda: time.monotonic() - left > 2.5, 5, "2.5 s away")
    second = Daemon(session, config)
    second.wait_log("break (natural)")
    back = time.monotonic()
    user.start()
    # a fresh bout from the return: nothing of the killed run's
    stays_false(lambda: server.notifies(), 8 - 0.5, "a reminder from the killed run's bout")
    t, _n = server.wait_notify(1, 0.5 + SLACK)
    assert t - back >= 8 - 0.5, t - back
    user.stop()


def test_unwritable_state_dir(session):
    # a file where the state directory should be
    state_home = session.env["XDG_STATE_HOME"]
    os.makedirs(state_home)
    with open(os.path.join(state_home, "glutebreak"), "w"):
        pass
    server, user, daemon = sitting(session, CONFIG)
    # start, reminder, break and a new bout: every one would save the state
    server.wait_notify(1, 4 + SLACK)
    user.stop()
    daemon.wait_log("break (natural)")
    user.start()
    daemon.wait_log("state: sitting")
    text = daemon.text()
    assert text.count("cannot save the state") == 1, text
    assert "WARNING" in text.split("cannot save the state")[0].splitlines()[-1], text
    # fixed by the user: saved again at the next change, and said so
    os.remove(os.path.join(state_home, "glutebreak"))
    user.stop()
    daemon.wait_log("the state is saved again")
    assert daemon.proc.poll() is None
    assert daemon.stop() == 0, daemon.text()[-3000:]


def test_done(session):
    server, user, daemon = sitting(session, CONFIG)
    server.wait_notify(1, 4 + SLACK)
    server.invoke(notification_ids(server)[0], "done")
    daemon.wait_log("break (done)")
    wait_for(lambda: server.calls("CloseNotification"), SLACK, "the reminder withdrawn")
    done = server.calls("CloseNotification")[-1][0]
    # the user goes on typing: the next bout starts at the next input, which
    # the idle source reports although there was no idle period
    stays_false(lambda: len(server.notifies()) > 1, 4 - 0.5, "a reminder too early")
    t, n = server.wait_notify(2, 0.5 + SLACK)
    assert t - done >= 4 - 0.5, t - done
    assert n["replaces"] == 0, n


def test_skip(session):
    server, user, daemon = sitting(session, CONFIG)
    server.wait_notify(1, 4 + SLACK)
    server.invoke(notification_ids(server)[0], "skip")
    daemon.wait_log("reminder answered: skip")
    wait_for(lambda: server.calls("CloseNotification"), SLACK, "the reminder withdrawn")
    answered = server.calls("CloseNotification")[-1][0]
    # a full sit-limit (4 s): neither the repeat (3 s) nor the snooze (6 s)
    stays_false(lambda: len(server.notifies()) > 1, 4 - 0.5, "a reminder before sit-limit")
    t, n = server.wait_notify(2, 0.5 + SLACK)
    assert 4 - 0.5 <= t - answered < 4 + SLACK, t - answered
    assert n["hints"]["urgency"] == 1, n["hints"]  # an answer resets the escalation


def test_dismissed(session):
    server, user, daemon = sitting(session, CONFIG)
    # libnotify 0.8.1 reports "closed" once per object: the second close
    # must be seen too, so every reminder after a close is a new object
    for i in (1, 2):
        server.wait_notify(i, 4 + SLACK)
        nid = notification_ids(server)[i - 1]
        server.emit("NotificationClosed", "uu", [GLib.Variant("u", nid), GLib.Variant("u", 2)])
        daemon.wait_log("reminder closed by the server", count=i)
        # dismissed is not answered: the repeat comes as a new notification, escalated
        _t, n = server.wait_notify(i + 1, 3 + SLACK)
        assert n["replaces"] == 0, n
        assert n["hints"]["urgency"] == 2, n["hints"]


def test_restart_after_long_gap(session):
    server = NotificationServer(session)
    user = User(session)
    user.start()
    config = CONFIG.replace("sit-limit = 4s", "sit-limit = 6s")
    first = Daemon(session, config)
    wait_for(lambda: time.monotonic() - first.started > 2, 5, "2 s of sitting")
    assert first.stop() == 0
    stopped = time.monotonic()
    # down for longer than break-length: that was a break
    wait_for(lambda: time.monotonic() - stopped > 2.5, 5, "2.5 s of downtime")
    second = Daemon(session, config)
    stays_false(lambda: server.notifies(), 6 - 0.5, "a reminder from the old bout")
    assert "resumed the bout" not in second.text()
    server.wait_notify(1, 0.5 + SLACK)


def test_reload_shorter_break(session):
    server, user, daemon = sitting(session,
                                   CONFIG.replace("break-length = 2s", "break-length = 3s"))
    daemon.write_config(CONFIG.replace("break-length = 2s", "break-length = 1s"))
    daemon.wait_log("settings reloaded from")
    server.wait_notify(1, 4 + SLACK)
    last_input = user.stop()
    # the idle source took the new threshold ...
    wait_for(lambda: server.calls("CloseNotification"), 3 + SLACK, "the reminder withdrawn")
    closed = server.calls("CloseNotification")[0][0]
    assert 1 - 0.3 <= closed - last_input < 1 + 1.0, closed - last_input
    # ... and kept running: not started again
    assert daemon.text().count("idle backend:") == 1, daemon.text()


def test_x_server_gone_on_break(session):
    server, user, daemon = sitting(session, CONFIG)
    user.stop()
    daemon.wait_log("break (natural)")
    session.processes.stop(session.xvfb)
    daemon.wait_log("went away")
    lost = time.monotonic()
    # timer-only from the loss on: a bout starts there and reminds after sit-limit
    t, _n = server.wait_notify(1, 4 + SLACK)
    assert t - lost >= 4 - 0.5, t - lost


def test_restart_keeps_bout(session):
    server = NotificationServer(session)
    user = User(session)
    user.start()
    first = Daemon(session, CONFIG.replace("sit-limit = 4s", "sit-limit = 6s"))
    wait_for(lambda: time.monotonic() - first.started > 2, 5, "2 s of sitting")
    assert first.stop() == 0
    second = Daemon(session, CONFIG.replace("sit-limit = 4s", "sit-limit = 6s"))
    second.wait_log("resumed the bout of the previous run")
    # reminded 6 s after the first daemon started, not 6 s after the second
    t, _n = server.wait_notify(1, 6 + SLACK)
    assert t - second.started < 6 - 1, t - second.started
    user.stop()


def test_x_server_stopped_at_start(session):
    server = NotificationServer(session)
    # the X server accepts the connection (the kernel queues it) but never answers
    with stopped(session.xvfb.pid):
        daemon = Daemon(session, CONFIG)
        assert time.monotonic() - daemon.started < 1, daemon.text()
        # the probe gives up on it, and the daemon reminds on timers meanwhile and after
        daemon.wait_log("x11: no answer within 5 s", timeout=5 + SLACK)
        daemon.wait_log("reminding on timers only")
        server.wait_notify(1, 4 + SLACK)
        daemon.exits_on_sigterm()


def test_done_while_x_stopped(session):
    server, user, daemon = sitting(session, CONFIG)
    server.wait_notify(1, 4 + SLACK)
    user.stop()
    with stopped(session.xvfb.pid):
        # Done asks the idle source for the next input: it must not wait for the X server
        server.invoke(notification_ids(server)[0], "done")
        daemon.wait_log("break (done)")
        daemon.exits_on_sigterm()


def test_reprobe_hung_idle_monitor(session):
    server, user, daemon = sitting(session, scenario.config("auto"))
    user.stop()
    # an idle monitor appears that will never answer ...
    name, path = "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core"
    monitor = session.processes.start([PYTHON, "-m", "dbusmock", name, path, name],
                                      env=session.env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
    wait_for(lambda: session.has_owner(name), 10, "the stand-in idle monitor")
    os.kill(monitor.pid, signal.SIGSTOP)
    try:
        # ... and the X server goes away: the probe after the loss asks it first
        session.processes.stop(session.xvfb)
        daemon.wait_log("idle source 'x11' broke")
        daemon.exits_on_sigterm()
    finally:
        session.processes.stop(monitor, signal.SIGKILL)


if __name__ == "__main__":
    run_tests([
        ("reminder after sit-limit, repeat replaces and escalates", test_reminder_after_sit_limit),
        ("snooze postpones by snooze, not repeat", test_snooze),
        ("done is a break; the bout restarts at the next input", test_done),
        ("skip waits a full sit-limit and resets escalation", test_skip),
        ("dismissed twice: both closes seen, repeats escalate", test_dismissed),
        ("break withdraws the reminder and restarts the bout",
         test_break_withdraws_and_restarts_bout),
        ("short pause keeps the bout", test_short_pause_keeps_bout),
        ("bad config on change and SIGHUP keeps the old settings", test_bad_config_keeps_old),
        ("config change on disk is applied", test_reload_applies_new_settings),
        ("notification server restart", test_server_restart),
        ("reload changes the hints of the replaced reminder", test_reload_changes_hints),
        ("server without actions", test_no_actions_server),
        ("user catalogue, escaped for body-markup", test_user_catalogue_escaped),
        ("X11 idle never used with WAYLAND_DISPLAY", test_timer_only_when_wayland),
        ("X server gone: timer-only, no spinning, one warning", test_x_server_gone),
        ("X server gone during a break: timer-only bout from then", test_x_server_gone_on_break),
        ("reload with a shorter break-length keeps the idle source, with the new threshold",
         test_reload_shorter_break),
        ("X server stopped at start-up: the daemon runs, decides, honours SIGTERM",
         test_x_server_stopped_at_start),
        ("X server stopped at a Done click: SIGTERM within a second", test_done_while_x_stopped),
        ("a hung idle monitor at the probe after a loss: SIGTERM within a second",
         test_reprobe_hung_idle_monitor),
        ("restart keeps the bout", test_restart_keeps_bout),
        ("restart after a gap of break-length starts a new bout", test_restart_after_long_gap),
        ("suspend across the deadline is a break", test_suspend_across_deadline),
        ("resume noticed at once", test_resume_noticed_at_once),
        ("a deadline in the last seconds of a suspend dates it as ending now",
         test_deadline_late_in_suspend),
        ("SIGKILL and an immediate restart keep the bout", test_sigkill_keeps_bout),
        ("SIGKILL, then away for break-length: a new bout", test_sigkill_then_away),
        ("an unwritable state directory: one warning, saved once fixed",
         test_unwritable_state_dir),
    ], needs=("Xvfb", "xdotool", "dbus-daemon"))

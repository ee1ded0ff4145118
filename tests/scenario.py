# SPDX-License-Identifier: MIT
"""The end-to-end scenario that every desktop's test runs, written once.

A desktop's test file starts its peers (the compositor or X server, a notification server, a
simulated user) and hands them over as a Sitting; the functions below are the scenario:

- reminder_break_and_next_bout: nothing before sit-limit, exactly one reminder; away for
  break-length withdraws it and logs a break; nothing during the break; back, the next reminder
  needs a full sit-limit;
- short_pause_keeps_bout: a pause under break-length does not end the bout;
- idle_source_killed: the idle source dies; the daemon stays alive, does not spin, warns exactly
  once, and goes on reminding on timers.

What differs between desktops is a parameter: the config (config()), the user (a gbtest.User:
start(); stop() returns the monotonic time the last input had been sent, and last_sent is the
time just before it was), the backend's name, how much sooner than asked the peer's idle
timeout may fire (`early`), and how to kill the source.
"""

import configparser
import time

from gbtest import Daemon, stays_false, wait_for

SLACK = 1.5  # s: for a loaded CI machine
ROUNDING = 0.1  # s: how much sooner than asked an exact timer may seem to fire (ms rounding)
SIT_LIMIT = 4  # s
BREAK_LENGTH = 2  # s


def config(backend, sit_limit=SIT_LIMIT, break_length=BREAK_LENGTH, repeat="10m",
           snooze="10m", sections=""):
    """The daemon's config: @sit_limit and @break_length in seconds, @repeat and @snooze as the
    config writes them (the default: one reminder per bout), and @sections (whole INI sections,
    each ending in a blank line) before [idle]."""
    return (f"[timing]\nsit-limit = {sit_limit}s\nbreak-length = {break_length}s\n"
            f"repeat = {repeat}\nsnooze = {snooze}\n\n{sections}[idle]\nbackend = {backend}\n")


def seconds(value):
    """A duration of the config ("4s", "10m", "1h") in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    return int(value[:-1]) * units[value[-1]]


class Sitting:
    """Someone at a desktop: @user starts sitting, then the daemon starts with @config (waiting
    until it names its idle @backend, unless that is None). @early: how much sooner than asked
    the @peer's idle timeout may fire; @peer: the desktop's own peer (its compositor), for its
    own tests. Unpacks as (server, user, daemon)."""

    def __init__(self, session, server, user, config, backend=None, early=0.0, peer=None,
                 **daemon_args):
        self.server = server
        self.user = user
        self.early = early
        self.peer = peer
        parser = configparser.ConfigParser()
        parser.read_string(config)
        self.sit_limit = seconds(parser["timing"]["sit-limit"])
        self.break_length = seconds(parser["timing"]["break-length"])
        user.start()
        self.daemon = Daemon(session, config, **daemon_args)
        if backend is not None:
            self.daemon.wait_log(f"idle backend: {backend}")

    def __iter__(self):
        return iter((self.server, self.user, self.daemon))


def warnings(daemon, since=0):
    """The warning lines of the daemon's log, from character @since on."""
    return [line for line in daemon.text()[since:].splitlines() if "WARNING" in line]


def reminder_break_and_next_bout(sitting):
    server, user, daemon = sitting
    sit, away = sitting.sit_limit, sitting.break_length
    # nothing before sit-limit, then exactly one reminder while the user keeps sitting
    stays_false(lambda: server.notifies(), sit - 0.3, "a reminder before sit-limit")
    t, _n = server.wait_notify(1, SLACK)
    assert t - daemon.started >= sit - 0.3, t - daemon.started
    stays_false(lambda: len(server.notifies()) > 1, 2, "a second reminder")
    # away for break-length: the reminder is withdrawn, no sooner than the peer may report
    # idle (timed from before the last input was sent, which no peer took sooner), and a
    # break logged
    user.stop()
    wait_for(lambda: server.calls("CloseNotification"), away + SLACK, "the reminder withdrawn")
    closed = server.calls("CloseNotification")[0][0]
    assert closed - user.last_sent >= away - sitting.early - ROUNDING, closed - user.last_sent
    daemon.wait_log("break (natural)")
    # still away: nothing new
    stays_false(lambda: len(server.notifies()) > 1, 3, "a reminder during the break")
    # back: the next reminder needs a full sit-limit from the first input (timed from before
    # it was sent)
    back = time.monotonic()
    user.start()
    stays_false(lambda: len(server.notifies()) > 1, sit - 0.5, "a reminder too early")
    t, _n = server.wait_notify(2, 0.5 + SLACK)
    assert t - back >= sit - ROUNDING, t - back
    assert daemon.text().count("break (") == 1, daemon.text()
    user.stop()
    # a clean exit (and, under ASan, no leak)
    assert daemon.stop() == 0, daemon.text()[-3000:]


def short_pause_keeps_bout(sitting, pause=1.0):
    server, user, daemon = sitting
    # under break-length, even for a peer whose idle timeout fires early
    assert pause < sitting.break_length - sitting.early - ROUNDING, pause
    wait_for(lambda: time.monotonic() - daemon.started > 1, 5, "1 s of sitting")
    # reading for @pause s in the middle of the bout
    pause_until = user.stop() + pause
    stays_false(lambda: server.notifies(), pause_until - time.monotonic(),
                "a reminder during the pause")
    user.start()
    t, _n = server.wait_notify(1, sitting.sit_limit + SLACK)
    # counted from the daemon's start, not from the end of the pause
    assert sitting.sit_limit - 0.3 <= t - daemon.started < sitting.sit_limit + SLACK, \
        t - daemon.started
    assert "break (" not in daemon.text(), daemon.text()
    user.stop()
    assert daemon.stop() == 0, daemon.text()[-3000:]


def idle_source_lost(sitting, kill, source):
    """The user stops, then kill() ends idle source @source: the daemon must say so in exactly
    one warning, stay alive and not spin. Returns where in the log the warning starts."""
    daemon = sitting.daemon
    sitting.user.stop()
    before = len(daemon.text())
    kill()
    lost = f"idle source '{source}' went away; reminding on timers only"
    daemon.wait_log(lost)
    # alive, and not spinning on the dead connection or watches
    cpu = daemon.cpu_seconds()
    stays_false(lambda: daemon.proc.poll() is not None, 2, "the daemon exited")
    assert daemon.cpu_seconds() - cpu < 0.1, daemon.cpu_seconds() - cpu
    said = warnings(daemon, before)
    assert len(said) == 1 and lost in said[0], said
    return before


def idle_source_killed(sitting, kill, source):
    """idle_source_lost, and then the daemon goes on reminding on timers, without another
    warning."""
    server, _user, daemon = sitting
    before = idle_source_lost(sitting, kill, source)
    server.wait_notify(1, sitting.sit_limit + SLACK)
    assert daemon.proc.poll() is None, daemon.text()[-3000:]
    assert len(warnings(daemon, before)) == 1, warnings(daemon, before)
    assert daemon.text().count("went away") == 1, daemon.text()
    assert daemon.stop() == 0, daemon.text()[-3000:]

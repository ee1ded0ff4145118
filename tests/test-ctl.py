#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""glutebreakctl and the D-Bus API against the real daemon on a private bus, with the real
dunst on Xvfb as the notification server and the X11 idle source (DESIGN.md section 3).

Every subcommand and its exit status (0 ok, 1 refused or not running, 2 usage); a rejected
reload prints the daemon's FILE:LINE message; bad input over D-Bus gets the registered error
names and leaves the daemon answering; --follow prints a change within a second and survives
the daemon going away and coming back; the properties are never sent periodically."""

import configparser
import datetime
import json
import os
import queue
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gi.repository import Gio, GLib  # noqa: E402

from gbdunst import Dunst  # noqa: E402
from gbtest import (DAEMON, TOP_BUILDDIR, TOP_SRCDIR, Daemon, User, run_tests,  # noqa: E402
                    stays_false, stopped, wait_for)

CTL = os.path.join(TOP_BUILDDIR, "src", "glutebreakctl")
NAME = "org.glutebreak.Glutebreak1"
PATH = "/org/glutebreak/Glutebreak1"
ERROR = NAME + ".Error."
NOT_RUNNING = "start it with: systemctl --user start glutebreak"
# long enough that no reminder and no natural break comes during a test
CONFIG = ("[timing]\nsit-limit = 10m\nbreak-length = 1m\n\n[idle]\nbackend = x11\n")
MINUTE = 60
COMMANDS = ("status", "pause", "resume", "snooze", "skip", "break", "reload", "exercise",
            "too-hard", "stats", "history", "programme")


def ctl(session, *args, timeout=10):
    """Runs glutebreakctl; returns (exit status, stdout, stderr)."""
    proc = subprocess.run([CTL, *args], env=session.env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def ok(session, *args):
    status, out, err = ctl(session, *args)
    assert status == 0, f"glutebreakctl {' '.join(args)}: {status}: {err}"
    return out


def refused(session, *args, message):
    status, out, err = ctl(session, *args)
    assert status == 1, f"glutebreakctl {' '.join(args)}: {status}, expected 1: {out}{err}"
    assert message in err, f"glutebreakctl {' '.join(args)}: {err!r} lacks {message!r}"
    return out


def usage(session, *args, message):
    status, out, err = ctl(session, *args)
    assert status == 2, f"glutebreakctl {' '.join(args)}: {status}, expected 2: {out}{err}"
    assert message in err, f"glutebreakctl {' '.join(args)}: {err!r} lacks {message!r}"


def status_json(session):
    return json.loads(ok(session, "status", "--json"))


def unix(iso):
    return datetime.datetime.fromisoformat(iso).timestamp()


def near(value, expected, what, slack=5):
    assert abs(value - expected) <= slack, f"{what}: {value}, expected about {expected}"


def start(session, config=CONFIG):
    """dunst and the daemon, once the daemon owns its name and uses the X11 source."""
    Dunst(session)
    daemon = Daemon(session, config)
    wait_for(lambda: session.has_owner(NAME), 10, "the daemon's name")
    wait_for(lambda: status_json(session)["idle_source"] == "x11", 10, "the X11 source")
    return daemon


def prop(session, name):
    reply = session.bus.call_sync(NAME, PATH, "org.freedesktop.DBus.Properties", "Get",
                                  GLib.Variant("(ss)", (NAME, name)), None,
                                  Gio.DBusCallFlags.NONE, 5000, None)
    return reply.unpack()[0]


def call(session, method, signature=None, *args):
    """Calls @method; returns None or the D-Bus error (name, message)."""
    try:
        session.bus.call_sync(NAME, PATH, NAME, method,
                              GLib.Variant(signature, args) if signature else None, None,
                              Gio.DBusCallFlags.NO_AUTO_START, 5000, None)
    except GLib.Error as error:
        name = Gio.DBusError.get_remote_error(error)
        Gio.DBusError.strip_remote_error(error)
        return name, error.message
    return None


def test_not_running(session):
    for command in ("status", "pause", "resume", "snooze", "skip", "break", "reload",
                    "exercise"):
        refused(session, command, message=NOT_RUNNING)
    status, out, err = ctl(session, "status", "--json")
    assert status == 1 and NOT_RUNNING in err, (status, err)
    stopped = json.loads(out)
    assert stopped["state"] == stopped["class"] == "stopped" and stopped["text"] == "", out


def test_usage(session):
    usage(session, message="no command given")
    usage(session, "frob", message="unknown command 'frob'")
    # the daemon's own duration parser: the same words as in the config file
    check = subprocess.run([DAEMON, "--check-config", "--config", "/dev/stdin"],
                           input="[timing]\nsit-limit = 30\n", env=session.env, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
    words = "missing unit: '30' (write 30m for minutes, or use s or h)"
    assert check.returncode == 1 and words in check.stderr, check.stderr
    usage(session, "pause", "30", message="pause: " + words)
    usage(session, "snooze", "1x", message="snooze: invalid duration: '1x'")
    usage(session, "pause", "0s", message="at least 1 s")
    usage(session, "pause", "until", "25:00", message="write the time as HH:MM")
    usage(session, "pause", "until", message="give one time")
    usage(session, "pause", "1h", "2h", message="unexpected argument '2h'")
    usage(session, "resume", "now", message="unexpected argument 'now'")
    usage(session, "status", "--follow", message="add --json or --format")
    usage(session, "status", "--json", "--format", "{text}", message="not both")
    usage(session, "status", "--format", "{nope}", message="unknown field '{nope}'")
    usage(session, "exercise", "--frob", message="unknown option '--frob'")
    usage(session, "too-hard", "glute-bridge", "x", message="unexpected argument 'x'")
    out = ok(session, "--help")
    for command in COMMANDS:
        assert f"  {command}" in out, f"--help lacks {command}"
    assert ok(session, "--version").startswith("glutebreakctl ")
    for command in COMMANDS:
        assert "Usage:" in ok(session, command, "--help"), f"{command} --help"


def test_status(session):
    start(session)
    text = ok(session, "status")
    assert "State:" in text and "sitting" in text and "Idle source:" in text, text
    assert "x11" in text and "Next reminder:" in text, text
    now = time.time()
    status = status_json(session)
    for field in ("text", "alt", "class", "tooltip", "percentage", "state", "hold",
                  "sitting_s", "next_reminder", "paused_until", "idle_source"):
        assert field in status, f"status --json lacks {field}: {status}"
    assert status["state"] == status["alt"] == status["class"] == "sitting", status
    assert status["text"] == "0m" and status["hold"] == "" and status["paused_until"] is None
    assert 0 <= status["percentage"] <= 100 and 0 <= status["sitting_s"] < 30, status
    near(unix(status["next_reminder"]), now + 10 * MINUTE, "next_reminder")
    assert prop(session, "SitLimit") == 10 * MINUTE * 10**6
    assert prop(session, "BreakLength") == MINUTE * 10**6
    assert prop(session, "IdleSource") == "x11" and prop(session, "Unanswered") == 0
    assert ok(session, "status", "--format", "{state}/{idle_source} {{x}}") == "sitting/x11 {x}\n"


def test_pause_resume(session):
    start(session)
    ok(session, "pause", "30m")
    status = status_json(session)
    assert status["state"] == "paused" and status["text"] == "paused 30m", status
    near(unix(status["paused_until"]), time.time() + 30 * MINUTE, "paused_until")
    assert status["next_reminder"] is None and prop(session, "BoutStart") == 0, status
    refused(session, "skip", message="reminders are paused")
    ok(session, "resume")
    assert status_json(session)["state"] == "sitting"
    refused(session, "resume", message="not paused")
    ok(session, "pause")
    near(unix(status_json(session)["paused_until"]), time.time() + 60 * MINUTE, "default pause")
    # "until": today's HH:MM, or tomorrow's once it has passed
    target = datetime.datetime.now().astimezone() + datetime.timedelta(minutes=3)
    ok(session, "pause", "until", target.strftime("%H:%M"))
    until = datetime.datetime.fromisoformat(status_json(session)["paused_until"])
    assert until.strftime("%H:%M:%S") == target.strftime("%H:%M:00"), (until, target)
    assert 60 <= until.timestamp() - time.time() <= 180, until
    passed = datetime.datetime.now().astimezone() - datetime.timedelta(minutes=2)
    ok(session, "pause", "until", passed.strftime("%H:%M"))
    until = unix(status_json(session)["paused_until"])
    assert 22 * 3600 < until - time.time() < 24 * 3600, until - time.time()


def test_snooze_skip_break(session):
    start(session)
    ok(session, "snooze", "5m")
    near(unix(status_json(session)["next_reminder"]), time.time() + 5 * MINUTE, "snoozed")
    ok(session, "snooze")  # the configured snooze: 10 min
    near(unix(status_json(session)["next_reminder"]), time.time() + 10 * MINUTE, "snooze")
    ok(session, "skip")
    near(unix(status_json(session)["next_reminder"]), time.time() + 10 * MINUTE, "skipped")
    ok(session, "break")
    assert status_json(session)["state"] == "on-break"
    for command in ("skip", "snooze", "break"):
        refused(session, command, message="you are on a break")
    # the next input starts the next bout
    session.xdotool("mousemove", "10", "10")
    wait_for(lambda: status_json(session)["state"] == "sitting", 5, "the next bout")


def test_reload(session):
    daemon = start(session)
    daemon.write_config("[timing]\nsit-limit = 10\n")
    refused(session, "reload",
            message=f"glutebreakctl: {daemon.config}:2: [timing] sit-limit: missing unit: '10'")
    assert prop(session, "SitLimit") == 10 * MINUTE * 10**6, "the old settings keep running"
    assert ok(session, "status")
    daemon.write_config(CONFIG.replace("10m", "20m"))
    ok(session, "reload")
    assert prop(session, "SitLimit") == 20 * MINUTE * 10**6


def catalogue_ids():
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(os.path.join(TOP_SRCDIR, "data", "exercises.ini"))
    return parser.sections()


def test_exercise(session):
    listed = ok(session, "exercise", "--list").split()  # no daemon needed
    assert listed == catalogue_ids(), listed
    daemon = start(session)
    ok(session, "exercise", listed[2])
    daemon.wait_log(f"suggesting '{listed[2]}'")
    ok(session, "exercise")
    daemon.wait_log("suggesting '", count=2)
    refused(session, "exercise", "bogus", message="no exercise 'bogus'")
    assert daemon.text().count("reminder:") == 2


def test_dbus_bad_input(session):
    daemon = start(session)
    day = 24 * 3600 * 10**6
    hour = 3600 * 10**6
    for method, value in (("Pause", -1), ("Pause", 0), ("Pause", day + hour + 1),
                          ("Pause", 2**63 - 1), ("Pause", -2**63), ("Snooze", -1),
                          ("Snooze", day + 1), ("Snooze", -2**63)):
        name, message = call(session, method, "(x)", value)
        assert name == ERROR + "InvalidArgs", (method, value, name)
        assert f"{method.lower()}: the duration must be between" in message, message
    name, message = call(session, "ShowExercise", "(s)", "../../etc/passwd")
    assert name == ERROR + "UnknownExercise", name
    name, _ = call(session, "Pause", "(s)", "1h")  # the wrong type
    assert name == "org.freedesktop.DBus.Error.InvalidArgs", name
    name, _ = call(session, "Resume")
    assert name == ERROR + "NotPaused", name
    name, _ = call(session, "Frob")
    assert name == "org.freedesktop.DBus.Error.UnknownMethod", name
    assert call(session, "Snooze", "(x)", 0) is None  # 0: the configured snooze
    # nothing stuck: still sitting and answering, properties as before
    assert status_json(session)["state"] == "sitting"
    assert prop(session, "PausedUntil") == 0 and daemon.proc.poll() is None


class Follow:
    """glutebreakctl status --json --follow, its lines read as they come."""

    def __init__(self, session):
        self.lines = queue.Queue()
        self.proc = session.processes.start([CTL, "status", "--json", "--follow"],
                                            env=session.env, stdout=subprocess.PIPE,
                                            text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)

    def next(self, timeout):
        try:
            return json.loads(self.lines.get(timeout=timeout))
        except queue.Empty:
            raise AssertionError(f"--follow printed nothing for {timeout} s") from None

    def wait_state(self, state, timeout):
        deadline = time.monotonic() + timeout
        while True:
            line = self.next(max(deadline - time.monotonic(), 0.01))
            if line["state"] == state:
                return line


def test_follow(session):
    daemon = start(session)
    follow = Follow(session)
    assert follow.next(5)["state"] == "sitting"
    ok(session, "pause", "10m")
    returned = time.monotonic()
    line = follow.wait_state("paused", 1.0)
    assert time.monotonic() - returned < 1.0
    assert line["paused_until"] is not None
    daemon.stop()
    follow.wait_state("stopped", 5.0)
    Daemon(session, CONFIG)
    follow.wait_state("sitting", 10)
    assert follow.proc.poll() is None


def test_no_periodic_signals(session):
    start(session)
    changes = []
    session.bus.signal_subscribe(None, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                 PATH, None, Gio.DBusSignalFlags.NONE,
                                 lambda *args: changes.append(args[5]))
    context = GLib.MainContext.default()

    def changed():
        while context.iteration(False):
            pass
        return changes
    ok(session, "snooze", "5m")
    wait_for(changed, 2, "PropertiesChanged after a snooze")
    assert len(changes) == 1, changes  # one signal for the whole change
    del changes[:]
    stays_false(changed, 3, "PropertiesChanged while nothing changes")


def subsequence(events, expected):
    """@expected, [(event, answer or break or None)], occurs in @events in this order."""
    found = 0
    for event in events:
        if found < len(expected):
            kind, detail = expected[found]
            if event["event"] == kind and detail in (None, event.get("answer"),
                                                     event.get("break")):
                found += 1
    assert found == len(expected), f"missing {expected[found]} in {events}"


def test_history(session):
    """What the user did, as the history file and stats tell it afterwards (rule 13)."""
    Dunst(session)
    user = User(session)
    user.start()
    # break-length 5 s: a stalled input thread on a loaded machine makes no extra break
    daemon = Daemon(session, "[timing]\nsit-limit = 6s\nbreak-length = 5s\n\n"
                    "[idle]\nbackend = x11\n")
    daemon.wait_log("reminder:", timeout=20)
    ok(session, "snooze", "1m")
    ok(session, "break")
    wait_for(lambda: status_json(session)["state"] == "sitting", 5, "the next bout")
    ok(session, "pause", "5m")
    ok(session, "resume")
    # the bout going on is not in the file yet: stats asks the daemon for it
    today = json.loads(ok(session, "stats", "--days", "1", "--json"))[-1]
    assert today["bouts"] == 3, today
    daemon.wait_log("reminder:", count=2, timeout=20)
    last_input = user.stop()
    last_wall = time.time() - (time.monotonic() - last_input)
    daemon.wait_log("break (natural)", timeout=20)
    assert daemon.stop() == 0
    events = json.loads(ok(session, "history", "--json"))
    subsequence(events, [("daemon-start", None), ("bout-start", None), ("reminder", None),
                         ("answer", "snooze"), ("bout-end", "done"), ("bout-start", None),
                         ("bout-end", "pause"), ("pause", None), ("resume", None),
                         ("bout-start", None), ("reminder", None), ("answer", "withdrawn"),
                         ("bout-end", "natural"), ("daemon-stop", None)])
    natural = [e for e in events if e.get("break") == "natural"][0]
    # the bout ended at the last input, not when the break was certain
    ended = unix(natural["time"])
    # (the file has whole seconds: up to one early)
    assert last_wall - 1.5 <= ended <= last_wall + 0.5, (ended, last_wall)
    near(unix(natural["start"]) + natural["length_s"], ended, "start + length", slack=1)
    path = os.path.join(session.env["XDG_STATE_HOME"], "glutebreak", "history")
    assert os.stat(path).st_mode & 0o777 == 0o600
    today = json.loads(ok(session, "stats", "--days", "1", "--json"))[-1]
    assert today["bouts"] == 3 and today["reminders"] == 2, today
    assert today["answers"]["snooze"] == 1 and today["answers"]["withdrawn"] == 1, today


def test_break_withdraws_asked_exercise(session):
    """Rule 4 for an exercise asked for: a break takes it off the screen too."""
    dunst = Dunst(session)
    user = User(session)
    user.start()
    daemon = Daemon(session, "[timing]\nsit-limit = 10m\nbreak-length = 2s\n\n"
                    "[idle]\nbackend = x11\n")
    wait_for(lambda: session.has_owner(NAME), 10, "the daemon's name")
    ok(session, "exercise", "glute-bridge")
    wait_for(lambda: dunst.displayed() == 1, 5, "the exercise on screen")
    user.stop()
    daemon.wait_log("break (natural)", timeout=10)
    wait_for(lambda: dunst.displayed() == 0, 5, "the exercise withdrawn")
    events = json.loads(ok(session, "history", "--json"))
    subsequence(events, [("reminder", None), ("answer", "withdrawn"), ("bout-end", "natural")])


ACTIVATION_BUS = """<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/>
  </policy>
</busconfig>
"""


def test_activation(session):
    """The installed D-Bus service file starts the daemon for a command (on a bus of its own:
    the other tests' bus has no service activation)."""
    services = os.path.join(session.tmp, "services")
    os.makedirs(services)
    with open(os.path.join(TOP_SRCDIR, "data", "org.glutebreak.Glutebreak1.service.in")) as f:
        text = f.read()
    assert "SystemdService=glutebreak.service" in text
    config = os.path.join(session.tmp, "config.ini")
    with open(config, "w") as f:
        f.write(CONFIG)
    # as installed, with the built daemon for @bindir@/glutebreak and this test's config
    with open(os.path.join(services, NAME + ".service"), "w") as f:
        f.write(text.replace("@bindir@/glutebreak", f"{DAEMON} --config {config}"))
    bus_config = os.path.join(session.tmp, "activation.conf")
    with open(bus_config, "w") as f:
        f.write(ACTIVATION_BUS.format(services=services))
    bus = session.processes.start(["dbus-daemon", f"--config-file={bus_config}",
                                   "--print-address=1", "--nofork"], env=session.env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    env = dict(session.env, DBUS_SESSION_BUS_ADDRESS=bus.stdout.readline().strip())
    activated = type("Activated", (), {"env": env})
    refused(activated, "status", message=NOT_RUNNING)  # a status bar starts nothing
    ok(activated, "pause", "10m")  # the command starts it
    assert json.loads(ok(activated, "status", "--json"))["state"] == "paused"
    ok(activated, "resume")


def test_hung_daemon(session):
    """A daemon that stops answering holds up neither status nor stats for GDBus's 25 s."""
    daemon = start(session)
    with stopped(daemon.proc.pid):
        status, _, err = ctl(session, "status", timeout=10)
        assert status == 1 and "does not answer" in err, (status, err)
        ok(session, "stats", "--days", "1")  # (ctl() fails after 10 s)


def files(session):
    """The state and the history, as they are now."""
    out = {}
    for name in ("state", "history"):
        path = os.path.join(session.env["XDG_STATE_HOME"], "glutebreak", name)
        with open(path, "rb") as f:
            out[name] = f.read()
    return out


def test_second_daemon(session):
    first = start(session)
    before = files(session)
    log = os.path.join(session.tmp, "second.log")
    # timer-only: its idle source decides at once, before the bus refuses the name
    config = os.path.join(session.tmp, "second.ini")
    with open(config, "w") as f:
        f.write(CONFIG.replace("backend = x11", "backend = none"))
    with open(log, "w") as out:
        second = subprocess.run([DAEMON, "--config", config], env=session.env,
                                stdout=out, stderr=subprocess.STDOUT, timeout=20)
    with open(log) as f:
        text = f.read()
    assert second.returncode == 1, text
    assert "is another glutebreak running?" in text, text
    assert first.proc.poll() is None and status_json(session)["state"] == "sitting"
    assert files(session) == before, "the second daemon wrote the first one's files"


if __name__ == "__main__":
    run_tests([
        ("glutebreakctl says how to start a daemon that is not running", test_not_running),
        ("glutebreakctl usage errors exit 2 with the daemon's words", test_usage),
        ("status as text, JSON and a format", test_status),
        ("pause, pause until, resume", test_pause_resume),
        ("snooze, skip and break", test_snooze_skip_break),
        ("reload: a bad file is refused with FILE:LINE, the old settings run", test_reload),
        ("exercise [ID] and exercise --list", test_exercise),
        ("D-Bus: bad input gets an error, never a stuck daemon", test_dbus_bad_input),
        ("status --follow: a change within a second, the daemon stopping and back",
         test_follow),
        ("PropertiesChanged: one per change, none while nothing changes",
         test_no_periodic_signals),
        ("a second daemon on the same bus exits with a hint", test_second_daemon),
        ("a daemon that hangs holds up neither status nor stats", test_hung_daemon),
        ("D-Bus activation starts the daemon for a command, not for status",
         test_activation),
        ("the history records bouts, reminders, answers and pauses", test_history),
        ("a break withdraws an exercise asked for", test_break_withdraws_asked_exercise),
    ], needs=("dunst", "Xvfb", "xdotool"))

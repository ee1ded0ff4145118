#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The programme (DESIGN.md rule 14) in the real daemon, with the real dunst on Xvfb as the
notification server and the X11 idle source; the user answers from dunst's action menu.

The reminder shows the level's dose, the safety line and a "Too hard" action; a Done counts
once a day; "too hard" (the button or glutebreakctl too-hard) is written to the history;
Done on the third day moves the exercise up, in the state file and the history, and the new
level survives a restart; a corrupt state file starts everyone at level 1 with a warning;
[programme] enabled = no shows the plain dose without levels or "Too hard"."""

import datetime
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gbdunst import Dunst  # noqa: E402
from gbnotifywatch import BusWatch  # noqa: E402
from gbtest import TOP_BUILDDIR, Daemon, User, run_tests, wait_for  # noqa: E402

CTL = os.path.join(TOP_BUILDDIR, "src", "glutebreakctl")
# no reminder of its own during a test: every reminder is asked for
CONFIG = "[timing]\nsit-limit = 10m\nbreak-length = 1m\n\n[idle]\nbackend = x11\n"
SAFETY = "Stop if it hurts sharply, tingles or makes you dizzy. Keep breathing. Not medical advice."
TIMEOUT = 5


def ctl(session, *args):
    proc = subprocess.run([CTL, *args], env=session.env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=10)
    return proc.returncode, proc.stdout, proc.stderr


def ok(session, *args):
    status, out, err = ctl(session, *args)
    assert status == 0, f"glutebreakctl {' '.join(args)}: {status}: {err}"
    return out


def state_path(session):
    return os.path.join(session.env["XDG_STATE_HOME"], "glutebreak", "state")


def history(session):
    path = os.path.join(session.env["XDG_STATE_HOME"], "glutebreak", "history")
    with open(path) as f:
        return f.read()


def level_lines(session):
    return [line.split(" ", 1)[1] for line in history(session).splitlines()
            if " level " in line]


def programme(session, exercise_id):
    rows = json.loads(ok(session, "programme", "--json"))
    return next(row for row in rows if row["id"] == exercise_id)


def wait_programme(session, exercise_id, **expected):
    """Waits until glutebreakctl programme --json shows @expected for @exercise_id (the state
    file is saved right after the answer is logged); returns the row."""
    def matches():
        row = programme(session, exercise_id)
        return all(row[key] == value for key, value in expected.items())
    wait_for(matches, TIMEOUT, f"{exercise_id}: {expected}")
    return programme(session, exercise_id)


def julian(date):
    """GDate's Julian day number of @date (1 = 0001-01-01)."""
    return date.toordinal()


class Desk:
    """dunst, a bus watch, the user typing and the daemon."""

    def __init__(self, session, config=CONFIG):
        self.session = session
        self.dunst = Dunst(session)
        self.watch = BusWatch(session)
        self.user = User(session)
        self.user.start()
        self.starts = 0
        self.start(config)

    def start(self, config=CONFIG):
        """Starts the daemon (again: the log goes on in the same file)."""
        self.starts += 1
        self.daemon = Daemon(self.session, config)
        self.daemon.wait_log("idle backend: x11", count=self.starts)
        # the levels are read once the daemon owns its files
        self.daemon.wait_log("programme read from the state file", count=self.starts)

    def show(self, exercise_id):
        """glutebreakctl exercise ID, while sitting (an answer then ends the bout and withdraws
        the reminder); returns the Notify it made."""
        wait_for(lambda: json.loads(ok(self.session, "status", "--json"))["state"] == "sitting",
                 TIMEOUT, "sitting again")
        count = len(self.watch.notifies())
        ok(self.session, "exercise", exercise_id)
        _t, notify = self.watch.wait_notify(count + 1, TIMEOUT)
        wait_for(lambda: self.dunst.displayed() == 1, TIMEOUT, "the reminder on screen")
        return notify

    def answer(self, key):
        """Picks @key from dunst's action menu."""
        count = len(self.watch.of("ActionInvoked"))
        logged = self.daemon.text().count(f"reminder answered: {key}")
        self.dunst.pick(key)
        self.dunst.ctl("context")
        _t, invoked = self.watch.wait("ActionInvoked", count + 1, TIMEOUT)
        assert invoked["extra"] == key, invoked
        self.daemon.wait_log(f"reminder answered: {key}", count=logged + 1)

    def close(self):
        self.watch.close()


def test_reminder_done_and_too_hard(session):
    desk = Desk(session)
    try:
        notify = desk.show("glute-bridge")
        body = notify["body"]
        assert "Glute bridge \u00b7 level 1 of 5 \u00b7 10 reps, 1 s hold" in body, body
        assert body.rstrip().endswith(SAFETY), body
        assert "too-hard" in notify["actions"], notify["actions"]
        desk.answer("done")
        wait_programme(session, "glute-bridge", level=1, days_done=1,
                       last_done=datetime.date.today().isoformat())

        # a second Done the same day does not count again
        desk.show("glute-bridge")
        desk.answer("done")
        assert programme(session, "glute-bridge")["days_done"] == 1

        # Too hard, from the reminder and by name: written down, the level stays
        desk.show("glute-bridge")
        desk.answer("too-hard")
        wait_for(lambda: desk.dunst.displayed() == 0, TIMEOUT, "the reminder withdrawn")
        ok(session, "too-hard", "glute-bridge")
        lines = level_lines(session)
        assert lines == ["level exercise=glute-bridge change=too-hard from=1 level=1"] * 2, lines
        assert programme(session, "glute-bridge")["level"] == 1

        # a move or release exercise has no levels, no safety line and no "Too hard"
        notify = desk.show("walk-a-lap")
        assert "too-hard" not in notify["actions"], notify["actions"]
        assert SAFETY not in notify["body"], notify["body"]
        status, _out, err = ctl(session, "too-hard")
        assert status == 1 and "no strengthen exercise on screen" in err, (status, err)
        status, _out, err = ctl(session, "too-hard", "walk-a-lap")
        assert status == 1 and "no strengthen exercise 'walk-a-lap'" in err, (status, err)
    finally:
        desk.close()


def test_level_up_survives_restart(session):
    os.makedirs(os.path.dirname(state_path(session)), mode=0o700)
    yesterday = julian(datetime.date.today() - datetime.timedelta(days=1))
    write_progress(session, "glute-bridge", level=1, best=1, days=2, last_done=yesterday)
    desk = Desk(session)
    try:
        body = desk.show("glute-bridge")["body"]
        assert "level 1 of 5" in body, body
        desk.answer("done")
        wait_for(lambda: level_lines(session), TIMEOUT, "a level line in the history")
        assert level_lines(session) == ["level exercise=glute-bridge change=up from=1 level=2"]
        wait_programme(session, "glute-bridge", level=2, days_done=0, days_needed=3)

        desk.daemon.exits_on_sigterm(within=2)
        desk.start()
        body = desk.show("glute-bridge")["body"]
        assert "Glute bridge \u00b7 level 2 of 5 \u00b7 12 reps, 2 s hold" in body, body
    finally:
        desk.close()


def test_corrupt_state(session):
    os.makedirs(os.path.dirname(state_path(session)), mode=0o700)
    with open(state_path(session), "w") as f:
        f.write("[programme]\nglute-bridge=not;numbers\n")
    desk = Desk(session)
    try:
        desk.daemon.wait_log("unreadable programme, everyone starts at level 1")
        body = desk.show("glute-bridge")["body"]
        assert "level 1 of 5" in body, body
        desk.answer("done")
        wait_programme(session, "glute-bridge", days_done=1)
    finally:
        desk.close()


def test_programme_off(session):
    # a Done today would level this one up with the programme on
    os.makedirs(os.path.dirname(state_path(session)), mode=0o700)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    write_progress(session, "glute-bridge", level=1, best=1, days=2,
                   last_done=julian(yesterday))
    desk = Desk(session, CONFIG + "\n[programme]\nenabled = no\n")
    try:
        notify = desk.show("glute-bridge")
        assert notify["body"].startswith("Glute bridge \u2014 12 reps"), notify["body"]
        assert "level" not in notify["body"], notify["body"]
        assert "too-hard" not in notify["actions"], notify["actions"]
        status, _out, err = ctl(session, "too-hard", "glute-bridge")
        assert status == 1 and "the programme is off" in err, (status, err)
        desk.answer("done")
        assert "reminder answered: done" in desk.daemon.text()
        desk.daemon.exits_on_sigterm(within=2)
        assert level_lines(session) == []
        # the levels wait, untouched, until the programme is on again
        row = programme(session, "glute-bridge")
        assert (row["level"], row["days_done"]) == (1, 2), row
        assert row["last_done"] == yesterday.isoformat(), row
    finally:
        desk.close()


def write_progress(session, exercise_id, level, best, days, last_done):
    """A state file with no bout and @exercise_id's progress (src/programme-file.c's format:
    level;best-level;days-at-level;last-done;lapse-from;last-shown;too-hard-days;
    last-too-hard;retired)."""
    with open(state_path(session), "w") as f:
        f.write("[state]\nversion=2\nboot-id=\nin-bout=false\nsaved-boot=0\nsaved-wall=0\n"
                "running=false\n\n[programme]\n"
                f"{exercise_id}={level};{best};{days};{last_done};{last_done};{last_done};0;0;0\n")


if __name__ == "__main__":
    run_tests([
        ("reminder shows the level, Done counts once a day, too hard is recorded",
         test_reminder_done_and_too_hard),
        ("Done on the third day levels up, and the level survives a restart",
         test_level_up_survives_restart),
        ("a corrupt state file starts at level 1 with a warning", test_corrupt_state),
        ("[programme] enabled = no keeps the plain dose", test_programme_off),
    ], needs=("dunst", "xdotool"))

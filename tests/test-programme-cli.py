#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""glutebreakctl programme end to end (DESIGN.md rule 14): the real glutebreakctl against state
files this test writes in a private XDG_STATE_HOME, with a small catalogue of its own (not the
shipped levels), and no daemon and no session bus at all. A missing state file is everyone at
level 1; a corrupt one is a warning and level 1, never a crash; lapses count up to today."""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gbtest import DAEMON, TOP_BUILDDIR, Tap, skip_all  # noqa: E402

CTL = os.path.join(TOP_BUILDDIR, "src", "glutebreakctl")

CATALOGUE = """\
[walk]
name = Walk
category = move
steps = Walk a lap of the floor.
dose = 3 min
tags = standing
why = Moving.

[glute-bridge]
name = Glute bridge
category = strengthen
steps = Lie on your back, knees bent, and lift your hips.
dose = 12 reps
tags = floor
why = Glutes.
levels = 10 reps
\t12 reps
\t15 reps
\t18 reps
\t20 reps

[single-leg-bridge]
name = Single-leg bridge
category = strengthen
steps = The bridge on one leg.
dose = 8 each side
tags = floor
why = One side at a time.
levels = 5 each side
\t8 each side
requires = glute-bridge 3

[squeeze]
name = Squeeze
category = strengthen
steps = Squeeze your glutes.
dose = 10 x 5 s
tags = seated
why = Nobody notices.
"""

STATE = ("[state]\nversion=2\nboot-id=\nin-bout=false\nsaved-boot=0\nsaved-wall=0\n"
         "running=false\n\n")


class Home:
    """A private home: config, data and state dirs, the catalogue, no session bus."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="glutebreak-programme-")
        share = os.path.join(self.tmp, "share", "glutebreak")
        os.makedirs(share)
        with open(os.path.join(share, "exercises.ini"), "w", encoding="utf-8") as f:
            f.write(CATALOGUE)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("XDG_", "DBUS_", "G_DEBUG"))}
        self.env.update(HOME=self.tmp, TZ="UTC", LC_ALL="C.UTF-8",
                        XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                        XDG_CONFIG_DIRS=os.path.join(self.tmp, "etc"),
                        XDG_DATA_HOME=os.path.join(self.tmp, "data"),
                        XDG_DATA_DIRS=os.path.join(self.tmp, "share"),
                        XDG_STATE_HOME=os.path.join(self.tmp, "state"),
                        DBUS_SESSION_BUS_ADDRESS=f"unix:path={self.tmp}/no-bus",
                        G_DEBUG="fatal-warnings")
        self.state = os.path.join(self.tmp, "state", "glutebreak", "state")

    def write_state(self, data):
        os.makedirs(os.path.dirname(self.state), exist_ok=True)
        with open(self.state, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())

    def write_config(self, text):
        os.makedirs(os.path.join(self.tmp, "config", "glutebreak"), exist_ok=True)
        path = os.path.join(self.tmp, "config", "glutebreak", "config.ini")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def ctl(self, *args):
        proc = subprocess.run([CTL, *args], env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=10)
        return proc.returncode, proc.stdout, proc.stderr

    def listing(self, *args, warning=None):
        """programme --json as a dict by id; asserts the exit status and stderr."""
        status, out, err = self.ctl("programme", "--json", *args)
        assert status == 0, f"exit {status}: {err}"
        if warning is None:
            assert err == "", err
        else:
            assert "warning" in err and warning in err, f"{err!r} lacks {warning!r}"
        return {row["id"]: row for row in json.loads(out)}

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def today():
    """Today as glutebreakctl counts it (TZ=UTC): a GDate Julian day number."""
    return datetime.datetime.now(datetime.timezone.utc).date().toordinal()


def progress(day, level, days, last_done, retired=False):
    """A [programme] line: level;best-level;days-at-level;last-done;lapse-from;last-shown;
    too-hard-days;last-too-hard;retired (src/programme-file.c)."""
    return f"{day}={level};{level};{days};{last_done};{last_done};{last_done};0;0;{int(retired)}\n"


def iso(day):
    return datetime.date.fromordinal(day).isoformat()


def test_levels(home):
    """The levels of the state file, as JSON and as text, without a daemon."""
    now = today()
    home.write_state(STATE + "[programme]\n" + progress("glute-bridge", 3, 2, now - 1)
                     + progress("squeeze", 1, 0, now))
    rows = home.listing()
    assert list(rows) == ["glute-bridge", "single-leg-bridge", "squeeze"], list(rows)
    bridge = rows["glute-bridge"]
    assert bridge == {"id": "glute-bridge", "name": "Glute bridge", "level": 3, "levels": 5,
                      "dose": "15 reps", "days_done": 2, "days_needed": 4,
                      "last_done": iso(now - 1), "locked": False, "requires": None,
                      "retired": False}, bridge
    # the bridge at level 3 unlocks the single-leg bridge
    single = rows["single-leg-bridge"]
    assert single["locked"] is False and single["level"] == 1, single
    assert single["requires"] == {"id": "glute-bridge", "level": 3}, single
    assert single["last_done"] is None, single
    squeeze = rows["squeeze"]
    assert squeeze["level"] is None and squeeze["dose"] == "10 x 5 s", squeeze
    assert squeeze["last_done"] == iso(now), squeeze

    status, out, err = home.ctl("programme")
    assert status == 0 and err == "", (status, err)
    lines = out.splitlines()
    assert lines[0] == ("Glute bridge · level 3 of 5 · 15 reps · 2 of 4 days to level 4 · "
                        "last done yesterday"), lines
    assert lines[2] == "Squeeze · 10 x 5 s · last done today", lines
    assert "README.md" in lines[-1], lines


def test_no_state(home):
    """No state file yet: everyone at level 1, the single-leg bridge locked, no warning."""
    rows = home.listing()
    assert rows["glute-bridge"]["level"] == 1 and rows["glute-bridge"]["days_done"] == 0
    assert rows["glute-bridge"]["last_done"] is None
    assert rows["single-leg-bridge"]["locked"] is True
    status, out, err = home.ctl("programme")
    assert status == 0 and err == "", (status, err)
    assert ("Single-leg bridge · level 1 of 2 · 5 each side · "
            "locked: glute bridge level 3 first · never done") in out.splitlines(), out


def test_corrupt(home):
    """A corrupt state file or programme: a warning naming the file, level 1, exit 0."""
    now = today()
    for data in (b"\x00\xff garbage\n[[[\n",
                 STATE + "[programme]\nglute-bridge=3;3\n",
                 STATE + "[programme]\n" + progress("glute-bridge", 3, 2, now - 1)
                 + "squeeze=x;1;0;0;0;0;0;0;0\n",
                 STATE + "[programme]\nglute-bridge=2;1;0;0;0;0;0;0;0\n"):
        home.write_state(data)
        rows = home.listing(warning=home.state)
        assert rows["glute-bridge"]["level"] == 1, (data, rows["glute-bridge"])
        assert rows["single-leg-bridge"]["locked"] is True, data
        status, out, err = home.ctl("programme")
        assert status == 0 and "level 1 of 5" in out, (status, out, err)
        assert "everyone starts at level 1" in err, err


def test_lapse(home):
    """Lapses count up to today, as the daemon will count them: 30 days down two levels."""
    now = today()
    home.write_state(STATE + "[programme]\n" + progress("glute-bridge", 4, 1, now - 30))
    bridge = home.listing()["glute-bridge"]
    assert bridge["level"] == 2 and bridge["days_done"] == 0, bridge
    # back to a level reached before: 2 days to climb
    assert bridge["days_needed"] == 2, bridge
    assert bridge["last_done"] == iso(now - 30), bridge
    # the file is glutebreakctl's to read only
    with open(home.state, encoding="utf-8") as f:
        assert "glute-bridge=4;" in f.read()


def test_usage(home):
    status, out, err = home.ctl("programme", "--frob")
    assert status == 2 and "unknown option '--frob'" in err, (status, err)
    status, out, err = home.ctl("programme", "now")
    assert status == 2 and "unexpected argument 'now'" in err, (status, err)
    status, out, err = home.ctl("programme", "--help")
    assert status == 0 and out.startswith("Usage: glutebreakctl programme"), (status, out)
    status, out, err = home.ctl("--help")
    assert status == 0 and "  programme [--json]" in out, out


def test_programme_off(home):
    """[programme] enabled = no: still listed (the levels wait for it)."""
    config = home.write_config("[programme]\nenabled = no\n")
    check = subprocess.run([DAEMON, "--check-config", "--config", config], env=home.env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=10)
    assert check.returncode == 0, check.stdout
    home.write_state(STATE + "[programme]\n" + progress("glute-bridge", 2, 1, today()))
    assert home.listing()["glute-bridge"]["level"] == 2
    status, out, err = home.ctl("programme")
    assert status == 0 and "Glute bridge · level 2 of 5" in out, (status, out, err)
    assert out.startswith("The programme is off ([programme] enabled = no in "), out


def main():
    for program in (CTL, DAEMON):
        if not os.access(program, os.X_OK):
            skip_all(f"{program} is not built")
    tap = Tap()
    for name, function in (
            ("programme --json and the text read the levels of the state file", test_levels),
            ("no state file: everyone at level 1, no warning", test_no_state),
            ("a corrupt state file: a warning and level 1, never a crash", test_corrupt),
            ("lapses count up to today", test_lapse),
            ("programme: usage errors exit 2, --help", test_usage),
            ("[programme] enabled = no still lists the levels", test_programme_off)):
        def one(function=function):
            home = Home()
            try:
                function(home)
            finally:
                home.close()
        tap.run(name, one)
    sys.exit(tap.finish())


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The X11 fullscreen hold (src/hold-fullscreen-x11.c) on its own, through tests/hold-watch,
against the real mutter 43 as the window manager on Xvfb and real X11 windows (xlogo from
x11-apps). wmctrl makes a window fullscreen (Debian 12's xdotool has no windowstate),
xdotool activates one, and wmctrl closes one as the window manager's close button does.
xprop writes a window's properties as an app (_NET_WM_USER_TIME at each key press, as
Chromium does) or a window manager that marks a window fullscreen without resizing it
(_NET_WM_STATE; mutter itself reads that property only when it manages a window) would.
Xvfb stopped (SIGSTOP) stands for an X server that does not answer, Xvfb killed for one that
goes away."""

import os
import shutil
import signal
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gbdesktop import Window, xrun  # noqa: E402
from gbmutter import Mutter  # noqa: E402
from gbtest import (TOP_BUILDDIR, Session, Tap, print_logs, skip_all,  # noqa: E402
                    stays_false, stopped, wait_for)

HOLD_WATCH = os.path.join(TOP_BUILDDIR, "tests", "hold-watch")
HELD = "fullscreen (XLogo)"  # xlogo's WM_CLASS class is the detail


class HoldWatch:
    """tests/hold-watch fullscreen-x11: its "hold ..." and "check ..." lines as they come.
    With G_MESSAGES_DEBUG the sensor's g_info()/g_debug() lines come on stdout too."""

    def __init__(self, session, extra_env=None):
        self.session = session
        env = dict(session.env, G_DEBUG="fatal-warnings", G_MESSAGES_DEBUG="glutebreak")
        env.update(extra_env or {})
        self.lines = []
        self.lock = threading.Lock()
        self.log_path = os.path.join(session.tmp, "hold-watch.log")
        with open(self.log_path, "w") as log:
            self.proc = session.processes.start(
                [HOLD_WATCH, "fullscreen-x11"], env=env, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=log, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        with open(self.log_path, "a") as log:
            for line in self.proc.stdout:
                log.write(line)
                log.flush()
                with self.lock:
                    self.lines.append(line.rstrip("\n"))

    def text(self):
        with open(self.log_path) as f:
            return f.read()

    def holds(self):
        with self.lock:
            return [line[len("hold "):] for line in self.lines if line.startswith("hold ")]

    def hold(self):
        """The last hold it printed, or None before the first."""
        holds = self.holds()
        return holds[-1] if holds else None

    def wait_hold(self, hold, timeout=10):
        wait_for(lambda: self.hold() == hold, timeout,
                 f"'hold {hold}' (now: {self.hold()!r})")

    def count(self):
        with self.lock:
            return len(self.lines)

    def lines_since(self, count):
        with self.lock:
            return self.lines[count:]

    def check(self, within=1.5):
        """"check" answered within @within s (the sensor gives the X server 1 s, the contract
        of GbHoldCheckFunc): its main loop runs. Returns the answer, "on" or "off"."""
        before = self.count()

        def answer():
            return next((line[len("check "):] for line in self.lines_since(before)
                         if line.startswith("check ")), None)

        self.proc.stdin.write("check\n")
        self.proc.stdin.flush()
        return wait_for(answer, within, "the answer to 'check'")

    def switches(self):
        """The context switches of its main thread, which handles the X events: one per
        wakeup (the voluntary ones), and the preemptions."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return (int(fields["voluntary_ctxt_switches"])
                + int(fields["nonvoluntary_ctxt_switches"]))

    def settled_switches(self, stable=0.3):
        """switches() once it stayed the same for @stable s, i.e. once the events sent so far
        are handled (bounded: 10 s)."""
        samples = []
        polls = int(stable / 0.02)

        def settled():
            samples.append(self.switches())
            return len(samples) > polls and samples[-1] == samples[-1 - polls]
        wait_for(settled, 10, "hold-watch to stop waking up")
        return samples[-1]

    def watching(self, window):
        """The sensor took @window (xdotool's decimal id) as the active window."""
        wait_for(lambda: f"active window: '{int(window.id):#x}'" in self.text(), 10,
                 f"the sensor to watch window {window.id}")

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        """SIGTERM; asserts a clean exit and no warning."""
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)
        assert self.proc.returncode == 0, self.text()
        assert "WARNING" not in self.text() and "CRITICAL" not in self.text(), self.text()


def test_windows(session):
    """Fullscreen and focused holds; un-fullscreened, another window activated, or the
    window closed, it does not."""
    Mutter(session, "x11")
    watch = HoldWatch(session)
    watch.wait_hold("-")
    one = Window(session, "one")
    one.activate()
    one.fullscreen(True)
    watch.wait_hold(HELD)
    one.fullscreen(False)
    watch.wait_hold("-")
    one.fullscreen(True)
    watch.wait_hold(HELD)

    two = Window(session, "two")
    two.activate()
    watch.wait_hold("-")
    # one stays fullscreen, but is not the active window
    assert "_NET_WM_STATE_FULLSCREEN" in xrun(session, "xprop", "-id", one.id, "_NET_WM_STATE")
    one.activate()
    watch.wait_hold(HELD)

    one.close()
    watch.wait_hold("-")
    assert "active window destroyed" in watch.text(), watch.text()
    # the window manager's next active window is watched: two goes fullscreen
    two.activate()
    two.fullscreen(True)
    watch.wait_hold(HELD)
    watch.stop()
    # every change printed once: no off and on again between two states
    assert watch.holds() == ["-", HELD, "-", HELD, "-", HELD, "-", HELD], watch.holds()


def test_server_stopped(session):
    """An X server that does not answer freezes nothing: neither at start (xcb_connect()) nor
    while connected; the sensor catches up once it answers again."""
    Mutter(session, "x11")
    window = Window(session, "one")
    window.activate()
    window.fullscreen(True)
    with stopped(session.xvfb.pid):
        watch = HoldWatch(session)
        watch.wait_hold("-", timeout=5)
        # not connected yet: what it knows
        assert watch.check() == "off"
        assert watch.check() == "off"
    watch.wait_hold(HELD)
    with stopped(session.xvfb.pid):
        # the reads get no answer: the state as last known after 1 s
        assert watch.check() == "on"
        assert watch.check() == "on"
        assert "check: no answer from the X server in 1000 ms" in watch.text(), watch.text()
        assert watch.hold() == HELD, watch.holds()
    window.fullscreen(False)
    watch.wait_hold("-")
    watch.stop()


def test_server_gone(session):
    """Xvfb killed: the hold goes off, said in the log; no crash, no busy loop."""
    Mutter(session, "x11")
    window = Window(session, "one")
    window.activate()
    window.fullscreen(True)
    watch = HoldWatch(session)
    watch.wait_hold(HELD)
    session.processes.stop(session.xvfb, signal.SIGKILL)
    watch.wait_hold("-")
    assert "fullscreen hold off: lost the connection to the X server: '" in watch.text(), \
        watch.text()
    cpu = watch.cpu_seconds()
    stays_false(lambda: watch.proc.poll() is not None, 2, "hold-watch exited")
    assert watch.check() == "off"
    used = watch.cpu_seconds() - cpu
    assert used < 0.2, f"{used:.2f} s of CPU in 2 s without an X server"
    watch.stop()


def test_no_window_manager(session):
    """No window manager, so no _NET_ACTIVE_WINDOW: a window that says it is fullscreen holds
    nothing, and nothing is warned about. One that comes later is noticed."""
    window = Window(session, "one")
    xrun(session, "xprop", "-id", window.id, "-f", "_NET_WM_STATE", "32a",
         "-set", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")
    watch = HoldWatch(session)
    watch.wait_hold("-")
    wait_for(lambda: "no _NET_ACTIVE_WINDOW on the root" in watch.text(), 10,
             "the first look at the root")
    stays_false(lambda: watch.hold() != "-", 1, f"hold {watch.hold()} without a window manager")
    assert watch.check() == "off"

    Mutter(session, "x11")
    window.activate()
    window.fullscreen(True)
    watch.wait_hold(HELD)
    watch.stop()


def set_user_times(session, window, count):
    """@count key presses in @window as Chromium reports them: its _NET_WM_USER_TIME set.
    Each xprop has returned once the X server handled its change (XCloseDisplay syncs)."""
    for time in range(1, count + 1):
        xrun(session, "xprop", "-id", window.id, "-f", "_NET_WM_USER_TIME", "32c",
             "-set", "_NET_WM_USER_TIME", str(time))


def test_quiet(session):
    """The active window's other properties wake nothing while it is not fullscreen: 50
    changes of its _NET_WM_USER_TIME, fewer than 5 wakeups. While it is fullscreen they do
    wake (the test sees wakeups), and the hold stays."""
    Mutter(session, "x11")
    watch = HoldWatch(session)
    window = Window(session, "one")
    window.activate()
    watch.watching(window)
    watch.wait_hold("-")
    before = watch.settled_switches()
    set_user_times(session, window, 50)
    woke = watch.settled_switches() - before
    print(f"# not fullscreen: {woke} wakeups for 50 changes of _NET_WM_USER_TIME", flush=True)
    assert woke < 5, f"{woke} wakeups for 50 changes of a property of a window not fullscreen"
    assert watch.holds() == ["-"], watch.holds()

    window.fullscreen(True)
    watch.wait_hold(HELD)
    before = watch.settled_switches()
    set_user_times(session, window, 50)
    woke = watch.settled_switches() - before
    print(f"# fullscreen: {woke} wakeups for 50 changes of _NET_WM_USER_TIME", flush=True)
    assert woke >= 25, f"only {woke} wakeups for 50 changes of a fullscreen window's property"
    assert watch.holds() == ["-", HELD], watch.holds()
    # still watched at the end: leaving fullscreen is seen
    window.fullscreen(False)
    watch.wait_hold("-")
    watch.stop()


def test_check(session):
    """"check" reads afresh: "on" while the active window is fullscreen, "off" otherwise,
    also for a state set without a resize, which nothing else makes the sensor see."""
    Mutter(session, "x11")
    watch = HoldWatch(session)
    one = Window(session, "one")
    one.activate()
    watch.watching(one)
    watch.wait_hold("-")
    assert watch.check() == "off"
    one.fullscreen(True)
    watch.wait_hold(HELD)
    assert watch.check() == "on"
    one.fullscreen(False)
    watch.wait_hold("-")
    assert watch.check() == "off"

    # marked fullscreen without a resize: no event the sensor selects; the check sees it,
    # holds (the line before its answer) and answers "on"
    xrun(session, "xprop", "-id", one.id, "-f", "_NET_WM_STATE", "32a",
         "-set", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN")
    assert watch.hold() == "-", watch.holds()
    before = watch.count()
    assert watch.check() == "on"
    after = watch.lines_since(before)
    assert f"hold {HELD}" in after and \
        after.index(f"hold {HELD}") < after.index("check on"), after
    assert watch.check() == "on"
    # now watched: leaving fullscreen the same way is seen at once
    xrun(session, "xprop", "-id", one.id, "-remove", "_NET_WM_STATE")
    watch.wait_hold("-")
    assert watch.check() == "off"
    watch.stop()
    assert watch.holds() == ["-", HELD, "-", HELD, "-"], watch.holds()


def test_unavailable(session):
    """No DISPLAY, or WAYLAND_DISPLAY set: the sensor cannot run, and says why."""
    env = {k: v for k, v in session.env.items() if k != "DISPLAY"}
    out = subprocess.run([HOLD_WATCH, "fullscreen-x11"], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=10)
    assert out.returncode == 1 and out.stderr == "hold-watch: DISPLAY is not set\n", out
    env = dict(session.env, WAYLAND_DISPLAY="wayland-0")
    out = subprocess.run([HOLD_WATCH, "fullscreen-x11"], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=10)
    assert out.returncode == 1, out
    assert "WAYLAND_DISPLAY is set" in out.stderr and "only see X11 windows" in out.stderr, out


def main():
    for program in ("mutter", "dbus-daemon", "Xvfb", "xdotool", "xprop", "xlogo", "wmctrl"):
        if shutil.which(program) is None:
            skip_all(f"{program} is not installed")
    if not os.access(HOLD_WATCH, os.X_OK):
        skip_all(f"{HOLD_WATCH} is not built")
    out = subprocess.run([HOLD_WATCH], capture_output=True, text=True, timeout=10)
    if "fullscreen-x11" not in out.stderr:
        skip_all("built without X11")
    tap = Tap()
    for name, function in [
        ("fullscreen and focused holds; un-fullscreened, unfocused or closed does not",
         test_windows),
        ("an X server that does not answer freezes nothing", test_server_stopped),
        ("an X server that goes away: hold off, no busy loop", test_server_gone),
        ("no window manager: no hold, no warning; a later one is noticed",
         test_no_window_manager),
        ("a focused window's property changes wake nothing unless it is fullscreen",
         test_quiet),
        ("check reads afresh, also a fullscreen state set without a resize", test_check),
        ("no DISPLAY, or WAYLAND_DISPLAY: cannot run, says why", test_unavailable),
    ]:
        def one(function=function):
            with Session() as session:
                try:
                    function(session)
                except BaseException:
                    print_logs(session, [("hold-watch", "hold-watch.log"),
                                         ("mutter", "mutter.log")])
                    raise
        tap.run(name, one)
    sys.exit(tap.finish())


if __name__ == "__main__":
    main()

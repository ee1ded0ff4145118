#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The X11 fullscreen hold (src/hold-fullscreen-x11.c) on its own, through tests/hold-watch,
against the real mutter 43 as the window manager on Xvfb and real X11 windows (xlogo from
x11-apps). wmctrl makes a window fullscreen (Debian 12's xdotool has no windowstate),
xdotool activates one, and wmctrl closes one as the window manager's close button does.
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

    def check(self, within=1.0):
        """"check" answered within @within s: its main loop runs."""
        with self.lock:
            before = sum(line.startswith("check ") for line in self.lines)

        def answered():
            with self.lock:
                return sum(line.startswith("check ") for line in self.lines) > before

        self.proc.stdin.write("check\n")
        self.proc.stdin.flush()
        wait_for(answered, within, "the answer to 'check'")

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
        watch.check()
        watch.check()
    watch.wait_hold(HELD)
    with stopped(session.xvfb.pid):
        watch.check()
        watch.check()
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
    watch.check()
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
    watch.check()

    Mutter(session, "x11")
    window.activate()
    window.fullscreen(True)
    watch.wait_hold(HELD)
    watch.stop()


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

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The fullscreen hold on wlroots (src/hold-fullscreen-wlr.c, zwlr_foreign_toplevel_manager_v1)
against real sway 1.7 headless and real Wayland windows (tests/wl-window), driven as a user
drives sway: `swaymsg fullscreen`, focus, kill. The sensor runs alone in tests/hold-watch,
whose "hold ..." lines are asserted in order, so a hold that comes too early or twice fails.

Also: a stopped sway (SIGSTOP) freezes neither a running sensor nor one starting; sway killed
releases the hold and closes the connection without spinning; a compositor without the
protocol (tests/test-compositor) leaves the sensor off. Everything runs as an unprivileged
user, as sway wants (tests/gbwayland.py)."""

import functools
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gbtest  # noqa: E402
from gbtest import Skip, stays_false, stopped, wait_for  # noqa: E402
from gbwayland import SwaySession, run_tests  # noqa: E402

HOLD_WATCH = os.path.join(gbtest.TOP_BUILDDIR, "tests", "hold-watch")
WL_WINDOW = os.path.join(gbtest.TOP_BUILDDIR, "tests", "wl-window")
COMPOSITOR = os.path.join(gbtest.TOP_BUILDDIR, "tests", "test-compositor")

MOVIE = "org.example.Movie"
OTHER = "org.example.Editor"


class Session(SwaySession):
    """SwaySession, with the test programs copied where the peer user can run them."""

    def _base_env(self):
        env = super()._base_env()
        bindir = os.path.join(self.tmp, "bin")
        for program in (HOLD_WATCH, WL_WINDOW, COMPOSITOR):
            if not os.access(program, os.X_OK):
                continue
            copy = os.path.join(bindir, os.path.basename(program))
            shutil.copy(program, copy)
            if self.prefix:
                os.chown(copy, self.uid, self.gid)
            self.processes.replace[program] = copy
        self.watches = 0
        return env

    def swaymsg(self, *args):
        return self.run("swaymsg", *args)

    def tree_node(self, app_id):
        """sway's node for the window with @app_id, or None."""
        def find(node):
            if node.get("app_id") == app_id:
                return node
            for child in node.get("nodes", []) + node.get("floating_nodes", []):
                found = find(child)
                if found is not None:
                    return found
            return None
        return find(json.loads(self.swaymsg("-t", "get_tree")))


class HoldWatch:
    """tests/hold-watch fullscreen-wlr: its stdout lines, read as they come; G_DEBUG makes a
    g_warning fatal, and its g_info lines go to a log. No session bus: the sensor needs none,
    so its one socket is the Wayland connection."""

    def __init__(self, session):
        session.watches += 1
        self.session = session
        self.log_path = os.path.join(session.tmp, f"hold-watch-{session.watches}.log")
        self.log = open(self.log_path, "w")
        env = {k: v for k, v in session.env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
        env.update(G_DEBUG="fatal-warnings", G_MESSAGES_DEBUG="glutebreak")
        self.proc = session.processes.start([HOLD_WATCH, "fullscreen-wlr"], env=env,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=self.log, text=True, bufsize=1)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_line(self, timeout, what):
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"hold-watch said nothing for {timeout} s, "
                                 f"waiting for {what}") from None
        if line is None:
            raise AssertionError(f"hold-watch exited ({self.proc.wait(timeout=5)}) "
                                 f"waiting for {what}")
        return line

    def expect(self, hold, timeout=10):
        """The next line is "hold @hold"."""
        line = self.next_line(timeout, f"'hold {hold}'")
        assert line == f"hold {hold}", f"expected 'hold {hold}', got {line!r}"

    def check(self, within=1.0):
        """Its main loop answers a line on stdin within @within s (the sensor has no check of
        its own: "check off")."""
        self.proc.stdin.write("check\n")
        self.proc.stdin.flush()
        line = self.next_line(within, "the answer to 'check'")
        assert line == "check off", line

    def text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, needle, timeout=10):
        wait_for(lambda: needle in self.text(), timeout, f"{needle!r} in hold-watch's log")

    def sockets(self):
        """How many sockets it has open."""
        fds = os.path.join("/proc", str(self.proc.pid), "fd")
        count = 0
        for name in os.listdir(fds):
            try:
                count += os.readlink(os.path.join(fds, name)).startswith("socket:")
            except FileNotFoundError:
                pass
        return count

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def finish(self):
        """End of input: it exits cleanly, having said nothing more, and warned of nothing."""
        self.proc.stdin.close()
        assert self.proc.wait(timeout=5) == 0, (self.proc.returncode, self.text()[-2000:])
        rest = []
        while (line := self.lines.get(timeout=5)) is not None:
            rest.append(line)
        assert not rest, rest
        assert "WARNING" not in self.text() and "CRITICAL" not in self.text(), self.text()


class Window:
    """tests/wl-window with @app_id, mapped and seen in sway's tree."""

    def __init__(self, session, app_id):
        self.session = session
        self.app_id = app_id
        self.proc = session.processes.start([WL_WINDOW, app_id], env=session.env,
                                            stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        assert line == "mapped", f"wl-window {app_id}: {line!r} ({self.proc.poll()})"
        wait_for(lambda: session.tree_node(app_id), 10, f"{app_id} in sway's tree")

    def node(self):
        return self.session.tree_node(self.app_id)

    def command(self, *words):
        self.session.swaymsg(f'[app_id="{self.app_id}"]', *words)


def logs_on_failure(function):
    """Prints the hold-watch logs too when the test fails."""
    @functools.wraps(function)
    def wrapped(session):
        try:
            function(session)
        except BaseException:
            gbtest.print_logs(session, [(f"hold-watch {i}", f"hold-watch-{i}.log")
                                        for i in range(1, session.watches + 1)])
            raise
    return wrapped


def need_programs(*programs):
    for program in programs:
        if not os.access(program, os.X_OK):
            raise Skip(f"{program} is not built")


def movie_fullscreen(session):
    """sway, a hold-watch that found the manager, and a fullscreen, focused window."""
    need_programs(WL_WINDOW)
    session.start_sway()
    watch = HoldWatch(session)
    watch.expect("-")
    watch.wait_log("zwlr_foreign_toplevel_manager_v1 version 3")
    movie = Window(session, MOVIE)
    movie.command("fullscreen", "enable")
    watch.expect(f"fullscreen ({MOVIE})")
    return watch, movie


@logs_on_failure
def test_fullscreen_focus_close(session):
    need_programs(WL_WINDOW)
    session.start_sway()
    watch = HoldWatch(session)
    watch.expect("-")
    watch.wait_log("zwlr_foreign_toplevel_manager_v1 version 3")
    # another window, on workspace 2
    other = Window(session, OTHER)
    other.command("move", "to", "workspace", "2")
    wait_for(lambda: not other.node()["visible"], 10, "the other window on workspace 2")
    # focused, not fullscreen: no hold (a line would come before the next one expected)
    movie = Window(session, MOVIE)
    wait_for(lambda: movie.node()["focused"], 10, "the movie focused")
    movie.command("fullscreen", "enable")
    watch.expect(f"fullscreen ({MOVIE})")
    movie.command("fullscreen", "disable")
    watch.expect("-")
    movie.command("fullscreen", "enable")
    watch.expect(f"fullscreen ({MOVIE})")
    # the other window focused: the movie stays fullscreen on its workspace, but holds no more
    other.command("focus")
    watch.expect("-")
    assert movie.node()["fullscreen_mode"] == 1, movie.node()
    movie.command("focus")
    watch.expect(f"fullscreen ({MOVIE})")
    # closed as a user closes it (xdg_toplevel.close): the handle is gone, and so is the hold
    movie.command("kill")
    assert movie.proc.wait(timeout=10) == 0, movie.proc.returncode
    watch.expect("-")
    # the other window fullscreen and focused: held again, by that one
    other.command("focus")
    other.command("fullscreen", "enable")
    watch.expect(f"fullscreen ({OTHER})")
    watch.check()
    watch.finish()


@logs_on_failure
def test_sway_stopped(session):
    watch, movie = movie_fullscreen(session)
    with stopped(session.sway.pid):
        # the running sensor has nothing to read, and waits for nothing
        watch.check()
        # a new one connects (the listening socket accepts), asks, and does not wait
        late = HoldWatch(session)
        late.expect("-", timeout=1)
        late.check()
    # once sway goes on, the late one hears the registry, binds, and sees the movie
    late.expect(f"fullscreen ({MOVIE})")
    movie.command("fullscreen", "disable")
    watch.expect("-")
    late.expect("-")
    watch.finish()
    late.finish()


@logs_on_failure
def test_sway_killed(session):
    watch, _movie = movie_fullscreen(session)
    assert watch.sockets() == 1, watch.sockets()
    session.processes.stop(session.sway, signal.SIGKILL)
    watch.expect("-")
    watch.wait_log("fullscreen hold off: lost the Wayland compositor")
    # the connection is closed, and nothing spins on it
    wait_for(lambda: watch.sockets() == 0, 10, "the Wayland socket closed")
    cpu = watch.cpu_seconds()
    stays_false(lambda: watch.proc.poll() is not None, 2, "hold-watch exited")
    assert watch.cpu_seconds() - cpu < 0.1, watch.cpu_seconds() - cpu
    watch.check()
    watch.finish()
    assert watch.text().count("fullscreen hold off") == 1, watch.text()


@logs_on_failure
def test_no_protocol(session):
    """GNOME and KWin offer no zwlr_foreign_toplevel_manager_v1: tests/test-compositor, which
    has only a seat and ext-idle-notify, stands for them."""
    need_programs(COMPOSITOR)
    compositor = gbtest.LineProcess(session, [COMPOSITOR], dict(session.env),
                                    "test-compositor")
    words = compositor.first_line.split()
    assert words[0] == "ready", compositor.first_line
    session.env["WAYLAND_DISPLAY"] = words[1]
    watch = HoldWatch(session)
    watch.expect("-")
    watch.wait_log("fullscreen hold off: the compositor offers no "
                   "zwlr_foreign_toplevel_manager_v1")
    wait_for(lambda: watch.sockets() == 0, 10, "the Wayland socket closed")
    watch.check()
    watch.finish()
    compositor.close()


if __name__ == "__main__":
    if not os.access(HOLD_WATCH, os.X_OK):
        gbtest.skip_all(f"{HOLD_WATCH} is not built")
    run_tests([
        ("fullscreen and focused holds (app_id); unfullscreen, another window focused, "
         "the window closed release it", test_fullscreen_focus_close),
        ("sway stopped: neither a running nor a starting sensor waits; both catch up",
         test_sway_stopped),
        ("sway killed: the hold is released, the socket closed, nothing spins",
         test_sway_killed),
        ("no zwlr_foreign_toplevel_manager_v1: off, said once, socket closed",
         test_no_protocol),
    ], needs=("sway", "swaymsg", "setpriv"), session_class=Session)

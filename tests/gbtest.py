# SPDX-License-Identifier: MIT
"""Harness for glutebreak's integration tests.

Each test gets real peers on private channels: its own dbus-daemon (no service
activation, tests/session.conf), Xvfb with -noreset, a python3-dbusmock
notification server, and the built daemon with a private HOME and XDG dirs.
Nothing sleeps to "wait for" something: every wait polls a condition with a bound.
Output is TAP for automake's tap-driver.
"""

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from gi.repository import Gio, GLib

TOP_SRCDIR = os.environ.get("GB_TOP_SRCDIR",
                            os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOP_BUILDDIR = os.environ.get("GB_TOP_BUILDDIR", TOP_SRCDIR)
DAEMON = os.path.join(TOP_BUILDDIR, "src", "glutebreak")
PYTHON = "/usr/bin/python3"  # Debian's, which has dbusmock and gi

NOTIFY_NAME = "org.freedesktop.Notifications"
NOTIFY_PATH = "/org/freedesktop/Notifications"
MOCK_IFACE = "org.freedesktop.DBus.Mock"


class Skip(Exception):
    """A peer this test needs is not installed."""


def need(*programs):
    for program in programs:
        if shutil.which(program) is None:
            raise Skip(f"{program} is not installed")


def wait_for(condition, timeout, what, interval=0.02):
    """Polls @condition until it returns something true; fails after @timeout s."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        pause.wait(interval)


def stays_false(condition, duration, what, interval=0.02):
    """Polls @condition for @duration s and fails if it ever becomes true."""
    deadline = time.monotonic() + duration
    pause = threading.Event()
    while time.monotonic() < deadline:
        if condition():
            raise AssertionError(f"unexpected: {what}")
        pause.wait(interval)


@contextlib.contextmanager
def stopped(pid):
    """A peer that stops answering (SIGSTOP) for the duration of the block; it goes on
    afterwards, also when the block fails."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


class Tap:
    """Runs test functions and prints TAP; the plan comes last."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def run(self, name, function, *args):
        self.count += 1
        try:
            function(*args)
        except Skip as skip:
            print(f"ok {self.count} {name} # SKIP {skip}", flush=True)
        except Exception:  # noqa: BLE001 - every failure is reported as TAP
            self.failed += 1
            print(f"not ok {self.count} {name}", flush=True)
            for line in traceback.format_exc().splitlines():
                print(f"# {line}", flush=True)
        else:
            print(f"ok {self.count} {name}", flush=True)

    def finish(self):
        print(f"1..{self.count}", flush=True)
        return 1 if self.failed else 0


def skip_all(reason):
    print(f"1..0 # SKIP {reason}", flush=True)
    sys.exit(0)


class Processes:
    """Processes a test started; killed newest first."""

    def __init__(self):
        self.procs = []

    def start(self, argv, **kwargs):
        proc = subprocess.Popen(argv, **kwargs)
        self.procs.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGTERM):
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_all(self):
        for proc in reversed(self.procs):
            self.stop(proc)
        self.procs.clear()


class Session:
    """A private D-Bus session bus and an Xvfb display, with a temp home."""

    def __init__(self, x11=True):
        self.processes = Processes()
        self.users = []  # stopped on close, so a failed test cannot type into the next one
        self.tmp = tempfile.mkdtemp(prefix="glutebreak-test-")
        self.env = self._base_env()
        try:
            self._start_bus()
            if x11:
                self._start_xvfb()
        except BaseException:
            self.close()
            raise

    def _base_env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("XDG_", "DBUS_", "WAYLAND_", "DISPLAY", "G_DEBUG"))}
        home = os.path.join(self.tmp, "home")
        runtime = os.path.join(self.tmp, "runtime")
        share = os.path.join(self.tmp, "share", "glutebreak")
        for path in (home, runtime, share):
            os.makedirs(path, mode=0o700)
        # the catalogue of the source tree, found through XDG_DATA_DIRS
        os.symlink(os.path.join(TOP_SRCDIR, "data", "exercises.ini"),
                   os.path.join(share, "exercises.ini"))
        env.update(HOME=home, XDG_RUNTIME_DIR=runtime,
                   XDG_CONFIG_HOME=os.path.join(home, ".config"),
                   XDG_STATE_HOME=os.path.join(home, ".local", "state"),
                   XDG_DATA_HOME=os.path.join(home, ".local", "share"),
                   XDG_DATA_DIRS=os.path.join(self.tmp, "share"),
                   XDG_CONFIG_DIRS=os.path.join(self.tmp, "etc"),
                   # never the machine's own logind (tests that need one start a mock)
                   DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={self.tmp}/no-system-bus")
        return env

    def _bus_config(self):
        """The path of the session bus's dbus-daemon config."""
        return os.path.join(TOP_SRCDIR, "tests", "session.conf")

    def _start_bus(self):
        need("dbus-daemon")
        config = self._bus_config()
        proc = self.processes.start(["dbus-daemon", f"--config-file={config}",
                                     "--print-address=1", "--nofork"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    env=self.env, text=True)
        self.bus_address = proc.stdout.readline().strip()
        if not self.bus_address:
            raise AssertionError("dbus-daemon printed no address")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        self.bus = Gio.DBusConnection.new_for_address_sync(
            self.bus_address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)

    def _start_xvfb(self):
        need("Xvfb", "xdotool")
        read_fd, write_fd = os.pipe()
        self.xvfb = self.processes.start(
            ["Xvfb", "-displayfd", str(write_fd), "-noreset", "-nolisten", "tcp",
             "-screen", "0", "640x480x24"],
            pass_fds=(write_fd,), stderr=subprocess.DEVNULL, env=self.env)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise AssertionError("Xvfb did not report its display")
        self.env["DISPLAY"] = f":{number}"

    def has_owner(self, name):
        reply = self.bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "NameHasOwner",
                                   GLib.Variant("(s)", (name,)), None,
                                   Gio.DBusCallFlags.NONE, 5000, None)
        return reply.unpack()[0]

    def xdotool(self, *args):
        subprocess.run(["xdotool", *args], env=self.env, check=True,
                       stdout=subprocess.DEVNULL, timeout=10)

    def close(self):
        for user in self.users:
            user.stop()
        self.processes.stop_all()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class NotificationServer:
    """python3-dbusmock's notification_daemon template on the session bus."""

    def __init__(self, session, capabilities="body actions body-markup", name=None):
        """@name: what GetServerInformation says (e.g. "gnome-shell"), else dbusmock's."""
        self.session = session
        self.log = os.path.join(session.tmp, "notifications.log")
        params = json.dumps({"capabilities": capabilities})
        self.proc = session.processes.start(
            [PYTHON, "-m", "dbusmock", "--template", "notification_daemon", "-p", params],
            env=session.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: session.has_owner(NOTIFY_NAME), 10, "the notification server")
        self.seen = []  # (monotonic time first seen, method, args)
        if name is not None:
            self._mock("AddMethod", (NOTIFY_NAME, "GetServerInformation", "", "ssss",
                                     f'ret = ("{name}", "test", "1.0", "1.2")'), "(sssss)")

    def _mock(self, method, args=None, signature=None):
        reply = self.session.bus.call_sync(
            NOTIFY_NAME, NOTIFY_PATH, MOCK_IFACE, method,
            GLib.Variant(signature, args) if signature else None, None,
            Gio.DBusCallFlags.NONE, 5000, None)
        return reply.unpack() if reply is not None else None

    def poll(self):
        """Records calls not seen before with the time they were first seen."""
        calls = self._mock("GetCalls")[0]
        now = time.monotonic()
        for _stamp, method, args in calls[len(self.seen):]:
            self.seen.append((now, method, args))
        return self.seen

    def calls(self, method):
        return [(t, args) for t, m, args in self.poll() if m == method]

    def notifies(self):
        """[(time, dict)] for every Notify call."""
        out = []
        for t, args in self.calls("Notify"):
            app, replaces, _icon, summary, body, actions, hints, timeout = args
            out.append((t, dict(app=app, replaces=replaces, summary=summary, body=body,
                                actions=actions, hints=hints, timeout=timeout)))
        return out

    def wait_notify(self, count, timeout):
        wait_for(lambda: len(self.notifies()) >= count, timeout, f"Notify #{count}")
        return self.notifies()[count - 1]

    def emit(self, name, signature, args):
        """Emits signal @name with the GLib.Variant @args, as the server would."""
        self._mock("EmitSignal", (NOTIFY_NAME, name, signature, args), "(sssav)")

    def invoke(self, notification_id, action):
        """The user clicks @action on notification @notification_id."""
        self.emit("ActionInvoked", "us",
                  [GLib.Variant("u", notification_id), GLib.Variant("s", action)])

    def stop(self):
        self.session.processes.stop(self.proc)


class User:
    """Someone at the keyboard: moves the mouse every @interval s while typing."""

    def __init__(self, session, interval=0.25):
        self.session = session
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = None
        self.last_input = None  # when the last input had been sent
        self.last_sent = None  # when the last input was about to be sent: no peer took it sooner
        session.users.append(self)

    def input(self, step):
        """Sends one input, the @step-th (from 1); returns once it is sent."""
        self.session.xdotool("mousemove", str(100 + step * 7 % 300), "100")

    def _run(self):
        step = 0
        while not self.stopped.is_set():
            step += 1
            sent = time.monotonic()
            self.input(step)
            self.last_sent, self.last_input = sent, time.monotonic()
            self.stopped.wait(self.interval)

    def start(self):
        """Starts typing; returns after the first input, timed in self.last_input."""
        self.stopped.clear()
        self.last_input = None  # not the last one before a stop
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        wait_for(lambda: self.last_input is not None, 5, "the first input")

    def stop(self):
        """Stops typing; returns the time of the last input."""
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
        self.thread = None
        return self.last_input


class LineProcess:
    """A helper program driven by one-line commands on stdin, each answered with one line
    (tests/kwin-fake-input, tests/test-compositor). Its first line is kept in @first_line."""

    def __init__(self, session, argv, env, what, timeout=10):
        self.what = what
        self.lock = threading.Lock()
        self.lines = queue.Queue()
        self.proc = session.processes.start(argv, env=env, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        self.first_line = self._reply(timeout)

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _reply(self, timeout):
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"{self.what}: no answer after {timeout} s") from None
        if line is None:
            self.lines.put(None)  # for the next caller
            raise AssertionError(f"{self.what} exited ({self.proc.wait(timeout=5)})")
        return line

    def command(self, text, timeout=5):
        """Sends @text; returns the answer."""
        with self.lock:
            try:
                self.proc.stdin.write(text + "\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                raise AssertionError(f"{self.what} is gone") from None
            return self._reply(timeout)

    def close(self):
        """Ends its input: it exits by itself."""
        with self.lock:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        self.proc.wait(timeout=5)


class PeerUser(User):
    """Someone at a compositor's keyboard, as a LineProcess sends it: @command (answered "ok")
    every @interval s."""

    def __init__(self, session, peer, command, interval=0.25):
        super().__init__(session, interval)
        self.peer = peer
        self.input_command = command

    def input(self, step):
        reply = self.peer.command(self.input_command)
        if reply != "ok":
            raise AssertionError(f"{self.input_command!r}: {reply!r}")


class Daemon:
    """The built glutebreak with a config of a few seconds."""

    def __init__(self, session, config, extra_env=None, name="config.ini", fake_suspend=False):
        self.session = session
        self.config = os.path.join(session.tmp, name)
        self.write_config(config)
        self.log_path = os.path.join(session.tmp, "glutebreak.log")
        env = dict(session.env)
        env.update(extra_env or {})
        if fake_suspend:
            # tests/fake-suspend.c: CLOCK_BOOTTIME jumps on cue, as after a suspend
            self.suspend_file = os.path.join(session.tmp, "suspend", "offset")
            os.makedirs(os.path.dirname(self.suspend_file))
            env["LD_PRELOAD"] = os.path.join(TOP_BUILDDIR, "tests", "fake-suspend.so")
            env["GB_FAKE_SUSPEND"] = self.suspend_file
            env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                         "verify_asan_link_order=0"]))
        self.log = open(self.log_path, "a")
        self.started = time.monotonic()
        self.proc = session.processes.start([DAEMON, "--config", self.config, "--verbose"],
                                            env=env, stdout=self.log,
                                            stderr=subprocess.STDOUT)
        wait_for(lambda: "settings from" in self.text() or self.proc.poll() is not None,
                 10, "the daemon to start")
        if self.proc.poll() is not None:
            raise AssertionError(f"the daemon exited: {self.text()}")

    def write_config(self, text):
        # write + rename, as editors do
        tmp = self.config + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, self.config)

    def suspend(self, seconds):
        """As if the machine had been suspended for @seconds and just woke up."""
        self.slept = getattr(self, "slept", 0) + seconds
        tmp = self.suspend_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(int(self.slept * 1000)))
        os.replace(tmp, self.suspend_file)

    def text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, needle, timeout=5, count=1):
        wait_for(lambda: self.text().count(needle) >= count, timeout,
                 f"{needle!r} in the log")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def exits_on_sigterm(self, within=1.0):
        """SIGTERM is honoured within @within s, cleanly: nothing blocks the main loop (and,
        under ASan, nothing leaked). Returns how long it took."""
        self.proc.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        try:
            self.proc.wait(timeout=within + 2)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the daemon ignored SIGTERM for {within + 2} s") from None
        took = time.monotonic() - sent
        assert took < within, f"SIGTERM honoured after {took:.2f} s"
        assert self.proc.returncode == 0, self.text()[-3000:]
        assert "LeakSanitizer" not in self.text(), self.text()[-3000:]
        return took

    def stop(self):
        self.session.processes.stop(self.proc)
        self.log.close()
        return self.proc.returncode

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def print_logs(session, logs, lines=60):
    """Prints the last @lines of @logs, [(title, file name in the session's temp dir)], as TAP
    comments."""
    for title, name in logs:
        path = os.path.join(session.tmp, name)
        if os.path.exists(path):
            with open(path) as f:
                print(f"# --- {title} log ---")
                for line in f.read().splitlines()[-lines:]:
                    print(f"#   {line}")


def run_tests(tests, needs=(), x11=True):
    """Runs [(name, function)] with TAP output; every function gets a fresh Session
    (with an Xvfb display unless @x11 is False)."""
    for program in needs:
        if shutil.which(program) is None:
            skip_all(f"{program} is not installed")
    try:
        import dbusmock  # noqa: F401
    except ImportError:
        skip_all("python3-dbusmock is not installed")
    if not os.access(DAEMON, os.X_OK):
        skip_all(f"{DAEMON} is not built")
    tap = Tap()
    for name, function in tests:
        def one(function=function):
            with Session(x11=x11) as session:
                try:
                    function(session)
                except BaseException:
                    print_logs(session, [("daemon", "glutebreak.log")])
                    raise
        tap.run(name, one)
    sys.exit(tap.finish())

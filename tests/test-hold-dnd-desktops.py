# SPDX-License-Identifier: MIT
"""Do-not-disturb of GNOME, Cinnamon, MATE, KDE Plasma and SwayNotificationCenter, each backend
of src/hold-dnd-gsettings.c and src/hold-dnd-kde.c run on its own by tests/hold-watch
(dnd-server NAME), and GNOME and Plasma once through the whole sensor (hold-watch dnd), which
identifies the server by GetServerInformation.

GNOME, Cinnamon and MATE: their real keys, in copies of just those schemas (real ids, paths,
key names and defaults) compiled into a private GSETTINGS_SCHEMA_DIR, on GSettings' keyfile
backend in the private XDG_CONFIG_HOME; the user flips the key with `gsettings set`, as the
desktops' switches do. KDE Plasma and swaync do not run headless: python3-dbusmock stands in,
with the D-Bus API their sources declare (tests/dbusmock-swaync.py)."""

import json
import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gbtest  # noqa: E402
from gbtest import MOCK_IFACE, NOTIFY_NAME, NOTIFY_PATH, PYTHON, wait_for  # noqa: E402
from gi.repository import Gio, GLib  # noqa: E402

HOLD_WATCH = os.path.join(gbtest.TOP_BUILDDIR, "tests", "hold-watch")
SWAYNC_TEMPLATE = os.path.join(gbtest.TOP_SRCDIR, "tests", "dbusmock-swaync.py")
WAIT = 15  # s: a bound, not a sleep; two cores are shared with other tests

# Copies of the real schemas, reduced to the key each backend reads:
# gsettings-desktop-schemas schemas/org.gnome.desktop.notifications.gschema.xml.in,
# cinnamon-desktop schemas/org.cinnamon.desktop.notifications.gschema.xml.in (5.6.0),
# mate-notification-daemon data/org.mate.NotificationDaemon.gschema.xml.in.
SCHEMAS = {
    "gnome": ("org.gnome.desktop.notifications", "/org/gnome/desktop/notifications/",
              "show-banners", "true"),
    "cinnamon": ("org.cinnamon.desktop.notifications", "/org/cinnamon/desktop/notifications/",
                 "display-notifications", "true"),
    "mate": ("org.mate.NotificationDaemon", "/org/mate/notification-daemon/",
             "do-not-disturb", "false"),
}


def gsettings_env(session, desktops):
    """Installs the schemas of @desktops in a private schema dir; returns the environment of
    the keyfile backend in the session's XDG_CONFIG_HOME."""
    schemas = os.path.join(session.tmp, "schemas")
    os.makedirs(schemas, exist_ok=True)
    for desktop in desktops:
        schema_id, path, key, default = SCHEMAS[desktop]
        with open(os.path.join(schemas, f"{schema_id}.gschema.xml"), "w") as f:
            f.write(f'<schemalist>\n  <schema id="{schema_id}" path="{path}">\n'
                    f'    <key name="{key}" type="b"><default>{default}</default></key>\n'
                    f'  </schema>\n</schemalist>\n')
    subprocess.run(["glib-compile-schemas", "--strict", schemas], check=True, timeout=30)
    env = dict(session.env, GSETTINGS_BACKEND="keyfile", GSETTINGS_SCHEMA_DIR=schemas)
    # the keyfile backend watches its directory: have it there from the start
    os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "glib-2.0", "settings"), exist_ok=True)
    return env


def gsettings_set(env, schema_id, key, value):
    subprocess.run(["gsettings", "set", schema_id, key, value], env=env, check=True,
                   timeout=30)


class HoldWatch:
    """tests/hold-watch dnd-server NAME, its stdout and stderr read line by line: GLib's info
    and debug messages (G_MESSAGES_DEBUG, on stderr) come in order with the "hold" lines."""

    def __init__(self, session, server, env=None, args=None):
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.out = []
        env = dict(env or session.env, G_DEBUG="fatal-warnings", G_MESSAGES_DEBUG="glutebreak")
        self.proc = session.processes.start([HOLD_WATCH, *(args or ["dnd-server", server])], env=env,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(lambda: self.holds() or self.proc.poll() is not None, WAIT, "hold-watch")
        assert self.proc.poll() is None, f"hold-watch exited: {self.text()}"
        self.first_line_after = time.monotonic() - self.started

    def _read(self):
        for line in self.proc.stdout:
            with self.lock:
                self.out.append(line.rstrip("\n"))

    def lines(self):
        with self.lock:
            return list(self.out)

    def holds(self):
        """The "hold ..." lines so far."""
        return [line for line in self.lines() if line.startswith("hold ")]

    def text(self):
        return "\n".join(self.lines())

    def wait_hold(self, text, after=0):
        """Waits for the line "hold TEXT" after the first @after hold lines; returns the number
        of hold lines up to it."""
        def seen():
            holds = self.holds()
            for i in range(after, len(holds)):
                if holds[i] == f"hold {text}":
                    return i + 1
            return None
        try:
            return wait_for(seen, WAIT, f"'hold {text}' after line {after}")
        except AssertionError:
            print(f"# hold-watch: {self.text()}")
            raise

    def check(self):
        """Asks for a read-when-due; returns the answer line and how long it took (s)."""
        count = len([x for x in self.lines() if x.startswith("check ")])
        sent = time.monotonic()
        self.proc.stdin.write("check\n")
        self.proc.stdin.flush()
        answers = wait_for(lambda: [x for x in self.lines() if x.startswith("check ")][count:],
                           WAIT, "the answer to check")
        return answers[0], time.monotonic() - sent


class Mock:
    """A python3-dbusmock process owning @name, driven through its org.freedesktop.DBus.Mock
    interface at @path."""

    def __init__(self, session, name, path, argv):
        self.session = session
        self.name = name
        self.path = path
        self.proc = session.processes.start([PYTHON, "-m", "dbusmock", *argv], env=session.env,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
        wait_for(lambda: session.has_owner(name), WAIT, name)

    def call(self, method, signature=None, args=None, interface=MOCK_IFACE):
        self.session.bus.call_sync(self.name, self.path, interface, method,
                                   GLib.Variant(signature, args) if signature else None, None,
                                   Gio.DBusCallFlags.NONE, 5000, None)


def plasma_mock(session, inhibited):
    """KDE Plasma's notification server as libnotificationmanager declares it: Inhibited (b) on
    org.freedesktop.Notifications, GetServerInformation → "Plasma"."""
    mock = Mock(session, NOTIFY_NAME, NOTIFY_PATH,
                [NOTIFY_NAME, NOTIFY_PATH, "org.freedesktop.Notifications"])
    mock.call("AddMethod", "(sssss)", ("", "GetServerInformation", "", "ssss",
                                       'ret = ("Plasma", "KDE", "5.27.5", "1.2")'))
    mock.call("AddMethod", "(sssss)", ("", "GetCapabilities", "", "as",
                                       'ret = ["actions", "body", "inhibitions"]'))
    mock.call("AddProperty", "(ssv)", ("org.freedesktop.Notifications", "Inhibited",
                                       GLib.Variant("b", inhibited)))
    return mock


def set_inhibited(mock, inhibited):
    """Plasma's Inhibited changes: PropertiesChanged with the value, from the server."""
    mock.call("UpdateProperties", "(sa{sv})",
              ("org.freedesktop.Notifications", {"Inhibited": GLib.Variant("b", inhibited)}))


def swaync_mock(session, version, dnd=False, inhibited=False):
    mock = Mock(session, "org.erikreider.swaync.cc", "/org/erikreider/swaync/cc",
                ["--template", SWAYNC_TEMPLATE, "-p", json.dumps({"version": version})])
    wait_for(lambda: session.has_owner(NOTIFY_NAME), WAIT, "swaync's notification name")
    if dnd or inhibited:
        mock.call("SetState", "(bb)", (dnd, inhibited))
    return mock


# --- GNOME, Cinnamon, MATE ---

def desktop_key(session, desktop, server, dnd_value, free_value):
    schema_id, _path, key, _default = SCHEMAS[desktop]
    env = gsettings_env(session, SCHEMAS)
    # set before the watch starts: the first read reports it
    gsettings_set(env, schema_id, key, dnd_value)
    watch = HoldWatch(session, server, env)
    held = f"do-not-disturb ({server})"
    n = watch.wait_hold(held)
    gsettings_set(env, schema_id, key, free_value)
    n = watch.wait_hold("-", n)
    gsettings_set(env, schema_id, key, dnd_value)
    watch.wait_hold(held, n)


def test_gnome(session):
    desktop_key(session, "gnome", "gnome-shell", "false", "true")


def test_cinnamon(session):
    desktop_key(session, "cinnamon", "cinnamon", "false", "true")


def test_mate(session):
    desktop_key(session, "mate", "Notification Daemon", "true", "false")


def test_default_is_free(session):
    """Every key at its default: no do-not-disturb, and a flip is still heard."""
    env = gsettings_env(session, SCHEMAS)
    watch = HoldWatch(session, "gnome-shell", env)
    wait_for(lambda: any("show-banners: off" in x for x in watch.lines()), WAIT,
             "the first read")
    assert watch.holds() == ["hold -"], watch.text()
    gsettings_set(env, "org.gnome.desktop.notifications", "show-banners", "false")
    watch.wait_hold("do-not-disturb (gnome-shell)")


def test_schema_missing(session):
    """Cinnamon's schema is not installed: the backend watches nothing and says so."""
    env = gsettings_env(session, ["gnome"])
    watch = HoldWatch(session, "cinnamon", env)
    wait_for(lambda: "cinnamon: nothing to watch" in watch.text(), WAIT, "the report")
    assert "'org.cinnamon.desktop.notifications'" in watch.text(), watch.text()
    assert watch.check()[0] == "check off"  # it still runs
    assert watch.holds() == ["hold -"], watch.text()
    assert watch.proc.poll() is None


# --- KDE Plasma ---

def test_plasma(session):
    mock = plasma_mock(session, inhibited=True)
    watch = HoldWatch(session, "Plasma")
    held = "do-not-disturb (Plasma)"
    n = watch.wait_hold(held)  # the first read: Properties.Get
    set_inhibited(mock, False)
    n = watch.wait_hold("-", n)
    set_inhibited(mock, True)
    watch.wait_hold(held, n)


def test_plasma_other_sender(session):
    """PropertiesChanged from another connection on the same path is not Plasma's."""
    mock = plasma_mock(session, inhibited=False)
    other = Mock(session, "org.example.Other", NOTIFY_PATH,
                 ["org.example.Other", NOTIFY_PATH, "org.freedesktop.Notifications"])
    watch = HoldWatch(session, "Plasma")
    wait_for(lambda: any("Plasma is not inhibited" in x for x in watch.lines()), WAIT,
             "the first read")
    before = len(watch.lines())
    other.call("EmitSignal", "(sssav)", (
        "org.freedesktop.DBus.Properties", "PropertiesChanged", "sa{sv}as",
        [GLib.Variant("s", "org.freedesktop.Notifications"),
         GLib.Variant("a{sv}", {"Inhibited": GLib.Variant("b", True)}),
         GLib.Variant("as", [])]))
    # then the owner's own changes, heard in order after the other's signal
    set_inhibited(mock, False)
    set_inhibited(mock, True)
    reports = lambda: [x for x in watch.lines()[before:] if "do-not-disturb: Plasma is" in x]
    wait_for(lambda: [r.endswith("is inhibited") for r in reports()][-2:] == [False, True],
             WAIT, "the owner's two changes")
    watch.wait_hold("do-not-disturb (Plasma)")
    assert len(reports()) == 2, watch.text()
    assert watch.holds() == ["hold -", "hold do-not-disturb (Plasma)"], watch.text()


# --- SwayNotificationCenter ---

def test_swaync_08(session):
    """0.8 and later: GetDnd + IsInhibited, then SubscribeV2; inhibited holds too."""
    mock = swaync_mock(session, "0.8", dnd=False, inhibited=True)
    watch = HoldWatch(session, "SwayNotificationCenter")
    held = "do-not-disturb (SwayNotificationCenter)"
    n = watch.wait_hold(held)  # the first read: IsInhibited
    mock.call("SetState", "(bb)", (False, False))
    n = watch.wait_hold("-", n)
    mock.call("SetState", "(bb)", (True, False))
    n = watch.wait_hold(held, n)
    mock.call("SetState", "(bb)", (False, False))
    watch.wait_hold("-", n)


def test_swaync_07(session):
    """0.7.x (Debian 12's 0.7.3): GetDnd and Subscribe; it has no IsInhibited."""
    mock = swaync_mock(session, "0.7", dnd=True)
    watch = HoldWatch(session, "SwayNotificationCenter")
    held = "do-not-disturb (SwayNotificationCenter)"
    n = watch.wait_hold(held)  # the first read: GetDnd
    assert "IsInhibited" in "\n".join(watch.lines()), watch.text()  # said at info level
    mock.call("SetState", "(bb)", (False, False))
    n = watch.wait_hold("-", n)
    mock.call("SetState", "(bb)", (True, False))
    watch.wait_hold(held, n)


# --- a server that hangs ---

def hung_server(session, mock, server, held, unhang):
    """@mock stops answering before the watch starts: the watch goes on (its main loop answers
    at once, before the 1 s call timeout), the first read gives up after that timeout, and
    once the server is back its changes are heard."""
    with gbtest.stopped(mock.proc.pid):
        watch = HoldWatch(session, server)
        # the calls time out after 1 s: a watch that waited for them could not print sooner
        assert watch.first_line_after < 0.9, f"started after {watch.first_line_after:.2f} s"
        answer, took = watch.check()
        assert answer == "check off", watch.text()
        assert took < 0.9, f"the main loop answered after {took:.2f} s"
        wait_for(lambda: "Timeout was reached" in "\n".join(watch.lines()), WAIT,
                 "the call's timeout")
        assert watch.holds() == ["hold -"], watch.text()
    unhang()
    watch.wait_hold(held)


def test_plasma_hangs(session):
    mock = plasma_mock(session, inhibited=False)
    hung_server(session, mock, "Plasma", "do-not-disturb (Plasma)",
                lambda: set_inhibited(mock, True))


def test_swaync_hangs(session):
    mock = swaync_mock(session, "0.8")
    hung_server(session, mock, "SwayNotificationCenter",
                "do-not-disturb (SwayNotificationCenter)",
                lambda: mock.call("SetState", "(bb)", (True, False)))


# --- the whole sensor: src/hold-dnd.c identifies the server and starts its backend ---

def test_chain_gnome(session):
    env = gsettings_env(session, ["gnome"])
    gsettings_set(env, "org.gnome.desktop.notifications", "show-banners", "false")
    server = gbtest.NotificationServer(session)
    server._mock("AddMethod", ("org.freedesktop.Notifications", "GetServerInformation", "",
                               "ssss", 'ret = ("gnome-shell", "GNOME", "43.0", "1.2")'),
                 "(sssss)")
    watch = HoldWatch(session, None, env, args=["dnd"])
    held = "do-not-disturb (gnome-shell)"
    n = watch.wait_hold(held)
    gsettings_set(env, "org.gnome.desktop.notifications", "show-banners", "true")
    n = watch.wait_hold("-", n)
    gsettings_set(env, "org.gnome.desktop.notifications", "show-banners", "false")
    n = watch.wait_hold(held, n)
    server.stop()  # the server has gone: its switch no longer holds
    watch.wait_hold("-", n)


def test_chain_plasma(session):
    mock = plasma_mock(session, inhibited=True)
    watch = HoldWatch(session, None, args=["dnd"])
    held = "do-not-disturb (Plasma)"
    n = watch.wait_hold(held)
    set_inhibited(mock, False)
    n = watch.wait_hold("-", n)
    set_inhibited(mock, True)
    watch.wait_hold(held, n)


TESTS = [
    ("GNOME: show-banners off is do-not-disturb", test_gnome),
    ("Cinnamon: display-notifications off is do-not-disturb", test_cinnamon),
    ("MATE: do-not-disturb", test_mate),
    ("GNOME: the defaults hold nothing", test_default_is_free),
    ("a missing schema: nothing to watch, and said so", test_schema_missing),
    ("KDE Plasma: Inhibited and its PropertiesChanged", test_plasma),
    ("KDE Plasma: only the owner's signals count", test_plasma_other_sender),
    ("swaync 0.8: GetDnd, IsInhibited, SubscribeV2", test_swaync_08),
    ("swaync 0.7: GetDnd, Subscribe", test_swaync_07),
    ("KDE Plasma hangs: the watch goes on", test_plasma_hangs),
    ("swaync hangs: the watch goes on", test_swaync_hangs),
    ("the sensor: a notification server named gnome-shell, GNOME's key", test_chain_gnome),
    ("the sensor: a notification server named Plasma, its Inhibited", test_chain_plasma),
]

if __name__ == "__main__":
    for program in ("glib-compile-schemas", "gsettings"):
        if shutil.which(program) is None:
            gbtest.skip_all(f"{program} is not installed")
    if not os.access(HOLD_WATCH, os.X_OK):
        gbtest.skip_all(f"{HOLD_WATCH} is not built")
    gbtest.run_tests(TESTS, x11=False)

# SPDX-License-Identifier: MIT
"""Desktop peers the hold tests share: real X11 windows (xlogo, managed by the window
manager; wmctrl and xdotool act as the user and the pager do) and bare python3-dbusmock
objects standing in for desktop services that do not run headless (gnome-session, GNOME
Shell's ScreenTime)."""

import subprocess

from gi.repository import Gio, GLib

from gbtest import MOCK_IFACE, PYTHON, wait_for

WAIT = 10  # s: a bound for every wait


def xrun(session, *argv):
    return subprocess.run(argv, env=session.env, check=True, capture_output=True, text=True,
                          timeout=10).stdout


class Window:
    """An xlogo window titled @title, mapped (and, under a window manager, managed)."""

    def __init__(self, session, title):
        self.session = session
        self.proc = session.processes.start(["xlogo", "-title", title], env=session.env,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
        self.id = wait_for(lambda: self._search(title), 10, f"the window {title!r}")

    def _search(self, title):
        out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"],
                             env=self.session.env, capture_output=True, text=True, timeout=10)
        ids = out.stdout.split()
        return ids[0] if len(ids) == 1 else None

    def activate(self):
        """As a pager would; returns once the window manager made it the active window."""
        xrun(self.session, "xdotool", "windowactivate", self.id)
        wait_for(self._active, 10, f"window {self.id} active")

    def _active(self):
        # fails while there is no active window
        out = subprocess.run(["xdotool", "getactivewindow"], env=self.session.env,
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() == self.id

    def fullscreen(self, on):
        xrun(self.session, "wmctrl", "-i", "-r", self.id, "-b",
             ("add" if on else "remove") + ",fullscreen")

    def close(self):
        """The window manager's close: xlogo exits."""
        xrun(self.session, "wmctrl", "-i", "-c", self.id)
        self.proc.wait(timeout=10)


class Mock:
    """A bare python3-dbusmock object on the session bus: @name at @path with @interface."""

    def __init__(self, session, name, path, interface):
        self.session = session
        self.name = name
        self.path = path
        self.interface = interface
        self.proc = session.processes.start([PYTHON, "-m", "dbusmock", name, path, interface],
                                            env=session.env, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
        wait_for(lambda: session.has_owner(name), WAIT, name)

    def mock(self, method, signature=None, args=None, path=None):
        reply = self.session.bus.call_sync(
            self.name, path or self.path, MOCK_IFACE, method,
            GLib.Variant(signature, args) if signature else None, None,
            Gio.DBusCallFlags.NONE, 5000, None)
        return reply.unpack() if reply is not None else None

    def add_property(self, name, value):
        self.mock("AddProperty", "(ssv)", (self.interface, name, value))

    def update(self, **props):
        """Sets properties and sends PropertiesChanged with the values, as gnome-session's
        and the shell's skeletons do."""
        self.mock("UpdateProperties", "(sa{sv})", (self.interface, props))

    def emit(self, name, signature, args):
        self.mock("EmitSignal", "(sssav)", (self.interface, name, signature, args))

    def stop(self):
        self.session.processes.stop(self.proc)
        wait_for(lambda: not self.session.has_owner(self.name), WAIT, f"{self.name} to go")

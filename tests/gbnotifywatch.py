# SPDX-License-Identifier: MIT
"""A bus monitor on a test's private bus (tests/session.conf allows eavesdropping): every
Notify (with the id the server gave), CloseNotification, NotificationClosed and ActionInvoked,
with the monotonic time it passed."""

import threading
import time

from gi.repository import Gio, GLib

from gbtest import wait_for

NOTIFY_IFACE = "org.freedesktop.Notifications"


class BusWatch:
    """A monitor connection on the test bus: the notification traffic, with times."""

    def __init__(self, session):
        self.lock = threading.Lock()
        self.events = []  # (monotonic time, member, dict)
        self.calls = {}   # (sender, serial) of a Notify call -> its event
        self.conn = Gio.DBusConnection.new_for_address_sync(
            session.bus_address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.conn.add_filter(self._on_message)
        self.conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                            "org.freedesktop.DBus.Monitoring", "BecomeMonitor",
                            GLib.Variant("(asu)", ([], 0)), None, Gio.DBusCallFlags.NONE,
                            5000, None)

    def _on_message(self, _conn, message, incoming):
        if not incoming or message.get_destination() == self.conn.get_unique_name():
            return message  # our own traffic (the reply to BecomeMonitor)
        now = time.monotonic()
        kind = message.get_message_type()
        with self.lock:
            if kind == Gio.DBusMessageType.METHOD_RETURN:
                call = self.calls.pop((message.get_destination(), message.get_reply_serial()),
                                      None)
                if call is not None:
                    call["id"] = message.get_body().unpack()[0]
                return None
            if message.get_interface() != NOTIFY_IFACE:
                return None
            member = message.get_member()
            args = message.get_body().unpack() if message.get_body() else ()
            if member == "Notify":
                event = dict(replaces=args[1], summary=args[3], body=args[4], actions=args[5],
                             id=None)
                self.calls[(message.get_sender(), message.get_serial())] = event
            elif member in ("CloseNotification", "ActionInvoked", "NotificationClosed"):
                event = dict(id=args[0], extra=args[1] if len(args) > 1 else None)
            else:
                return None
            self.events.append((now, member, event))
        return None

    def of(self, member):
        with self.lock:
            return [(t, dict(e)) for t, m, e in self.events if m == member]

    def notifies(self):
        """Notify calls the server answered, with the id it gave."""
        return [(t, e) for t, e in self.of("Notify") if e["id"] is not None]

    def wait(self, member, count, timeout):
        wait_for(lambda: len(self.of(member)) >= count, timeout, f"{member} #{count}")
        return self.of(member)[count - 1]

    def wait_notify(self, count, timeout):
        wait_for(lambda: len(self.notifies()) >= count, timeout, f"Notify #{count}")
        return self.notifies()[count - 1]

    def close(self):
        self.conn.close_sync(None)

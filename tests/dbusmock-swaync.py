# SPDX-License-Identifier: MIT
"""python3-dbusmock template: SwayNotificationCenter's control-center object as its sources
declare it (src/swayncDaemon/swayncDaemon.vala, tags v0.7.3 and v0.8.0), for
tests/test-hold-dnd-desktops.py. Like swaync, the process also owns
org.freedesktop.Notifications on the same connection and answers GetServerInformation there.

Parameters: {"version": "0.7"}: GetDnd and the signal Subscribe(u, b dnd, b cc_open) only;
{"version": "0.8"} (the default): IsInhibited and SubscribeV2(u, b dnd, b cc_open, b inhibited),
the only signal swaync emits since 0.8.0.
Test-only method on org.freedesktop.DBus.Mock: SetState(b dnd, b inhibited) changes the state
and emits that version's signal, as swaync does on every change.
"""

import dbus
from dbusmock import MOCK_IFACE

BUS_NAME = "org.erikreider.swaync.cc"
MAIN_OBJ = "/org/erikreider/swaync/cc"
MAIN_IFACE = "org.erikreider.swaync.cc"
SYSTEM_BUS = False

NOTIFY_NAME = "org.freedesktop.Notifications"


def load(mock, parameters):
    mock.swaync_version = parameters.get("version", "0.8")
    mock.swaync_dnd = False
    mock.swaync_inhibited = False
    methods = [("GetDnd", "", "b", "ret = self.swaync_dnd")]
    if mock.swaync_version != "0.7":
        methods.append(("IsInhibited", "", "b", "ret = self.swaync_inhibited"))
    mock.AddMethods(MAIN_IFACE, methods)
    mock.AddObject("/org/freedesktop/Notifications", NOTIFY_NAME, {}, [
        ("GetServerInformation", "", "ssss",
         f'ret = ("SwayNotificationCenter", "ErikReider", "{mock.swaync_version}.0", "1.3")'),
        ("GetCapabilities", "", "as", 'ret = ["actions", "body", "body-markup"]'),
    ])
    mock.connection.request_name(NOTIFY_NAME, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)


@dbus.service.method(MOCK_IFACE, in_signature="bb", out_signature="")
def SetState(self, dnd, inhibited):
    self.swaync_dnd = bool(dnd)
    if self.swaync_version == "0.7":
        self.EmitSignal(MAIN_IFACE, "Subscribe", "ubb", [0, self.swaync_dnd, False])
    else:
        self.swaync_inhibited = bool(inhibited)
        self.EmitSignal(MAIN_IFACE, "SubscribeV2", "ubbb",
                        [0, self.swaync_dnd, False, self.swaync_inhibited])

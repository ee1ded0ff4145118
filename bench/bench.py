#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""glutebreak's benchmark (DESIGN.md §5), run by hand, never in CI.

For each desktop it starts a private session bus with a notification server, the desktop,
the built daemon (backend = auto) and bench/floor.c (a minimal GLib+GIO+libnotify program
sitting in its main loop), side by side. Over a window of idleness and then an equal window
of input injected every --interval s it measures, for both: RSS and PSS (smaps_rollup),
threads, child processes, CPU (utime+stime, and the scheduler's ns-exact runtime), and
wakeups (voluntary + involuntary context switches of every thread). It prints one table per
desktop against the targets of DESIGN.md §5.

  bench/bench.py [--daemon BUILDDIR/src/glutebreak] [--window 60] [--desktops x11,mutter,sway]
                 [--no-holds]

Desktops: x11 = Xvfb -noreset + xdotool; mutter = mutter --headless --wayland, input over
org.gnome.Mutter.RemoteDesktop; sway = sway headless (it refuses root: when run as root,
everything of that row runs as --user, created with useradd if missing) + swaymsg.
The daemon's config has sit-limit 45m and break-length 3m, so no reminder and no break
can happen inside the window: what is measured is the idle source, the hold sensors and
GLib alone.

With the hold sensors at work (the default; --no-holds: python3-dbusmock's notification
server everywhere, no window, the sensors' defaults): every [hold] sensor is on and
[schedule] active is a range around now whose boundaries are hours away. x11: the real
dunst (tests/dunstrc) paused (do-not-disturb) for the whole run, and a fullscreen xlogo
window that is the active one; Xvfb has no window manager, so the script sets the EWMH
properties a window manager would (_NET_ACTIVE_WINDOW on the root, _NET_WM_STATE_FULLSCREEN
on the window), which is all the sensor reads, and the idle backend stays x11. A third window
there repeats the input while the script also sets _NET_WM_USER_TIME on the fullscreen window
at each input, as an X11 app that timestamps user input on its own toplevel does (Chromium,
Electron). Before a fourth window the script makes a second xlogo window, not fullscreen, the
active one (the fullscreen hold goes off), and that window repeats the third with this one's
_NET_WM_USER_TIME: typing into a focused Electron editor. sway: the test window
tests/wl-window (`make tests/wl-window`) made fullscreen with swaymsg. mutter: GNOME on
Wayland has no fullscreen API, nothing to show. Each row checks that the daemon's status
(glutebreakctl status --json, "hold") shows the expected holds before and after the windows
and in every line of status --follow (x11: the fourth window's own).
See docs/PERFORMANCE.md."""

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchproc import (CLK_TCK, MIB, Watch, cpu_times, delta, mappings, read,  # noqa: E402
                       status_fields)
from benchrow import Row, build_floor, check_input, find_daemon  # noqa: E402

# DESIGN.md §5
TARGET_WAKEUPS = 2      # per minute, idle and active
TARGET_CPU_MS = 1.0     # per minute
TARGET_RSS = 1.3        # x floor
TARGET_PSS = 1.5        # x floor
TARGET_THREADS = 3
TARGET_STARTUP_MS = 20
TARGET_FOLLOW_WAKEUPS = 2  # per minute: "at most about once a minute by itself"

# the windows, in order: what is going on in each
PHASES = dict(idle="idle", active="of input every --interval s",
              usertime="of input, each also setting the fullscreen window's _NET_WM_USER_TIME",
              usertime_window="of input with a window that is not fullscreen focused, each "
              "also setting its _NET_WM_USER_TIME")
# ... and in the table
PHASE_LABELS = dict(idle="idle", active="active",
                    usertime="active + _NET_WM_USER_TIME, fullscreen window",
                    usertime_window="active + _NET_WM_USER_TIME, window not fullscreen")


# --- one row ---

def measure(args, desktop, floor_binary):
    row = Row(args, desktop, floor_binary)
    try:
        row.start_measured()
        pids = dict(daemon=row.daemon.pid, floor=row.floor.pid, follow=row.follow.pid)
        watches = {k: Watch(pid) for k, pid in pids.items()}
        ready = {k: w.sample() for k, w in watches.items()}
        hold_before = row.wait_hold()  # before the settling: the calls wake the daemon
        follow_since = len(read(row.follow_log).splitlines())
        # start-up transients over before the windows: GLib's thread-pool thread of an
        # async g_bus_get() lives 15 s; a GDBus call timeout (25 s) of an async call made
        # at start-up, long answered, still wakes the main loop once
        print(f"# {desktop}: backend {row.backend}; settling for {args.settle:g} s ...",
              flush=True)
        settle_end = time.monotonic() + args.settle
        pause = threading.Event()
        while time.monotonic() < settle_end:
            pause.wait(min(1.0, max(0.0, settle_end - time.monotonic())))
            for w in watches.values():
                w.sample()
        for w in watches.values():
            w.sample()
        startup_threads = {k: w.max_threads for k, w in watches.items()}
        for w in watches.values():
            w.max_threads = 0  # from now on: the windows
        # (phase, input, what to do before it: returns the hold expected in it, or None)
        phases = [("idle", None, None), ("active", row.input, None)]
        if args.holds and desktop == "x11":
            phases += [("usertime", row.user_time_input, None),
                       ("usertime_window", row.user_time_input_window, row.focus_editor)]
        spans = []  # (start, end) of each window
        phase_holds = {}
        hold = hold_before
        follow_holds = []
        load_start, machine_start = os.getloadavg()[0], cpu_times()
        for phase, inject, prepare in phases:
            if prepare is not None:
                # the hold changes: status --follow's lines so far had the previous one
                follow_holds += row.follow_holds(follow_since)
                hold = prepare()
                follow_since = len(read(row.follow_log).splitlines())
            phase_holds[phase] = hold
            what = PHASES[phase].replace("--interval s", f"{args.interval:g} s")
            print(f"# {desktop}: {args.window:g} s {what} ...", flush=True)
            spans.append(run_window(args.window, watches, inject, args.interval))
            # its own lines: the hold in this window
            for h in row.follow_holds(follow_since):
                if h != hold:
                    raise RuntimeError(f"the daemon's hold changed in the {phase} window: "
                                       f"'{hold}', then '{h}' (status --follow)")
        active_end = spans[-1][1]
        load_end, machine_end = os.getloadavg()[0], cpu_times()
        follow_holds += row.follow_holds(follow_since)
        for name, proc in (("daemon", row.daemon), ("floor", row.floor),
                           ("follow", row.follow)):
            if proc.poll() is not None:
                raise RuntimeError(f"the {name} exited during the window")
        result = dict(desktop=desktop, backend=row.backend)
        for k in pids:
            result[k] = dict(
                startup_ms=sum(t["runtime_ns"] for t in ready[k]["threads"].values()) / 1e6,
                startup_threads=startup_threads[k],
                **{phase: delta(spans[i][0][k], spans[i][1][k])
                   for i, (phase, _, _) in enumerate(phases)},
                rss=active_end[k]["rss"], pss=active_end[k]["pss"],
                threads=len(active_end[k]["threads"]),
                max_threads=watches[k].max_threads,
                children=watches[k].max_children,
                thread_names=sorted(t["name"] for t in active_end[k]["threads"].values()))
        result["mappings"] = {k: mappings(pid) for k, pid in pids.items()}
        follow_lines = len(read(row.follow_log).splitlines())
        # after the windows, as in the last one
        hold_after = row.status().get("hold", "")
        if hold_after != hold:
            raise RuntimeError(f"the daemon's hold changed in the last window: '{hold}', "
                               f"status --follow {follow_holds}, then '{hold_after}'")
        busy = ((machine_end[0] - machine_start[0])
                / max(1, machine_end[1] - machine_start[1]))
        result.update(load=(load_start, load_end), busy=busy * os.cpu_count(),
                      phases=[p for p, _, _ in phases], hold=hold_before,
                      phase_holds=phase_holds,
                      follow_holds=len(follow_holds), server=row.server, window=row.window,
                      config=read(row.config))
        # the probe needs the bus name the measured daemon owns
        row.daemon.terminate()
        row.daemon.wait(timeout=5)
        check_input(row)
        reminders = [line for line in read(row.daemon_log).splitlines() if "reminder:" in line]
        result["reminders"] = len(reminders)
        result["follow_lines"] = follow_lines
        return result
    except BaseException:
        row.dump_logs()
        raise
    finally:
        row.close()


def run_window(seconds, watches, inject, interval):
    """Samples every second for @seconds, calling @inject every @interval s if not None.
    Returns the first and the last sample."""
    stop = threading.Event()
    errors = []

    def typing():
        try:
            while not stop.is_set():
                inject()
                stop.wait(interval)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    for w in watches.values():
        w.sample()
    start = {k: w.sample() for k, w in watches.items()}
    thread = None
    if inject is not None:
        thread = threading.Thread(target=typing, daemon=True)
        thread.start()
    end_time = start["daemon"]["time"] + seconds
    pause = threading.Event()
    while time.monotonic() < end_time:
        pause.wait(min(1.0, max(0.0, end_time - time.monotonic())))
        for w in watches.values():
            w.sample()
    end = {k: w.sample() for k, w in watches.items()}
    if thread is not None:
        stop.set()
        thread.join(timeout=10)
    if errors:
        raise RuntimeError(f"injecting input failed: {errors[0]}")
    return start, end


# --- output ---

def verdict(ok):
    return "yes" if ok else "**NO**"


def print_table(r, args):
    d, f = r["daemon"], r["floor"]
    print()
    print(f"### {r['desktop']}: backend {r['backend']}")
    print()
    windows = ", then ".join(
        f"{args.window:g} s " + PHASES[p].replace("--interval s", f"{args.interval:g} s")
        for p in r["phases"])
    print(f"Windows: {windows}. Reminders shown in the windows: {r['reminders']} "
          "(sit-limit 45m: none expected). The injected input reached the idle source "
          "(checked by a second daemon with break-length 2s). Lines printed by "
          f"glutebreakctl status --follow: {r['follow_lines']} (one per minute of sitting).")
    print()
    holds = {}  # hold: [phase...], in order
    for phase in r["phases"]:
        holds.setdefault(r["phase_holds"][phase], []).append(PHASE_LABELS[phase])
    hold = "; ".join((f"`{h}`" if h else "none")
                     + (f" (windows {', '.join(p)})" if len(holds) > 1 else "")
                     for h, p in holds.items())
    print(f"Notification server: {r['server']}. Fullscreen window: {r['window']}. "
          f"The daemon's hold (glutebreakctl status --json, \"hold\") before, in and after "
          f"the windows, also in the {r['follow_holds']} lines status --follow printed in "
          f"them: {hold}.")
    print(f"Machine during the windows: load average (1 min) {r['load'][0]:.2f} at the "
          f"start, {r['load'][1]:.2f} at the end; all processes kept {r['busy']:.2f} of the "
          f"{os.cpu_count()} CPUs busy on average.")
    if args.holds:
        config = "; ".join(line for line in r["config"].splitlines()
                           if line and not line.startswith("["))
        print(f"Config: {config}.")
    print()
    print("| metric | daemon | floor | daemon/floor | target | met |")
    print("|---|---:|---:|---:|---|---|")

    def ratio(a, b):
        return f"{a / b:.2f}x" if b else "-"

    rows = [
        ("RSS (MiB)", f"{d['rss'] / MIB:.2f}", f"{f['rss'] / MIB:.2f}", ratio(d["rss"], f["rss"]),
         f"<= {TARGET_RSS}x floor", d["rss"] <= TARGET_RSS * f["rss"]),
        ("PSS (MiB)", f"{d['pss'] / MIB:.2f}", f"{f['pss'] / MIB:.2f}", ratio(d["pss"], f["pss"]),
         f"<= {TARGET_PSS}x floor", d["pss"] <= TARGET_PSS * f["pss"]),
        ("threads, windows (start-up)", f"{d['max_threads']} ({d['startup_threads']})",
         f"{f['max_threads']} ({f['startup_threads']})", "", f"<= {TARGET_THREADS}",
         d["max_threads"] <= TARGET_THREADS),
        ("child processes", str(d["children"]), str(f["children"]), "", "0",
         d["children"] == 0),
        ("start-up CPU (ms)", f"{d['startup_ms']:.1f}", f"{f['startup_ms']:.1f}", "",
         f"< {TARGET_STARTUP_MS}", d["startup_ms"] < TARGET_STARTUP_MS),
    ]
    for phase in r["phases"]:
        dp, fp = d[phase], f[phase]
        label = PHASE_LABELS[phase]
        rows += [
            (f"wakeups/min, {label}", f"{dp['wakeups']:.1f}", f"{fp['wakeups']:.1f}", "",
             f"<= {TARGET_WAKEUPS}", dp["wakeups"] <= TARGET_WAKEUPS),
            (f"CPU ms/min, {label}", f"{dp['cpu_ms']:.3f}", f"{fp['cpu_ms']:.3f}", "",
             f"<= {TARGET_CPU_MS:g}", dp["cpu_ms"] <= TARGET_CPU_MS),
            (f"CPU ms/min, {label} (utime+stime)", f"{dp['tick_ms']:.0f}",
             f"{fp['tick_ms']:.0f}", "", f"({1000 / CLK_TCK:.0f} ms ticks)", None),
        ]
    w = r["follow"]
    rows += [
        (f"glutebreakctl status --follow: wakeups/min, {PHASE_LABELS[phase]}",
         f"{w[phase]['wakeups']:.1f}",
         "", "", f"<= {TARGET_FOLLOW_WAKEUPS}", w[phase]["wakeups"] <= TARGET_FOLLOW_WAKEUPS)
        for phase in r["phases"]]
    for name, a, b, c, target, ok in rows:
        print(f"| {name} | {a} | {b} | {c} | {target} | {'' if ok is None else verdict(ok)} |")
    print()
    for who, x in (("daemon", d), ("floor", f)):
        per = ", ".join(n + " " + "/".join(f"{x[p]['per_thread'].get(n, 0):.1f}"
                                           for p in r["phases"])
                        for n in sorted(set(x["thread_names"])))
        print(f"- {who} threads: {', '.join(x['thread_names'])}; wakeups/min "
              f"{'/'.join(r['phases'])} by thread: {per}")
    if args.breakdown:
        dm, fm = r["mappings"]["daemon"], r["mappings"]["floor"]
        names = sorted(set(dm) | set(fm), key=lambda n: fm.get(n, [0, 0])[0]
                       - dm.get(n, [0, 0])[0])
        print()
        print("| mapping | daemon RSS KiB | floor RSS KiB | daemon PSS KiB | floor PSS KiB |")
        print("|---|---:|---:|---:|---:|")
        for n in names[:args.breakdown]:
            a, b = dm.get(n, [0, 0]), fm.get(n, [0, 0])
            print(f"| {n} | {a[0] // 1024} | {b[0] // 1024} | {a[1] // 1024} | {b[1] // 1024} |")
    print(flush=True)


def machine():
    model = "unknown CPU"
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem = status_fields("/proc/meminfo")["MemTotal"]
    distro = "Linux"
    if os.path.exists("/etc/os-release"):
        fields = dict(line.split("=", 1) for line in read("/etc/os-release").splitlines()
                      if "=" in line)
        distro = fields.get("PRETTY_NAME", distro).strip('"')
    return (f"{distro}, kernel {platform.release()}, {os.cpu_count()} x {model}, "
            f"{int(mem.split()[0]) // 1024} MiB RAM, load {os.getloadavg()[0]:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--daemon", help="the built daemon (default: src/glutebreak of "
                        "$GB_TOP_BUILDDIR, the current directory or the source tree)")
    parser.add_argument("--window", type=float, default=60,
                        help="seconds of each window, idle and active (default 60)")
    parser.add_argument("--interval", type=float, default=0.5,
                        help="seconds between injected inputs (default 0.5)")
    parser.add_argument("--desktops", default="x11,mutter,sway",
                        help="comma-separated: x11, mutter, sway (default all)")
    parser.add_argument("--settle", type=float, default=30,
                        help="seconds between start-up and the first window, for start-up "
                        "transients to pass (default 30)")
    parser.add_argument("--breakdown", type=int, default=0, metavar="N",
                        help="also list the N mappings where the daemon's RSS exceeds the "
                        "floor's most")
    parser.add_argument("--user", default="glutebreak-test",
                        help="unprivileged user for sway when run as root")
    parser.add_argument("--holds", action=argparse.BooleanOptionalAction, default=True,
                        help="the hold sensors at work: every [hold] sensor on, dunst paused "
                        "(x11), a fullscreen window (x11, sway) (default); --no-holds: "
                        "dbusmock's notification server, no window, the sensors' defaults")
    args = parser.parse_args()
    args.daemon = os.path.abspath(args.daemon or find_daemon())
    desktops = [d for d in args.desktops.split(",") if d]
    needs = dict(x11=["Xvfb", "xdotool"], mutter=["mutter"], sway=["sway", "swaymsg"])
    if args.holds:
        needs["x11"] += ["dunst", "dunstctl", "xlogo"]
        args.wl_window = os.path.join(os.path.dirname(os.path.dirname(args.daemon)),
                                      "tests", "wl-window")
        if "sway" in desktops and not os.access(args.wl_window, os.X_OK):
            sys.exit(f"bench.py: no {args.wl_window}: build it with `make tests/wl-window` "
                     "(or use --no-holds)")
    for d in desktops:
        if d not in needs:
            sys.exit(f"bench.py: unknown desktop: '{d}' (x11, mutter, sway)")
    for program in ["dbus-daemon", "gdbus", "pkg-config", "cc"] + sum(
            (needs[d] for d in desktops), []):
        if shutil.which(program) is None:
            sys.exit(f"bench.py: not installed: '{program}'")
    version = subprocess.run([args.daemon, "--version"], stdout=subprocess.PIPE,
                             text=True).stdout.strip()
    print(f"# glutebreak benchmark: {args.daemon} ({version}), "
          f"{'with' if args.holds else 'without'} the hold sensors at work")
    print(f"# machine: {machine()}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    build = tempfile.mkdtemp(prefix="glutebreak-bench-floor-")
    try:
        floor_binary = build_floor(build)
        for desktop in desktops:
            print_table(measure(args, desktop, floor_binary), args)
    finally:
        shutil.rmtree(build, ignore_errors=True)


if __name__ == "__main__":
    main()

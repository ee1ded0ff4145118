# SPDX-License-Identifier: MIT
"""bench/bench.py's measures, from /proc: memory (smaps_rollup), threads, children, CPU and
wakeups (context switches) of a process and its threads."""

import os
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024


def read(path):
    with open(path) as f:
        return f.read()


def status_fields(path):
    out = {}
    for line in read(path).splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def snapshot(pid):
    """What the process costs so far: per thread and in total."""
    threads = {}
    children = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        base = f"/proc/{pid}/task/{tid}"
        try:
            status = status_fields(f"{base}/status")
            runtime_ns = int(read(f"{base}/schedstat").split()[0])
            children += len(read(f"{base}/children").split())
        except FileNotFoundError:
            continue  # the thread just ended
        threads[int(tid)] = dict(
            name=status["Name"], runtime_ns=runtime_ns,
            switches=int(status["voluntary_ctxt_switches"])
            + int(status["nonvoluntary_ctxt_switches"]))
    stat = read(f"/proc/{pid}/stat").rsplit(")", 1)[1].split()
    rollup = status_fields(f"/proc/{pid}/smaps_rollup")
    return dict(time=time.monotonic(), threads=threads, children=children,
                ticks=int(stat[11]) + int(stat[12]),
                rss=int(rollup["Rss"].split()[0]) * 1024,
                pss=int(rollup["Pss"].split()[0]) * 1024)


def cpu_times():
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    fields = [int(v) for v in read("/proc/stat").splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def mappings(pid):
    """{file or [heap]/[anon]: [rss, pss]} in bytes, from /proc/PID/smaps."""
    out = {}
    current = None
    for line in read(f"/proc/{pid}/smaps").splitlines():
        fields = line.split()
        if not fields[0].endswith(":"):  # a mapping's header: address perms offset dev inode [path]
            name = fields[5] if len(fields) > 5 else "[anon]"
            current = out.setdefault(os.path.basename(name), [0, 0])
        elif fields[0] in ("Rss:", "Pss:"):
            current[fields[0] == "Pss:"] += int(fields[1]) * 1024
    return out


def delta(before, after):
    """Per-minute costs between two snapshots, and which thread woke how often."""
    minutes = (after["time"] - before["time"]) / 60
    per_thread = {}
    runtime = switches = 0
    for tid, t in after["threads"].items():
        old = before["threads"].get(tid, dict(runtime_ns=0, switches=0))
        runtime += t["runtime_ns"] - old["runtime_ns"]
        switches += t["switches"] - old["switches"]
        name = f"{t['name']}"
        per_thread[name] = per_thread.get(name, 0) + t["switches"] - old["switches"]
    gone = set(before["threads"]) - set(after["threads"])
    return dict(cpu_ms=runtime / 1e6 / minutes,
                tick_ms=(after["ticks"] - before["ticks"]) * 1000 / CLK_TCK / minutes,
                wakeups=switches / minutes,
                per_thread={k: v / minutes for k, v in per_thread.items()},
                threads_gone=len(gone))


class Watch:
    """Samples a process every second: the most threads and children seen."""

    def __init__(self, pid):
        self.pid = pid
        self.max_threads = 0
        self.max_children = 0

    def sample(self):
        s = snapshot(self.pid)
        self.max_threads = max(self.max_threads, len(s["threads"]))
        self.max_children = max(self.max_children, s["children"])
        return s



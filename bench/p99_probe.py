#!/usr/bin/env python3
"""What the slowest 1 % of the harness's S3 status calls wait for (issue 15, S3; helper api3).

    python3 bench/p99_probe.py [--launcher NAME=path/to/bin/heromgr ...] [--reps 3] [--calls 1000] [--kills 0] [--sched]

Per rep and launcher (alternated), a FRESH daemon with one sleep service (created as the harness does), logging its
young collections (-Xlog:gc, epoch milliseconds); the service killed --kills times (the harness's S3 comes after S2's
30 kills: pass 20 for a history as long as it keeps); then the harness's S3 latency run: 50 warm-up + CALLS
service.status calls with daemon_kit.UnixRpc over one kept-alive connection, each call's wall-clock interval kept.
Prints p50, p99, the young collections during the run, and how many of the slowest 1 % overlapped a collection's
pause (the rest waited for something else: a core, the JIT, another daemon thread).
With --sched (needs perf), the timed calls run under `perf record` of sched_switch on every CPU, and each of the
slowest 1 % is printed with what held each CPU during it (the daemon's threads by name, the client, other processes;
idle is swapper): a call that waited while a CPU idled was queued behind another task on its own CPU.
"""
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_kit import Daemon, launcher_args, launchers, new_token, wait_until  # noqa: E402
from s3_floor import kill_repeatedly  # noqa: E402

PAUSE = re.compile(r"^\[(\d+)ms\].*Pause Young.* ([\d.]+)ms$")
SWITCH = re.compile(r"\[(\d+)\]\s+([\d.]+):.*next_comm=(.*) next_pid=(\d+)")


def pauses(log):
    """(start, end) of each young pause in epoch seconds (the line is written at its end)."""
    out = []
    with open(log) as f:
        for line in f:
            m = PAUSE.match(line.strip())
            if m:
                end = int(m.group(1)) / 1000 + 0.001
                out.append((end - float(m.group(2)) / 1000 - 0.001, end))
    return out


def switches(data):
    """(monotonic seconds, cpu, next comm, next pid) of each context switch perf recorded, in time order."""
    out = subprocess.run(["perf", "script", "-i", data, "-F", "cpu,time,trace"], capture_output=True, text=True).stdout
    return sorted((float(m.group(2)), int(m.group(1)), m.group(3).strip(), int(m.group(4)))
                  for m in map(SWITCH.search, out.splitlines()) if m)


def holders(trace, names, a, b):
    """What ran on each CPU between monotonic a and b: {(cpu, who): seconds}."""
    held, who, since = Counter(), {}, {}
    for ts, cpu, comm, pid in trace:
        if ts > b:
            break
        if ts > a and cpu in who:
            held[cpu, who[cpu]] += ts - max(a, since[cpu])
        who[cpu], since[cpu] = names.get(pid, comm), ts
    for cpu in who:
        held[cpu, who[cpu]] += b - max(a, since[cpu])
    return held


def one(launcher, calls, kills, sched=False):
    d = Daemon(launcher=launcher)
    log = os.path.join(d.tmp, "gc.log")
    d.env["HEROMGR_JAVA_OPTS"] = "-Xlog:gc:file=%s:timemillis" % log
    token = new_token()
    try:
        d.start_with_sleeper(token)
        kill_repeatedly(d.rpc, kills)
        data = os.path.join(d.tmp, "sched.data")
        perf = subprocess.Popen(["perf", "record", "-q", "-k", "CLOCK_MONOTONIC", "-e", "sched:sched_switch", "-a", "-o",
                                 data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if sched else None
        if perf and not wait_until(lambda: os.path.exists(data) and os.path.getsize(data) > 0, 10)[0]:
            raise RuntimeError("perf record did not start: is perf installed, and are tracepoints readable?")
        for _ in range(50):  # the warm-up also covers perf's start: its header is written before tracing is on
            d.rpc.status("crash")
        spans, mono = [], []
        for _ in range(calls):
            t0, m0 = time.time(), time.monotonic()
            d.rpc.status("crash")
            spans.append((t0, time.time()))
            mono.append((m0, time.monotonic()))
        time.sleep(0.1)
        names = {int(t): "daemon:" + open("/proc/%d/task/%s/comm" % (d.proc.pid, t)).read().strip()
                 for t in os.listdir("/proc/%d/task" % d.proc.pid)}
        names[os.getpid()] = "client"
        if perf:
            perf.send_signal(2)
            perf.wait(30)
        gcs = [p for p in pauses(log) if spans[0][0] <= p[1] and p[0] <= spans[-1][1]]
        lat = sorted(((b - a) * 1000, a, b) for a, b in spans)
        slow = lat[-max(1, calls // 100):]
        in_gc = sum(1 for _, a, b in slow if any(p[0] <= b and a <= p[1] for p in gcs))
        if perf:
            trace = switches(data)
            by_start = {a: i for i, (a, _) in enumerate(spans)}
            for ms, a, _ in slow:
                m0, m1 = mono[by_start[a]]
                held = holders(trace, names, m0, m1)
                print("  %.2f ms: %s" % (ms, ", ".join("cpu%d %s %.2f" % (cpu, who, t * 1000)
                                                       for (cpu, who), t in sorted(held.items()) if t >= 0.0001)))
        return {"p50_ms": lat[len(lat) // 2][0], "p99_ms": lat[int(len(lat) * 0.99)][0], "young_gcs": len(gcs),
                "gc_pause_ms": statistics.mean(p[1] - p[0] - 0.002 for p in gcs) * 1000 if gcs else 0.0,
                "slowest_1pct_in_gc": in_gc, "slowest_1pct": len(slow), "slowest_ms": [round(x[0], 2) for x in slow],
                "load": os.getloadavg()[0]}
    finally:
        d.close(token)


def main():
    ap = launcher_args()
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--kills", type=int, default=0)
    ap.add_argument("--sched", action="store_true", help="what held each CPU during each of the slowest calls (perf)")
    args = ap.parse_args()
    builds = launchers(args.launcher)
    for rep in range(args.reps):
        for name, path in (builds if rep % 2 == 0 else builds[::-1]):
            r = one(path, args.calls, args.kills, args.sched)
            print("rep %d %-15s p50 %.3f p99 %.3f ms, %d young GCs (mean pause %.2f ms), slowest 1%%: %d/%d in a GC "
                  "%s, load %.1f" % (rep, name, r["p50_ms"], r["p99_ms"], r["young_gcs"], r["gc_pause_ms"],
                                     r["slowest_1pct_in_gc"], r["slowest_1pct"], r["slowest_ms"], r["load"]), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A fleet of N services (issue 15): service.list and service.status with N registered, and a stop-all of N.

    python3 bench/fleet_probe.py [--launcher NAME=bin/heromgr ...] [--counts 1,1000] [--reps 2] [--settle S] [--out FILE]

Per rep, per count and per launcher (alternated, so builds are compared under the same load), on a fresh daemon:
  * N sleep services created by ONE batch of service.create (the harness's), polled until all RUNNING;
  * `list_p50/p99_ms`: 200 service.list calls (after 20 warm-up) on one kept-alive connection;
  * `status_p50/p99_ms`: 1000 service.status calls of one service (after 50 warm-up), --settle seconds after the lists
    (0 by default: at once, while the daemon still collects and compiles after 220 lists of N);
  * `idle_cpu_ms_per_s`: the daemon's CPU (utime+stime) per second over 3 s with nothing asked (the periodic work);
  * `stop_gone_s`: ONE batch of N service.stop sent → no process with the run's token left in /proc (the harness's
    S6), `stop_answer_s` when the batch was answered, `stop_cpu_s` the daemon's CPU over the stop.

With --paired-status CALLS, per rep and launcher two daemons run at once instead, one with 1 service and one with the
largest count, each after the same batch and 220 lists; then CALLS service.status calls go to each in turn (one to the
first, one to the second, ...) from one client thread. A single client's p50 here is two-valued (client and selector on
one vCPU or on two), and which one a run gets moves with the moment; taken in turn, both daemons meet the same moments,
so their ratio is the fleet's own cost.
"""
import argparse
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_kit import Daemon, cpu_s, new_token, pids_with_token, sleepers, write_result  # noqa: E402

def timed_ms(call, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        call()
        out.append((time.perf_counter() - t0) * 1000)
    out.sort()
    return statistics.median(out), out[int(len(out) * 0.99)]


def stop_all(d, names, token):
    """(s until the batch answered, s until no token process is left, daemon CPU s) of one service.stop batch."""
    pid = d.proc.pid
    c0, t0 = cpu_s(pid), time.perf_counter()
    answered = []
    sender = threading.Thread(target=lambda: (d.rpc.batch("service.stop", [{"name": n} for n in names]),
                                              answered.append(time.perf_counter() - t0)))
    sender.start()
    while pids_with_token(token) and time.perf_counter() - t0 < 60:
        time.sleep(0.003)
    gone = time.perf_counter() - t0
    sender.join()
    return answered[0], gone, cpu_s(pid) - c0


def one(launcher, count, settle):
    token = new_token()
    d = Daemon(launcher=launcher)
    try:
        d.start()
        specs = sleepers(count, token)
        d.rpc.batch("service.create", [dict(s, start=True) for s in specs])
        names = [s["name"] for s in specs]
        end = time.monotonic() + 120
        while sum(1 for s in d.rpc.call("service.list") if s["state"] == "RUNNING") < count and time.monotonic() < end:
            time.sleep(0.05)
        r = {}
        timed_ms(lambda: d.rpc.call("service.list"), 20)
        r["list_p50_ms"], r["list_p99_ms"] = timed_ms(lambda: d.rpc.call("service.list"), 200)
        time.sleep(settle)
        timed_ms(lambda: d.rpc.status(names[0]), 50)
        r["status_p50_ms"], r["status_p99_ms"] = timed_ms(lambda: d.rpc.status(names[0]), 1000)
        c0 = cpu_s(d.proc.pid)
        time.sleep(3)
        r["idle_cpu_ms_per_s"] = (cpu_s(d.proc.pid) - c0) * 1000 / 3
        r["stop_answer_s"], r["stop_gone_s"], r["stop_cpu_s"] = stop_all(d, names, token)
        r["load1"] = os.getloadavg()[0]
        return r
    finally:
        d.close(token)


def started_fleet(launcher, count, token):
    """A fresh daemon with COUNT sleep services all RUNNING after one batch, listed 220 times; (daemon, names)."""
    d = Daemon(launcher=launcher)
    try:
        d.start()
        specs = sleepers(count, token)
        d.rpc.batch("service.create", [dict(s, start=True) for s in specs])
        end = time.monotonic() + 120
        while sum(1 for s in d.rpc.call("service.list") if s["state"] == "RUNNING") < count and time.monotonic() < end:
            time.sleep(0.05)
        timed_ms(lambda: d.rpc.call("service.list"), 220)
        return d, [s["name"] for s in specs]
    except BaseException:
        d.close(token)
        raise


def paired_status(launcher, count, calls):
    """p50 / p99 of service.status with 1 and with COUNT services, the two daemons called in turn."""
    fleets = []
    try:
        for n in (1, count):
            # a token each: closing one daemon kills only its own services
            token = new_token()
            fleets.append(started_fleet(launcher, n, token) + (token,))
        times = [[], []]
        for i in range(calls + 50):
            for k, (d, names, _) in enumerate(fleets):
                t0 = time.perf_counter()
                d.rpc.status(names[0])
                if i >= 50:
                    times[k].append((time.perf_counter() - t0) * 1000)
        r = {}
        for k, n in enumerate((1, count)):
            t = sorted(times[k])
            r["status_n%d_p50_ms" % n], r["status_n%d_p99_ms" % n] = statistics.median(t), t[int(len(t) * 0.99)]
        r["ratio_p50"] = r["status_n%d_p50_ms" % count] / r["status_n1_p50_ms"]
        r["load1"] = os.getloadavg()[0]
        return r
    finally:
        for d, _, token in fleets:
            d.close(token)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--launcher", action="append", help="NAME=path/to/bin/heromgr (repeatable)")
    ap.add_argument("--counts", default="1,1000")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--settle", type=float, default=0.0, help="seconds between the lists and the status calls")
    ap.add_argument("--paired-status", type=int, default=0, metavar="CALLS",
                    help="two daemons (1 and the largest count) called in turn, CALLS status calls each")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    launchers = dict(x.split("=", 1) for x in (a.launcher or ["heromgr=bin/heromgr"]))
    counts = [int(c) for c in a.counts.split(",")]
    runs = {}
    for rep in range(a.reps if a.paired_status else 0):
        for name, path in launchers.items():
            r = paired_status(os.path.abspath(path), max(counts), a.paired_status)
            print("rep %d %s paired %s" % (rep, name, r), flush=True)
            runs.setdefault("%s.paired" % name, []).append(r)
    for rep in range(0 if a.paired_status else a.reps):
        for count in counts:
            for name, path in launchers.items():
                r = one(os.path.abspath(path), count, a.settle)
                print("rep %d %s n=%d %s" % (rep, name, count, r), flush=True)
                runs.setdefault("%s.n%d" % (name, count), []).append(r)
    medians = {key: {k: round(statistics.median(x[k] for x in rs), 4) for k in rs[0]} for key, rs in runs.items()}
    result = {"runs": runs, "medians": medians}
    if a.out:
        write_result(a.out, result)
    else:
        for k, v in medians.items():
            print(k, v)


if __name__ == "__main__":
    main()

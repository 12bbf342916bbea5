#!/usr/bin/env python3
"""Daemon start-up and memory, the way the shared harness measures S0 and S4, repeated in one go.

    python3 bench/memory_bench.py [--runs 3] [--services 100] [--java-opts "-XX:..."] [--out FILE]
                                  [--launcher NAME=PATH ...] [--settle 2]

Per run: spawn `bin/heromgr daemon` on a sandbox home and time spawn → first answer to service.list (S0); wait 1 s
and read the daemon's VmRSS (S4 idle); register and start --services sleep services in ONE JSON-RPC batch of
service.create, wait until service.list reports them all RUNNING, wait --settle s and read VmRSS again (S4 with
services). Beside each figure the daemon's CPU time so far (utime+stime, /proc/<pid>/stat), which the machine's load
moves less than wall time. --java-opts goes to the launcher as HEROMGR_JAVA_OPTS (after its own daemon flags), to
try JVM flags. Several --launcher are run interleaved (one run of each in turn), so a before/after pair meets the
same load. Results: median, min and max over the runs per launcher, to bench/results/memory-*.json.
"""
import argparse
import os
import statistics
import time

from daemon_kit import LAUNCHER, REPO, Daemon, new_token, sleepers, wait_until, write_result

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    """The process's user + system CPU seconds so far (every thread)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def one_run(launcher, n, java_opts, settle):
    token = new_token()
    d = Daemon(java_opts, launcher=launcher)
    try:
        start_s = d.start()
        start_cpu = cpu_s(d.proc.pid)
        time.sleep(1.0)
        idle = d.rss_kib()
        d.rpc.batch("service.create", sleepers(n, token))

        def all_running():
            listed = d.rpc.call("service.list")
            return sum(1 for s in listed if s["state"] == "RUNNING") >= n

        _, running_s = wait_until(all_running, 300, 0.025)
        if running_s is None:
            raise RuntimeError("the %d services did not all reach RUNNING" % n)
        time.sleep(settle)
        return {"start_s": start_s, "start_cpu_s": start_cpu, "idle_mib": idle / 1024,
                "svc_mib": d.rss_kib() / 1024, "running_s": running_s, "cpu_s": cpu_s(d.proc.pid)}
    finally:
        d.close(token)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--services", type=int, default=100)
    ap.add_argument("--settle", type=float, default=2.0, help="seconds between all RUNNING and the RSS reading")
    ap.add_argument("--java-opts", default="")
    ap.add_argument("--launcher", action="append", default=[], help="NAME=PATH (repeatable); default: this checkout")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "memory-%s.json" % time.strftime("%Y%m%d-%H%M%S")))
    args = ap.parse_args()
    launchers = dict(item.split("=", 1) for item in args.launcher) or {"checkout": LAUNCHER}
    runs = {name: [] for name in launchers}
    loads = []
    for i in range(args.runs):
        for name, path in launchers.items():
            r = one_run(path, args.services, args.java_opts, args.settle)
            loads.append(os.getloadavg()[0])
            print("run %d %s: start %.3f s (cpu %.2f s), RSS idle %.1f MiB, with %d services %.1f MiB "
                  "(all running after %.2f s; cpu %.2f s), load %.1f"
                  % (i + 1, name, r["start_s"], r["start_cpu_s"], r["idle_mib"], args.services, r["svc_mib"],
                     r["running_s"], r["cpu_s"], loads[-1]), flush=True)
            runs[name].append(r)
    result = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "java_opts": args.java_opts, "services": args.services,
              "settle_s": args.settle, "load_avg_1m_range": [min(loads), max(loads)]}
    for name in launchers:
        per = result.setdefault(name, {})
        for key in ("start_s", "start_cpu_s", "idle_mib", "svc_mib", "running_s", "cpu_s"):
            values = [r[key] for r in runs[name]]
            per[key] = round(statistics.median(values), 3)
            per[key + "_range"] = [round(min(values), 3), round(max(values), 3)]
    write_result(args.out, result)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The first calls with params the OpenRPC schema refuses, on a fresh daemon: their latency and the daemon's CPU,
and their error (code and message), which must read the same for every build compared.

    python3 bench/refusal_probe.py [--launcher NAME=PATH ...] [--reps 3] [--out FILE]

Per rep and launcher (interleaved, so a before/after pair meets the same load): spawn the daemon, wait 1 s, then in
turn a service.status with a number for its name, the same again, a service.create with a name the pattern refuses,
the same again, each timed from send to answer with the daemon's CPU (utime+stime) it took. A daemon that compiles
the JSON Schema validator only for the first call its hand check is not sure of pays that set-up in the first call.
"""
import json
import os
import statistics
import time

from daemon_kit import Daemon, launcher_args, launchers, write_result

TICKS = os.sysconf("SC_CLK_TCK")
CALLS = [("status", "service.status", {"name": 7}), ("status again", "service.status", {"name": 8}),
         ("create", "service.create", {"name": "bad/name", "argv": ["/bin/true"]}),
         ("create again", "service.create", {"name": "Bad", "argv": ["/bin/true"]})]


def cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def one_rep(launcher):
    d = Daemon(launcher=launcher)
    try:
        d.start()
        time.sleep(1.0)
        pid, out = d.proc.pid, {}
        for label, method, params in CALLS:
            c0, t0 = cpu_s(pid), time.perf_counter()
            answer = d.rpc.post({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
            out[label] = {"ms": (time.perf_counter() - t0) * 1000, "cpu_ms": (cpu_s(pid) - c0) * 1000,
                          "error": answer.get("error")}
        return out
    finally:
        d.close()


def main():
    ap = launcher_args()
    ap.add_argument("--out")
    a = ap.parse_args()
    runs = {name: [] for name, _ in launchers(a.launcher)}
    for rep in range(a.reps):
        for name, path in launchers(a.launcher):
            r = one_rep(path)
            runs[name].append(r)
            print("%s rep %d load %.1f: %s" % (name, rep, os.getloadavg()[0], "  ".join(
                "%s %.1f ms (cpu %.0f)" % (k, v["ms"], v["cpu_ms"]) for k, v in r.items())), flush=True)
    summary = {name: {label: {"median_ms": statistics.median(r[label]["ms"] for r in reps),
                              "median_cpu_ms": statistics.median(r[label]["cpu_ms"] for r in reps)}
                      for label, _, _ in CALLS} for name, reps in runs.items()}
    errors = {name: {label: reps[0][label]["error"] for label, _, _ in CALLS} for name, reps in runs.items()}
    same = len({json.dumps(e, sort_keys=True) for e in errors.values()}) == 1
    print(json.dumps(summary, indent=1))
    print("errors the same for every build:", same)
    if not same:
        print(json.dumps(errors, indent=1))
    if a.out:
        write_result(a.out, {"summary": summary, "errors": errors, "same_errors": same, "runs": runs})


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Start-up of heromgr as a user meets it: daemon spawn -> first answer, and one CLI call, for each launcher given.

Launchers are measured interleaved (one daemon start or CLI call of each in turn), so a change in the machine's load
touches all of them alike. Typical use, an installed bundle against a trained checkout:

    python3 bench/startup_bench.py --launcher bundle=$HERO_HOME/bin/heromgr --launcher checkout=bin/heromgr
"""
import argparse
import json
import os
import subprocess
import time

from daemon_kit import Daemon, LAUNCHER, new_token, sleepers


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def daemon_start(launcher):
    daemon = Daemon(launcher=launcher)
    try:
        return daemon.start()
    finally:
        daemon.close()


def cli_call(launcher, daemon, argv):
    t0 = time.perf_counter()
    subprocess.run([launcher] + argv, env=daemon.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--launcher", action="append", default=[], help="NAME=PATH (repeatable); default: this checkout")
    ap.add_argument("--daemon-runs", type=int, default=7)
    ap.add_argument("--cli-runs", type=int, default=25)
    args = ap.parse_args()
    launchers = dict(item.split("=", 1) for item in args.launcher) or {"checkout": LAUNCHER}
    starts = {name: [] for name in launchers}
    for _ in range(args.daemon_runs):
        for name, path in launchers.items():
            starts[name].append(daemon_start(path))
    token = new_token()
    daemon = Daemon()
    calls = {name: [] for name in launchers}
    try:
        daemon.start()
        daemon.rpc.batch("service.create", sleepers(1, token))
        name0 = "s0"
        daemon.rpc.call("service.start", {"name": name0})
        for _ in range(args.cli_runs):
            for name, path in launchers.items():
                calls[name].append(cli_call(path, daemon, ["service", "status", name0]))
    finally:
        daemon.close(token)
    report = {name: {"daemon_start_p50_ms": round(1000 * percentile(starts[name], 0.5), 1),
                     "daemon_start_max_ms": round(1000 * max(starts[name]), 1),
                     "cli_status_p50_ms": round(1000 * percentile(calls[name], 0.5), 1),
                     "cli_status_min_ms": round(1000 * min(calls[name]), 1)}
              for name in launchers}
    report["load_average"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

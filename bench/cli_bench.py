#!/usr/bin/env python3
"""The CLI as a person runs it with the fleet registered: `heromgr list`, `heromgr list --json` and
`heromgr status NAME`, each a new CLI JVM against one daemon, p50/min/max of N runs.

The daemon is this checkout's (or --launcher's) on a sandbox home: it registers every class of the fleet (services/)
and the script adds one running transient service (a sleep), whose status is the one asked. The three commands are
run interleaved, so a change in the machine's load touches them alike. Measure a trained checkout: `mvn package`,
then `bin/heromgr-train` (the launcher ignores a start-up cache older than the jar; the script says which it found).

    python3 bench/cli_bench.py [--runs 25] [--out bench/results/cli.json]
"""
import argparse
import json
import os
import subprocess
import time

from daemon_kit import Daemon, LAUNCHER, new_token, percentile, sleepers, write_result

COMMANDS = {"list": ["list"], "list_json": ["list", "--json"], "status": ["status", "s0"]}


def timed(launcher, env, argv):
    """Seconds of one CLI call, which must exit 0 (status of a running service does)."""
    t0 = time.perf_counter()
    done = subprocess.run([launcher] + argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), done.returncode, done.stderr.decode(errors="replace")[-500:]))
    return took, done.stdout


def trained(launcher):
    """Whether the CLI's AOT cache is there and newer than the jar (what the launcher checks before using it)."""
    target = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(launcher))), "target")
    jar, aot = os.path.join(target, "heromgr.jar"), os.path.join(target, "heromgr.aot")
    return os.path.exists(aot) and os.path.exists(jar) and os.path.getmtime(aot) > os.path.getmtime(jar)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--launcher", default=LAUNCHER, help="heromgr launcher to measure (default: this checkout's bin/heromgr)")
    ap.add_argument("--runs", type=int, default=25)
    ap.add_argument("--warmup", type=int, default=3, help="calls of each command first, not counted")
    ap.add_argument("--out", help="also write the result as JSON here")
    args = ap.parse_args()
    token = new_token()
    daemon = Daemon(launcher=args.launcher)
    times = {name: [] for name in COMMANDS}
    try:
        daemon.start()
        daemon.rpc.batch("service.create", sleepers(1, token))
        daemon.rpc.call("service.start", {"name": "s0"})
        services = len(daemon.rpc.call("service.list"))
        load_before = os.getloadavg()
        for _ in range(args.warmup):
            for argv in COMMANDS.values():
                timed(args.launcher, daemon.env, argv)
        rows = 0
        for _ in range(args.runs):
            for name, argv in COMMANDS.items():
                took, out = timed(args.launcher, daemon.env, argv)
                times[name].append(took)
                if name == "list_json":
                    rows = len(json.loads(out))
        load_after = os.getloadavg()
    finally:
        daemon.close(token)
    result = {"services_registered": services, "rows_listed": rows, "runs": args.runs, "trained": trained(args.launcher)}
    for name, values in times.items():
        ordered = sorted(values)
        result[name + "_ms"] = {"p50": round(1000 * percentile(ordered, 0.5), 1), "min": round(1000 * ordered[0], 1),
                                "max": round(1000 * ordered[-1], 1)}
    result["load_average_before"] = [round(x, 2) for x in load_before]
    result["load_average_after"] = [round(x, 2) for x in load_after]
    if args.out:
        write_result(args.out, result)
    else:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

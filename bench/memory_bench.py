#!/usr/bin/env python3
"""Daemon start-up and memory, the way the shared harness measures S0 and S4, repeated in one go.

    python3 bench/memory_bench.py [--runs 3] [--services 100] [--java-opts "-XX:..."] [--out FILE]

Per run: spawn `bin/heromgr daemon` on a sandbox home and time spawn → first answer to service.list (S0); wait 1 s
and read the daemon's VmRSS (S4 idle); register and start --services sleep services in ONE JSON-RPC batch of
service.create, wait until service.list reports them all RUNNING, wait 2 s and read VmRSS again (S4 with services).
--java-opts goes to the launcher as HEROMGR_JAVA_OPTS (after its own daemon flags), to try JVM flags.
Results: median, min and max over the runs, to bench/results/memory-*.json.
"""
import argparse
import os
import statistics
import time

from daemon_kit import REPO, Daemon, new_token, sleepers, wait_until, write_result


def one_run(n, java_opts):
    token = new_token()
    d = Daemon(java_opts)
    try:
        start_s = d.start()
        time.sleep(1.0)
        idle = d.rss_kib()
        d.rpc.batch("service.create", sleepers(n, token))

        def all_running():
            listed = d.rpc.call("service.list")
            return sum(1 for s in listed if s["state"] == "RUNNING") >= n

        _, running_s = wait_until(all_running, 120, 0.025)
        if running_s is None:
            raise RuntimeError("the %d services did not all reach RUNNING" % n)
        time.sleep(2.0)
        return {"start_s": start_s, "idle_mib": idle / 1024, "svc_mib": d.rss_kib() / 1024, "running_s": running_s}
    finally:
        d.close(token)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--services", type=int, default=100)
    ap.add_argument("--java-opts", default="")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "memory-%s.json" % time.strftime("%Y%m%d-%H%M%S")))
    args = ap.parse_args()
    runs = []
    for i in range(args.runs):
        r = one_run(args.services, args.java_opts)
        print("run %d: start %.3f s, RSS idle %.1f MiB, with %d services %.1f MiB (all running after %.2f s)"
              % (i + 1, r["start_s"], r["idle_mib"], args.services, r["svc_mib"], r["running_s"]))
        runs.append(r)
    result = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "java_opts": args.java_opts, "services": args.services,
              "load_avg_1m": os.getloadavg()[0]}
    for key in ("start_s", "idle_mib", "svc_mib"):
        values = [r[key] for r in runs]
        result[key] = round(statistics.median(values), 3)
        result[key + "_range"] = [round(min(values), 3), round(max(values), 3)]
    write_result(args.out, result)


if __name__ == "__main__":
    main()

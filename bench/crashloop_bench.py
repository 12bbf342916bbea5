#!/usr/bin/env python3
"""service.status latency while services crash-loop (issue 3, item 9: "the daemon stays responsive").

    python3 bench/crashloop_bench.py [--loopers 20] [--n 5000] [--runs 3] [--out FILE]

Per run, on a sandbox home: `bin/heromgr daemon`, one sleep service ("probe", the status target), then
  1. quiet: 5000 untimed and --n timed service.status calls over ONE kept-alive connection (p50/p99);
  2. loaded: --loopers transient services running `sh -c 'exit 1'`, restart always with the harness's tuning
     (stable_ms 0, start_limit 0: every exit is restarted at once, without end; --backoff-ms N: the daemon's
     backoff from N ms instead), then --n timed calls again, and the restarts the loopers made meanwhile
     (restart_count from service.status before and after: the load was real).
The machine has 2 cores: the loopers' fork/exec/exit churn competes with the daemon and the client for them.
Results: per run and medians, to bench/results/crashloop-*.json.
"""
import argparse
import os
import statistics
import time

from daemon_kit import REPO, SLEEP, Daemon, new_token, percentile, pids_with_token, transient, wait_until, write_result


def latencies(d, name, n, budget_s=60):
    """n timed calls, or as many as fit in budget_s (a daemon that stalls still gives a result, and says so)."""
    out = []
    end = time.monotonic() + budget_s
    while len(out) < n and time.monotonic() < end:
        t = time.perf_counter()
        d.rpc.call("service.status", {"name": name})
        out.append(time.perf_counter() - t)
    out.sort()
    return {"p50_ms": round(percentile(out, 0.5) * 1000, 4), "p99_ms": round(percentile(out, 0.99) * 1000, 4),
            "max_ms": round(out[-1] * 1000, 3), "calls": len(out)}


def looper_restarts(d, names):
    return sum(a["restart_count"] for n in names for a in d.rpc.call("service.status", {"name": n})["actions"])


def looper(name, token, backoff_ms):
    argv = ["/bin/sh", "-c", "exit 1", "crash.%s" % token]
    if backoff_ms is None:
        return dict(transient(name, argv), start=False)
    # the daemon's own backoff (growing from backoff_ms, reset only by a 10 s run), still without a start limit
    return dict(transient(name, argv, stable_ms=10000, initial_delay_ms=backoff_ms), start=False)


def one_run(loopers, n, token, backoff_ms):
    d = Daemon()
    try:
        d.start()
        d.rpc.call("service.create", transient("probe", [SLEEP, "100000.%s" % token]))
        latencies(d, "probe", 5000)  # warm-up: the JIT compiles the status path
        quiet = latencies(d, "probe", n)
        names = ["crash%d" % i for i in range(loopers)]
        # start false, then one batch of starts: a create whose process dies at once may count as a failed start
        d.rpc.batch("service.create", [looper(nm, token, backoff_ms) for nm in names])
        d.rpc.post([{"jsonrpc": "2.0", "id": i, "method": "service.start", "params": {"name": nm}}
                    for i, nm in enumerate(names)])
        _, up = wait_until(lambda: looper_restarts(d, names) >= loopers * 3, 30, 0.05)
        if up is None:
            raise RuntimeError("the loopers did not crash-loop (fewer than 3 restarts each within 30 s)")
        before, t0 = looper_restarts(d, names), time.perf_counter()
        loaded = latencies(d, "probe", n)
        after, seconds = looper_restarts(d, names), time.perf_counter() - t0
        return {"quiet": quiet, "loaded": loaded, "looper_restarts_per_s": round((after - before) / seconds)}
    finally:
        d.close(token)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loopers", type=int, default=20)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--backoff-ms", type=int, default=None,
                    help="loopers use the daemon's backoff from this initial delay (default: none, as in the harness)")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "crashloop-%s.json" % time.strftime("%Y%m%d-%H%M%S")))
    args = ap.parse_args()
    token = new_token()
    runs = []
    for i in range(args.runs):
        r = one_run(args.loopers, args.n, token, args.backoff_ms)
        print("run %d: %s" % (i + 1, r))
        runs.append(r)
    left = pids_with_token(token)
    result = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "loopers": args.loopers, "calls": args.n,
              "backoff_ms": args.backoff_ms, "load_avg_1m": os.getloadavg()[0]}
    for phase in ("quiet", "loaded"):
        for k in ("p50_ms", "p99_ms"):
            result["%s_%s" % (phase, k)] = statistics.median(r[phase][k] for r in runs)
    result["looper_restarts_per_s"] = statistics.median(r["looper_restarts_per_s"] for r in runs)
    result["processes_left"] = len(left)
    result["runs"] = runs
    write_result(args.out, result)


if __name__ == "__main__":
    main()

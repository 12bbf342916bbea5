"""Where in a fresh daemon's run of status calls the slowest ones fall (session 12).

    python3 bench/slow_calls_probe.py [--runs 4]          # HEROMGR_JAVA_OPTS=... to try a JVM flag

Per run: a fresh `bin/heromgr daemon` on a temp home (daemon_kit.Daemon), one transient sleep service, 50 untimed and 1,000 timed
service.status calls over one connection (as the harness's S3 latency run), then the positions (after the warm-up)
and milliseconds of the 10 slowest calls, i.e. what sets the p99. A cluster at one position in every run is a
one-time event of the daemon's (the ~127th call: method-handle customization); calls spread over the run are not.
"""
import argparse
import time

import daemon_kit as k


def one_run():
    token = k.new_token()
    d = k.Daemon()  # HEROMGR_JAVA_OPTS of this environment reaches the daemon
    try:
        d.start_with_sleeper(token, name="s1")
        for _ in range(50):
            d.rpc.status("s1")
        took = []
        for _ in range(1000):
            t = time.perf_counter()
            d.rpc.status("s1")
            took.append((time.perf_counter() - t) * 1000)
        slowest = sorted(sorted(range(len(took)), key=lambda i: -took[i])[:10])
        return sorted(took)[len(took) // 2], [(i, took[i]) for i in slowest]
    finally:
        d.close(token)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=4)
    args = ap.parse_args()
    for run in range(args.runs):
        p50, slowest = one_run()
        print("run %d p50 %.3f ms, 10 slowest (position:ms): %s" % (
            run, p50, " ".join("%d:%.2f" % s for s in slowest)), flush=True)


if __name__ == "__main__":
    main()

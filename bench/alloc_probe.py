#!/usr/bin/env python3
"""Heap allocated per service.status call, and the young collections it brings (issue 15, S3; helper api3).

    python3 bench/alloc_probe.py path/to/bin/heromgr [CALLS] [WARMUP]

A fresh daemon with one sleep service (created as the harness does) and jstat's counters (the daemon runs with
-XX:+UsePerfData for it): WARMUP calls (default 3000) over one kept-alive connection with bench/s3_probe.py's raw
client, then CALLS (default 10000) more. Allocated bytes = young collections x eden's capacity + eden's growth
(SerialGC empties eden at each young collection); printed per call, with the young collections per 1000 calls and
their mean pause. Prints the same for the fresh daemon's first 1050 calls (the harness's S3 latency run).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_kit import Daemon, launchers, new_token  # noqa: E402
from s3_probe import RawClient  # noqa: E402

JSTAT = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jstat")


def gc_counters(pid):
    """Eden capacity and use (KiB), young collections and their total time (s)."""
    out = subprocess.run([JSTAT, "-gc", str(pid)], capture_output=True, text=True, check=True).stdout.split("\n")
    row = dict(zip(out[0].split(), out[1].split()))
    return float(row["EC"]), float(row["EU"]), int(row["YGC"]), float(row["YGCT"])


def between(a, b, calls):
    young = b[2] - a[2]
    allocated_kib = young * a[0] + b[1] - a[1]
    pause_ms = (b[3] - a[3]) * 1000 / young if young else 0.0
    return "%7.2f KiB/call, %5.1f young GCs per 1000 calls, mean pause %.2f ms (eden %d KiB)" % (
        allocated_kib / calls, young * 1000 / calls, pause_ms, a[0])


def main():
    launcher = sys.argv[1]
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    d = Daemon(launcher=launcher, java_opts="-XX:+UsePerfData")
    token = new_token()
    try:
        d.start_with_sleeper(token)
        d.rpc.close()
        c = RawClient(d.sock, "crash")
        a = gc_counters(d.proc.pid)
        for _ in range(1050):
            c.status("crash")
        b = gc_counters(d.proc.pid)
        print("fresh, first 1050: " + between(a, b, 1050))
        for _ in range(max(0, warmup - 1050)):
            c.status("crash")
        a = gc_counters(d.proc.pid)
        for _ in range(calls):
            c.status("crash")
        b = gc_counters(d.proc.pid)
        print("warm, %d calls:    %s; load %.1f" % (calls, between(a, b, calls), os.getloadavg()[0]))
    finally:
        d.close(token)


if __name__ == "__main__":
    main()

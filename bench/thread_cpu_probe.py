#!/usr/bin/env python3
"""Where a warm service.status call's daemon CPU goes, per daemon thread (issue 15, S3; helper api2).

    python3 bench/thread_cpu_probe.py path/to/bin/heromgr [CALLS]

A fresh daemon with one sleep service, 3000 untimed calls over one kept-alive connection (bench/s3_probe.py's raw
client), then CALLS (default 10000) more: each thread's utime+stime (/proc/<pid>/task/*/stat) over those, in CPU
microseconds per call, and the wall time per call. Shows which threads a call wakes (selector, virtual-thread
carriers, Jetty's scheduler, the GC's VM thread).
"""
import sys, os, time, glob
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_kit import Daemon, UnixRpc, cpu_s, new_token, transient, SLEEP
from s3_probe import RawClient
def per_thread(pid):
    out = {}
    for t in glob.glob("/proc/%d/task/*" % pid):
        try:
            name = open(t + "/comm").read().strip(); f = open(t + "/stat").read().rsplit(")", 1)[1].split()
            out[t.rsplit("/",1)[1] + " " + name] = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
        except OSError: pass
    return out
launcher = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
d = Daemon(launcher=launcher); token = new_token()
try:
    d.start()
    d.rpc.batch("service.create", [transient("crash", [SLEEP, "100001.%s" % token])])
    end = time.monotonic() + 30
    while not d.rpc.status("crash")[1] and time.monotonic() < end: time.sleep(0.01)
    d.rpc.close(); c = RawClient(d.sock, "crash")
    for i in range(3000): c.status("crash")
    a = per_thread(d.proc.pid); t0 = time.perf_counter()
    for i in range(n): c.status("crash")
    wall = time.perf_counter() - t0; b = per_thread(d.proc.pid)
    tot = 0
    for k in sorted(b, key=lambda k: -(b[k] - a.get(k, 0))):
        dlt = b[k] - a.get(k, 0); tot += dlt
        if dlt > 0: print("%-40s %7.1f us/call" % (k, dlt * 1e6 / n))
    print("total %.1f us/call, wall %.1f us/call, load %.1f" % (tot * 1e6 / n, wall * 1e6 / n, os.getloadavg()[0]))
finally: d.close(token)

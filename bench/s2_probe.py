"""S2 probe: kill -9 of a service -> its restart's process alive, for several builds at once, kills interleaved.

Each launcher's daemon runs one sleep service (the harness's S2 argv). The kills go round the daemons in turn, so
each build meets the same load at the same moments. After a kill, /proc is listed every 0.2 ms until a new process
with the service's exact argv is there (the harness lists it every ~1 ms); that process is the next one killed.
Reported per build: p50 / p90 of the kill -> new process time, and the daemon's CPU (utime + stime: all, and per
thread name) per restart over the counted kills, during which no API call is made.

With --prelude 100,300 each daemon first does what the harness's run does before S2: creates of that many sleep
services in one batch, all RUNNING, then stopped and deleted in one batch each (S1 and S6), so the restart path meets
the JIT as the harness leaves it (the exit's own methods still interpreted: they run only on kills).

With --perf FILE the counted kills run under `perf record -a` on scheduler and syscall tracepoints; --phases FILE
then reads that trace back as the phases of each restart (kill, the service's exit, the watcher's epoll wake-up,
the reap, the request to the spawn server, its clone3, the service's exec).

    python3 bench/s2_probe.py --launcher before=/work/wt/before/bin/heromgr --launcher this=bin/heromgr --kills 40
"""
import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

import daemon_kit as kit

TRACEPOINTS = ["sched:sched_process_exit", "sched:sched_process_exec", "sched:sched_process_fork",
               "syscalls:sys_enter_kill", "syscalls:sys_exit_epoll_wait", "syscalls:sys_enter_waitid",
               "syscalls:sys_enter_sendto", "syscalls:sys_enter_clone3", "syscalls:sys_enter_open",
               "syscalls:sys_enter_execve"]


def daemon_pid(d):
    """The java process: bin/heromgr execs it in place."""
    return d.proc.pid


def thread_cpu(pid):
    """CPU seconds per thread name (digits dropped: a pool's threads summed)."""
    out = {}
    for t in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
                name = re.sub(r"[-\d]+$", "", f.read().strip())
            with open("/proc/%d/task/%s/stat" % (pid, t)) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def service_pid(d, name="crash"):
    end = time.monotonic() + 10
    while time.monotonic() < end:
        pid = d.rpc.status(name)[1]
        if pid:
            return pid
        time.sleep(0.002)
    raise RuntimeError("no pid for the service")


def await_new(argv_bytes, base, t0, limit=5.0):
    while time.perf_counter() - t0 < limit:
        for p in os.listdir("/proc"):
            if p.isdigit() and p not in base:
                try:
                    with open("/proc/%s/cmdline" % p, "rb") as f:
                        if f.read() == argv_bytes:
                            return time.perf_counter() - t0, int(p)
                except OSError:
                    pass
        time.sleep(0.0002)
    return None, None


def kill_once(d, argv_bytes):
    """Kills the service's current process; the time until its successor is in /proc. No API call in between: the
    daemon's CPU over the kills is the restarts' own."""
    old = d.current
    base = set(os.listdir("/proc"))
    t0 = time.perf_counter()
    os.kill(old, signal.SIGKILL)
    took, new = await_new(argv_bytes, base, t0)
    d.current = new or service_pid(d)
    return took


def prelude(d, token, counts):
    """The harness's S1 and S6 on this daemon: each count created in one batch, awaited RUNNING, stopped, deleted."""
    for n in counts:
        specs = kit.sleepers(n, token, prefix="p%d_" % n)
        d.rpc.batch("service.create", [dict(x, start=True) for x in specs])
        kit.wait_until(lambda: sum(1 for x in d.rpc.call("service.list") if x["state"] == "RUNNING") >= n, 60, 0.05)
        d.rpc.batch("service.stop", [{"name": x["name"]} for x in specs])
        d.rpc.batch("service.delete", [{"name": x["name"]} for x in specs])


def run(args):
    token = kit.new_token()
    argv = [kit.SLEEP, "100001.%s" % token]
    argv_bytes = b"".join(a.encode() + b"\0" for a in argv)
    daemons = []
    try:
        for name, path in kit.launchers(args.launcher):
            opts = dict(x.split("=", 1) for x in args.java_opts_for).get(name, args.java_opts)
            d = kit.Daemon(java_opts=opts, launcher=path)
            daemons.append((name, d))  # closed in the end even if its start or prelude fails
            if args.prelude:
                d.start()
                prelude(d, token, [int(n) for n in args.prelude.split(",")])
                d.rpc.batch("service.create", [kit.transient("crash", argv)])
                kit.wait_until(lambda: d.rpc.status("crash")[1], 30, 0.01)
            else:
                d.start_with_sleeper(token)
            d.current = service_pid(d)
        for _ in range(args.warmup):
            for _, d in daemons:
                kill_once(d, argv_bytes)
                time.sleep(args.gap)
        perf = None
        if args.perf:
            perf = subprocess.Popen(["perf", "record", "-q", "-a", "-o", args.perf]
                                    + [x for tp in TRACEPOINTS for x in ("-e", tp)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        times = {n: [] for n, _ in daemons}
        cpu0 = {n: kit.cpu_s(daemon_pid(d)) for n, d in daemons}
        threads0 = {n: thread_cpu(daemon_pid(d)) for n, d in daemons}
        load0 = os.getloadavg()[0]
        for _ in range(args.kills):
            for n, d in daemons:
                took = kill_once(d, argv_bytes)
                if took is not None:
                    times[n].append(took * 1000)
                time.sleep(args.gap)
        cpu1 = {n: kit.cpu_s(daemon_pid(d)) for n, d in daemons}
        threads1 = {n: thread_cpu(daemon_pid(d)) for n, d in daemons}
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait(30)
        result = {"load": [load0, os.getloadavg()[0]], "kills": args.kills,
                  "daemons": {n: daemon_pid(d) for n, d in daemons}}
        for n, ts in times.items():
            s = sorted(ts)
            result[n] = {"p50_ms": round(statistics.median(s), 3), "p90_ms": round(kit.percentile(s, 0.9), 3),
                         "min_ms": round(s[0], 3), "cpu_per_restart_ms": round((cpu1[n] - cpu0[n]) * 1000 / args.kills, 2),
                         "threads_ms_per_restart": {k: round((v - threads0[n].get(k, 0)) * 1000 / args.kills, 2)
                                                    for k, v in sorted(threads1[n].items(), key=lambda kv: -kv[1])
                                                    if v - threads0[n].get(k, 0) > 0},
                         "raw_ms": [round(x, 3) for x in ts]}
        return result
    finally:
        for _, d in daemons:
            d.close(token)


def phases(perf_file, daemon_pids):
    """Per restart, the times (ms after the kill) of each step, from a `perf record` made by run()."""
    out = subprocess.run(["perf", "script", "-i", perf_file, "-F", "comm,pid,tid,time,event,trace"],
                         capture_output=True, text=True).stdout
    line_re = re.compile(r"^\s*(.+?)\s+(\d+)/(\d+)\s+([\d.]+):\s+(\S+):\s*(.*)$")
    rows = []
    for line in out.splitlines():
        m = line_re.match(line)
        if m:
            rows.append((m.group(1), int(m.group(2)), int(m.group(3)), float(m.group(4)) * 1000, m.group(5), m.group(6)))
    kills = []
    for i, (comm, pid, tid, t, ev, trace) in enumerate(rows):
        if ev == "syscalls:sys_enter_kill" and "sig: 0x00000009" in trace and comm.startswith("python"):
            target = int(re.search(r"pid: (0x[0-9a-f]+)", trace).group(1), 16)
            kills.append((t, target, i))
    names = ["exit", "epoll_wake", "reap", "request", "clone3", "child_open", "execve", "exec"]
    per = {k: [] for k in names}
    for t0, target, i in kills:
        seen = {}
        for comm, pid, tid, t, ev, trace in rows[i:]:
            if t - t0 > 50:
                break
            if "exit" not in seen and ev == "sched:sched_process_exit" and ("pid=%d " % target) in trace:
                seen["exit"] = t
            elif "exit" in seen and "epoll_wake" not in seen and ev == "syscalls:sys_exit_epoll_wait" \
                    and pid in daemon_pids and comm.startswith("heromgr-exits"):
                seen["epoll_wake"] = t
            elif "epoll_wake" in seen and "reap" not in seen and ev == "syscalls:sys_enter_waitid" and pid in daemon_pids:
                seen["reap"] = t
            elif "reap" in seen and "request" not in seen and ev in ("syscalls:sys_enter_sendto", "syscalls:sys_enter_write") \
                    and pid in daemon_pids:
                seen["request"] = t
            elif "request" in seen and "clone3" not in seen and ev == "syscalls:sys_enter_clone3" and comm.startswith("heromgr-spawn"):
                seen["clone3"], server = t, pid
            elif "clone3" in seen and "child_open" not in seen and ev == "syscalls:sys_enter_open" \
                    and comm.startswith("heromgr-spawn") and pid != server:
                seen["child_open"] = t
            elif "child_open" in seen and "execve" not in seen and ev == "syscalls:sys_enter_execve" \
                    and comm.startswith("heromgr-spawn") and pid != server:
                seen["execve"] = t
            elif "execve" in seen and ev == "sched:sched_process_exec" and "sleep" in trace:
                seen["exec"] = t
                break
        if "exec" in seen:
            for k in names:
                per[k].append(seen[k] - t0)
    summary = {"restarts": len(per["exec"])}
    prev = None
    for k in names:
        if per[k]:
            summary["%s_p50_ms_after_kill" % k] = round(statistics.median(per[k]), 3)
            if prev:
                summary["%s_minus_%s_p50_ms" % (k, prev)] = round(statistics.median(
                    [b - a for a, b in zip(per[prev], per[k])]), 3)
        prev = k
    return summary


def main():
    ap = kit.launcher_args()
    ap.add_argument("--kills", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--gap", type=float, default=0.15, help="seconds between two kills")
    ap.add_argument("--prelude", default=None, help="counts of the harness's S1/S6 run on each daemon first, e.g. 100,300")
    ap.add_argument("--java-opts", default=None, help="HEROMGR_JAVA_OPTS for every daemon")
    ap.add_argument("--java-opts-for", action="append", default=[], help="NAME=HEROMGR_JAVA_OPTS for one launcher")
    ap.add_argument("--perf", default=None, help="record scheduler and syscall tracepoints to this file")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    result = run(args)
    if args.perf:
        result["phases"] = phases(args.perf, set(result["daemons"].values()))
    text = json.dumps(result, indent=1)
    print(json.dumps({k: ({x: y for x, y in v.items() if x != "raw_ms"} if isinstance(v, dict) else v)
                      for k, v in result.items()}, indent=1))
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    sys.exit(main())

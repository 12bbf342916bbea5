#!/usr/bin/env python3
"""S0 as the harness's adapter measures it, with the daemon's CPU at the first answer, per thread (issue 15, S0;
helper start5).

    python3 bench/s0_probe.py [--runs 10] [--out FILE] NAME=LAUNCHER[|JAVA_OPTS] ...

Each run spawns `LAUNCHER daemon --home TMP` (JAVA_OPTS, if given after a `|`, as HEROMGR_JAVA_OPTS), polls every
2 ms for the socket file and then for an answer to `service.list` (the adapter's loop), and at that answer reads the
JVM's utime+stime (/proc/<pid>/stat) and each live thread's (/proc/<pid>/task/*/stat, by thread name; the threads
that already ended are the rest, "(ended)"). Launchers run interleaved, one start of each in turn, so the machine's
load touches them alike; the load average is printed with each round. Medians per launcher; --out keeps every run.
--rss-after S also reads the daemon's VmRSS S seconds after the answer (the harness's S4 idle reads it 1 s after).
"""
import argparse
import glob
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_kit import UnixRpc  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(stat_path):
    fields = open(stat_path).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def threads(pid):
    """CPU seconds per thread name (numbers stripped, so a pool's threads add up; from schedstat, in ns, where the
    stat's ticks are 10 ms), the ended ones as "(ended)": the process's total (ticks) less the live threads'."""
    out = {}
    for task in glob.glob("/proc/%d/task/*" % pid):
        try:
            name = re.sub(r"[-#]?\d+$", "", open(task + "/comm").read().strip())
            out[name] = out.get(name, 0.0) + int(open(task + "/schedstat").read().split()[0]) / 1e9
        except OSError:
            pass
    total = cpu_of("/proc/%d/stat" % pid)
    out["(ended)"] = max(0.0, total - sum(out.values()))
    return total, out


def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def one(launcher, java_opts, rss_after):
    tmp = tempfile.mkdtemp(prefix="s0-probe-")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    sock = os.path.join(home, "var", "sockets", "heromgr", "service.sock")
    env = dict(os.environ)
    env.pop("HERO_HOME", None)
    env["HEROMGR_SOCKET"] = sock
    if java_opts:
        env["HEROMGR_JAVA_OPTS"] = java_opts
    err = open(os.path.join(tmp, "err"), "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen([launcher, "daemon", "--home", home], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=err, env=env, start_new_session=True)
    to_socket = None
    try:
        while True:
            if proc.poll() is not None:
                raise SystemExit("daemon exited: " + open(os.path.join(tmp, "err")).read())
            if os.path.exists(sock):
                if to_socket is None:
                    to_socket = time.monotonic() - t0
                client = UnixRpc(sock)
                try:
                    client.call("service.list")
                    to_answer = time.monotonic() - t0
                    break
                except (OSError, EOFError, RuntimeError):
                    pass
                finally:
                    client.close()
            time.sleep(0.002)
        total, per_thread = threads(proc.pid)
        rss = None
        if rss_after:
            time.sleep(rss_after)
            rss = rss_kb(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        err.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return {"socket_s": to_socket, "answer_s": to_answer, "cpu_s": total, "threads": per_thread, "rss_kb": rss}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--out")
    ap.add_argument("--rss-after", type=float, default=0.0, help="seconds after the answer to read VmRSS (0: not read)")
    ap.add_argument("launchers", nargs="+", help="NAME=LAUNCHER[|JAVA_OPTS]")
    args = ap.parse_args()
    specs = []
    for item in args.launchers:
        name, _, rest = item.partition("=")
        path, _, opts = rest.partition("|")
        specs.append((name, path, opts))
    runs = {name: [] for name, _, _ in specs}
    loads = []
    for i in range(args.runs):
        loads.append(os.getloadavg()[0])
        for name, path, opts in specs:
            runs[name].append(one(path, opts, args.rss_after))
        print("round %d load %.2f: %s" % (i + 1, loads[-1], "  ".join(
            "%s %.3f/%.3f" % (n, r[-1]["answer_s"], r[-1]["cpu_s"]) for n, r in runs.items())), flush=True)
    summary = {}
    for name, rs in runs.items():
        med = lambda key: statistics.median(r[key] for r in rs)  # noqa: E731
        names = sorted({t for r in rs for t in r["threads"]})
        per_thread = {t: statistics.median(r["threads"].get(t, 0.0) for r in rs) for t in names}
        summary[name] = {"socket_s": med("socket_s"), "answer_s": med("answer_s"), "cpu_s": med("cpu_s"),
                         "threads": {t: v for t, v in sorted(per_thread.items(), key=lambda kv: -kv[1]) if v > 0}}
        if args.rss_after:
            summary[name]["rss_kb"] = med("rss_kb")
        print("%-16s socket %.3f  answer %.3f  cpu %.3f  rss %s KiB | %s" % (name, summary[name]["socket_s"],
              summary[name]["answer_s"], summary[name]["cpu_s"], summary[name].get("rss_kb", "-"), " ".join("%s=%.0f" % (t, v * 1000) for t, v in summary[name]["threads"].items())))
    print("load %.2f-%.2f" % (min(loads), max(loads)))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"loads": loads, "summary": summary, "runs": runs}, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The harness's S3 CLI row taken apart (issue 15): how its wait reads a CLI call, against the call's true time.

    python3 bench/cli_wall_probe.py [--adapter NAME=FILE.py:Class ...] [--peers heromgr,supervisord] [--runs 20]
                                    [--reps 1] [--plain LABEL=CMD ...] [--interleave] [--out FILE]

The harness (../shared/bench, benchlib/scenarios.s3_status) times each CLI call with `subprocess.run(...,
timeout=60)`. With a timeout, Python's wait polls waitpid between sleeps of 1, 2, 4, 8, 16, 32, then 50 ms, so a
reading lands just after ~63, 113, 163, 213 ... ms: a call of 110 ms reads ~115 and one of 114 ms ~166. This probe
runs the S3 flow with the harness's own adapters (a daemon, one sleep service, a warm-up call) and times each
adapter's status_cli_cmds both ways, alternated call by call: `harness` (run with timeout=60, as the harness does)
and `blocking` (Popen, then one blocking wait4, which also gives the process's CPU time, every thread). `--plain`
adds commands run without a daemon (e.g. an empty JVM with the CLI's flags: the floor), timed the same two ways.
Each peer prints both medians and the sorted readings. `--interleave` starts every peer's daemon first, then
alternates all the commands round by round in a shuffled order (paired: a load that moves moves every figure alike).

Adapters are loaded as run.py loads them (../shared/bench, or $BENCH_DIR): the built-in names (supervisord, pm2,
s6), and --adapter NAME=FILE.py:Class for the project's own (bench/heromgr_adapter.py runs the bin/heromgr of the
checkout it sits in, so heromgr_before=/work/wt/before/bench/heromgr_adapter.py:HeromgrAdapter pairs two builds).
"""
import argparse
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def harness_dir():
    for candidate in (os.environ.get("BENCH_DIR"), os.path.join(HERE, "..", "..", "shared", "bench"),
                      os.path.join(HERE, "..", "..", "..", "shared", "bench")):
        if candidate and os.path.isfile(os.path.join(candidate, "run.py")):
            return os.path.abspath(candidate)
    sys.exit("cli_wall_probe: the shared harness (../shared/bench) was not found; set BENCH_DIR")


BENCH = harness_dir()
sys.path.insert(0, BENCH)
from adapters import load, register  # noqa: E402
from adapters.base import ServiceSpec  # noqa: E402
from benchlib import procs, scenarios as S  # noqa: E402


def timed_harness(argv, env):
    """The harness's reading: subprocess.run with a timeout, i.e. waitpid polled between growing sleeps."""
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, timeout=60)
    return time.perf_counter() - t0, None, p.returncode


def timed_blocking(argv, env):
    """The true reading: one blocking wait4 the moment the process exits; CPU of all its threads from rusage."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
    return wall, usage.ru_utime + usage.ru_stime, p.returncode


def new_result():
    return {"harness": [], "blocking": [], "cpu": [], "rc": set()}


def time_once(out, argv, env):
    """One call timed each way, into out."""
    for kind, timer in (("harness", timed_harness), ("blocking", timed_blocking)):
        wall, cpu, rc = timer(argv, env)
        out[kind].append(wall * 1000)
        out["rc"].add(rc)
        if cpu is not None:
            out["cpu"].append(cpu * 1000)


def time_both(argv, env, runs):
    out = new_result()
    timed_harness(argv, env)  # warm-up (page cache), as the harness does
    for _ in range(runs):
        time_once(out, argv, env)
    out["rc"] = sorted(out["rc"])
    return out


def start_peer(peer, log):
    """The S3 flow of run.py for one peer up to the calls: a daemon and one sleep service. (ctx, adapter, tmp, cmds)"""
    tmp = tempfile.mkdtemp(prefix="cli-wall-%s-" % peer)
    a = load(peer)(tmp, BENCH)
    token = "%06d" % random.randint(0, 999999)
    ctx = S.Ctx(a, token, None, log=log)
    try:
        a.start_daemon()
        time.sleep(1.0)
        name = "crash"
        a.add_services([ServiceSpec(name, [S.SLEEP, "100001.%s" % token])])
        S._wait_until(lambda: a.service_pid(name), 30, 0.01)
        return ctx, a, tmp, a.status_cli_cmds(name)
    except BaseException:
        cleanup(ctx, a, tmp)
        raise


def stop_peer(ctx, a, tmp):
    try:
        S.remove_all(ctx)
    finally:
        cleanup(ctx, a, tmp)


def probe_peer(peer, runs, log):
    """One peer's status commands timed, its daemon alone on the machine."""
    ctx, a, tmp, cmds = start_peer(peer, log)
    try:
        return {label: time_both(argv, a.env, runs) for label, argv in cmds.items()}
    finally:
        stop_peer(ctx, a, tmp)


def probe_interleaved(peers, plain, runs, log):
    """Every peer's daemon up at once, then each round calls every command once, in a shuffled order: a load that
    moves during the run moves every peer's figures alike (run one after the other, a block of calls can see
    another load than the next). {(peer, label): result}"""
    started = []
    try:
        for peer in peers:
            started.append((peer,) + start_peer(peer, log))
        calls = [(peer, label, argv, a.env) for peer, _, a, _, cmds in started for label, argv in cmds.items()]
        calls += [("plain", label, shlex.split(cmd), dict(os.environ)) for label, cmd in plain]
        results = {(peer, label): new_result() for peer, label, _, _ in calls}
        for _, _, argv, env in calls:
            timed_harness(argv, env)  # warm-up (page cache), as the harness does
        for _ in range(runs):
            random.shuffle(calls)
            for peer, label, argv, env in calls:
                time_once(results[(peer, label)], argv, env)
        for r in results.values():
            r["rc"] = sorted(r["rc"])
        return results
    finally:
        for _, ctx, a, tmp, _ in started:
            stop_peer(ctx, a, tmp)


def cleanup(ctx, a, tmp):
    """As run.py's cleanup: the adapter's teardown, then any of our pids still alive, by pid."""
    roots = []
    try:
        roots = list(a.daemon_root_pids())
    except Exception:  # noqa: a daemon that never started has no roots
        pass
    a.teardown()
    cmap = procs.children_map()
    stray = set(ctx.leftovers())
    for r in roots:
        if procs.is_alive(r):
            stray.add(r)
        stray.update(procs.descendants(r, cmap))
    stray.discard(os.getpid())
    if stray:
        procs.kill_pids(sorted(stray))
        procs.wait_gone(stray, 10)
    shutil.rmtree(tmp, ignore_errors=True)


def line(kind, values):
    return "  %-9s median %6.1f ms  [%s]" % (kind, statistics.median(values), " ".join("%.0f" % v for v in sorted(values)))


def report(peer, label, r):
    print("%s: %s  (exit codes %s)" % (peer, label, r["rc"]))
    print(line("harness", r["harness"]))
    print(line("blocking", r["blocking"]))
    if r["cpu"]:
        print(line("cpu", r["cpu"]))
    sys.stdout.flush()


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--adapter", action="append", default=[], help="NAME=FILE.py:Class, as run.py's --adapter")
    ap.add_argument("--peers", default="heromgr,supervisord")
    ap.add_argument("--plain", action="append", default=[], help="LABEL=CMD run without a daemon (a floor)")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--interleave", action="store_true",
                    help="all daemons up at once, the calls of every peer alternated round by round (paired)")
    ap.add_argument("--out")
    opts = ap.parse_args()
    for spec in opts.adapter:
        register(spec if spec.split("=", 1)[1].startswith("/") else
                 "%s=%s" % (spec.split("=", 1)[0], os.path.abspath(spec.split("=", 1)[1])))
    peers = [p for p in opts.peers.split(",") if p]
    plain = [p.split("=", 1) for p in opts.plain]
    out = {"runs": opts.runs, "reps": []}
    log = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    for rep in range(opts.reps):
        rec = {"load_before": load_average()}
        print("rep %d, load %s" % (rep, rec["load_before"]))
        if opts.interleave:
            for (peer, label), r in probe_interleaved(peers, plain, opts.runs, log).items():
                report(peer, label, r)
                rec["%s %s" % (peer, label)] = r
        for peer in peers if not opts.interleave else []:
            for label, r in probe_peer(peer, opts.runs, log).items():
                report(peer, label, r)
                rec["%s %s" % (peer, label)] = r
        for label, cmd in plain if not opts.interleave else []:
            r = time_both(shlex.split(cmd), dict(os.environ), opts.runs)
            report("plain", label, r)
            rec["plain " + label] = r
        rec["load_after"] = load_average()
        print("  load after %s" % rec["load_after"])
        out["reps"].append(rec)
    if opts.out:
        with open(opts.out, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()

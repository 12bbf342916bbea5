#!/usr/bin/env python3
"""Soak (issue 11): random operations, crash-looping services and daemon SIGKILLs at random times, with the
invariants checked after every daemon restart.

    python3 bench/soak.py --minutes 60 [--names 12] [--loopers 3] [--kill-every 20 60] [--seed S] [--out FILE]

On a sandbox home (bench/daemon_kit.py): --loopers services that exit at once with every restart delay and limit at
zero (the crash-loop floor holds them), and a pool of --names sleep services that one client creates (alone or in
batches of 2-6), starts, stops, restarts, deletes, and reads (status, list) at random. A timer SIGKILLs the daemon
every --kill-every seconds (uniform), whatever the client is doing; the client then starts a new daemon on the same
home and checks, before going on:
  - no duplicate: at most one live marked process (HEROMGR_ACTION=<this home's state file>#<service>/<action>,
    session leaders) per action;
  - no orphan: every marked process is the pid service.status reports for its service;
  - no half-written file: every .json under var/heromgr parses, every whole line of ops.jsonl parses, no temp file
    of an earlier daemon is left;
  - no lost acknowledged operation: a create or delete the client got an answer for is there or gone, a start or
    stop it got an answer for holds (RUNNING / not RUNNING), and a start, stop or restart has its record in the
    operation log unless 5,000 recorded calls or more came after it (the log keeps its newest 5,000 records; creates
    and deletes are not recorded there: their definition file is their record);
  - what the client never got an answer for is all or nothing: a service it may have made is either absent or
    fully there (status answers and it starts).
Reports the daemon's RSS over time, latency p50/p99 per method (answered calls), restarts, and every broken
invariant; exits 1 if any broke. The figures go to bench/results/soak-*.json.
"""
import argparse
import glob
import json
import os
import random
import signal
import threading
import time

from daemon_kit import (REPO, Daemon, RpcError, kill_pids, new_token, percentile, pids_with_token, rss_kib, transient,
                        wait_until, write_result)

# the operations the operation log records (architecture.md): a create or delete is recorded by its definition file
RECORDED = ("service.start", "service.stop", "service.restart")
# The operation log keeps the newest OperationLog.KEPT records (the file is compacted to them when it holds twice as
# many): an acknowledged operation followed by this many recorded calls or more may be gone from it, by design.
OPS_KEPT = 5000
SETTLE_S = 30  # bound for the services to be back where the model says after a restart (a loaded machine)


def marked_processes(state_file):
    """{pid: "service/action"} of live session leaders whose environment carries this state file's marker."""
    prefix = b"HEROMGR_ACTION=" + state_file.encode() + b"#"
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d, "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if fields[0] in (b"Z", b"X") or int(fields[3]) != int(d):  # zombie, or not a session leader
                continue
            with open("/proc/%s/environ" % d, "rb") as f:
                env = f.read().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        for e in env:
            if e.startswith(prefix):
                out[int(d)] = e[len(prefix):].decode()
    return out


def process_facts(pid):
    """Who a process's parent is and how long it has run: one older than the daemon was spawned by an earlier daemon
    (an adoption missed), a younger one by this daemon (a run it lost track of)."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")[:-1]
    except (OSError, IndexError, ValueError):
        return "gone"
    return {"ppid": int(fields[1]), "age_s": round(uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"), 1),
            "argv": [a.decode(errors="replace") for a in argv]}


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.token = new_token()
        self.d = Daemon(launcher=args.launcher) if args.launcher else Daemon()
        self.state_dir = os.path.join(self.d.home, "var", "heromgr")
        self.state_file = os.path.join(self.state_dir, "runtime.json")
        self.names = ["s%d" % i for i in range(args.names)]
        self.loopers = ["loop%d" % i for i in range(args.loopers)]
        # the model: name -> True (exists) / False (absent) / None (a call about it got no answer)
        self.exists = {n: False for n in self.names}
        # sleepers: name -> "running" / "stopped" / None (unknown)
        self.wanted = {}
        self.acked = []  # (method, service) answered since the last restart, for the operation-log check
        self.latency = {}
        self.rss = []
        self.broken = []
        self.evidence = []  # per broken invariant that has it: the service's recent runs, the processes' parents and ages
        self.restarts = []
        self.ops = 0
        self.unanswered = 0
        self.in_doubt = {"there": 0, "absent": 0}
        self.mutations = 0  # calls that write an operation record, since the last check
        self.recorded_calls = 0  # calls of a RECORDED method, answered or not: each may have written one record
        self.recorded_acked = []  # ((method, service), recorded_calls at its answer) since the last restart
        self.kill_timer = None
        self.t0 = time.monotonic()

    # --- calls ---------------------------------------------------------------------------------------------------

    def call(self, method, params, batch=None):
        """(answered, result-or-RpcError). answered False: the daemon died under the call."""
        t = time.perf_counter()
        try:
            if batch is not None:
                result = self.d.rpc.post([{"jsonrpc": "2.0", "id": i, "method": method, "params": p}
                                          for i, p in enumerate(batch)])
            else:
                result = self.d.rpc.call(method, params)
        except RpcError as e:
            result = e
        except (OSError, EOFError, ValueError, RuntimeError):  # the daemon died under the call
            self.d.rpc.close()
            self.unanswered += 1
            return False, None
        finally:
            if method != "service.list" and method != "service.status":
                self.mutations += len(batch) if batch is not None else 1
            if method in RECORDED:
                self.recorded_calls += len(batch) if batch is not None else 1
        self.latency.setdefault(method if batch is None else method + "[batch]", []).append(
            (time.perf_counter() - t) * 1000)
        return True, result

    def sleeper(self, name):
        return transient(name, ["/bin/sleep", "100000.%s" % self.token])

    # --- the random operations -------------------------------------------------------------------------------------

    def step(self):
        r = self.rng.random()
        name = self.rng.choice(self.names)
        if r < 0.30:
            self.read(name)
        elif r < 0.42:
            self.create([name])
        elif r < 0.50:
            self.create(self.rng.sample(self.names, self.rng.randint(2, 6)))
        elif r < 0.62:
            self.delete(name)
        elif r < 0.74:
            self.change("service.start", name, "running")
        elif r < 0.86:
            self.change("service.stop", name, "stopped")
        else:
            self.change("service.restart", name, "running")
        self.ops += 1

    def read(self, name):
        if self.rng.random() < 0.5:
            return self.call("service.list", None)
        return self.call("service.status", {"name": self.rng.choice([name] + self.loopers)})

    def create(self, names):
        for n in names:
            self.exists[n] = None
            self.wanted[n] = None
        answered, answers = self.call("service.create", None, batch=[self.sleeper(n) for n in names])
        if not answered:
            return
        for a in answers:
            n = names[a["id"]]
            if "result" in a:
                self.exists[n], self.wanted[n] = True, "running"
                self.acked.append(("service.create", n))
            elif a["error"].get("code") == -32007:  # already exists: as it was, state unknown to this call
                self.exists[n] = True
            else:
                self.broke("create %s answered %s" % (n, a["error"]))

    def delete(self, name):
        was = self.exists[name]
        self.exists[name] = None
        answered, result = self.call("service.delete", {"name": name})
        if not answered:
            return
        if isinstance(result, RpcError):
            self.exists[name] = was if result.error.get("code") != -32001 else False
            if result.error.get("code") == -32001 and was is True:
                self.broke("delete %s: not found, though its create was acknowledged" % name)
        else:
            self.exists[name] = False
            self.wanted.pop(name, None)
            self.acked.append(("service.delete", name))

    def change(self, method, name, outcome):
        before = self.wanted.get(name)
        self.wanted[name] = None
        answered, result = self.call(method, {"name": name})
        if not answered:
            return
        if isinstance(result, RpcError):
            self.wanted[name] = before
            if result.error.get("code") == -32001 and self.exists[name] is True:
                self.broke("%s %s: not found, though it exists" % (method, name))
            if result.error.get("code") == -32001:
                self.exists[name] = False
        else:
            self.wanted[name] = outcome
            self.acked.append((method, name))
            self.recorded_acked.append(((method, name), self.recorded_calls))

    def broke(self, what, evidence=None):
        """Records a broken invariant; evidence (what the daemon and /proc said then) goes with it to the result."""
        line = "%.0fs: %s" % (time.monotonic() - self.t0, what)
        print("BROKEN", line, flush=True)
        self.broken.append(line)
        if evidence is not None:
            print("EVIDENCE", json.dumps(evidence), flush=True)
            self.evidence.append({"broken": line, "evidence": evidence})

    def recent_jobs(self, name):
        """The service's state and, per action, its last three runs (how each ended), or the error status gave."""
        answered, r = self.call("service.status", {"name": name})
        if not answered or isinstance(r, RpcError):
            return str(r)
        return {"state": r["state"], "actions": [{"pid": a.get("pid"), "state": a.get("state"), "jobs": a.get("jobs", [])[-3:]}
                                                 for a in r["actions"]]}

    # --- daemon kills and the checks after each ----------------------------------------------------------------------

    def arm_kill(self):
        lo, hi = self.args.kill_every
        pid = self.d.proc.pid
        self.kill_timer = threading.Timer(self.rng.uniform(lo, hi), lambda: os.kill(pid, signal.SIGKILL))
        self.kill_timer.daemon = True
        self.kill_timer.start()

    def restart_daemon(self):
        self.kill_timer.cancel()
        if self.d.proc.poll() is None:
            self.d.proc.kill()
        self.d.proc.wait(30)
        before = len(self.acked)
        t = time.perf_counter()
        self.d.start(timeout=120)
        start_s = time.perf_counter() - t
        self.check()
        self.restarts.append({"at_s": round(time.monotonic() - self.t0), "first_answer_s": round(start_s, 2),
                              "acked_before": before})
        self.acked = []
        self.recorded_acked = []
        self.arm_kill()

    def check(self):
        self.check_files()
        self.check_acknowledged()
        self.check_processes()
        self.mutations = 0

    def check_files(self):
        pid = self.d.proc.pid
        for f in glob.glob(os.path.join(self.state_dir, "**", "*"), recursive=True) + \
                glob.glob(os.path.join(self.state_dir, "**", ".*"), recursive=True):
            base = os.path.basename(f)
            if base.startswith(".") and base.endswith(".tmp") and (".%d-" % pid) not in base:
                self.broke("temp file of an earlier daemon left: %s" % f)
            elif base.endswith(".json") and os.path.isfile(f):
                try:
                    with open(f) as fh:
                        json.load(fh)
                except (ValueError, OSError) as e:
                    self.broke("%s does not parse: %s" % (f, e))
        ops = os.path.join(self.state_dir, "ops", "ops.jsonl")
        if os.path.exists(ops):
            with open(ops, "rb") as fh:
                lines = fh.read().split(b"\n")[:-1]  # a line still being appended has no newline yet
            for i, line in enumerate(lines):
                try:
                    json.loads(line)
                except ValueError:
                    self.broke("ops.jsonl line %d does not parse: %r" % (i + 1, line[:80]))
            recorded = {}
            for line in lines[-self.mutations - 1:]:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                recorded[(e.get("method"), e.get("service"))] = recorded.get((e.get("method"), e.get("service")), 0) + 1
            # every acknowledged one that fewer than OPS_KEPT recorded calls followed is among the records kept
            kept = [key for key, at in self.recorded_acked if self.recorded_calls - at < OPS_KEPT]
            for key in set(kept):
                if recorded.get(key, 0) < kept.count(key):
                    self.broke("acknowledged %s %s has no record in ops.jsonl" % key)

    def check_acknowledged(self):
        answered, listing = self.call("service.list", None)
        if not answered or isinstance(listing, RpcError):
            self.broke("service.list after the restart: %s" % listing)
            return
        listed = {s["name"] for s in listing}
        for n in self.loopers:
            if n not in listed:
                self.broke("looper %s is gone" % n)
        for n in self.names:
            known = self.exists[n]
            if known is True and n not in listed:
                self.broke("acknowledged create of %s lost" % n)
            elif known is False and n in listed:
                self.broke("acknowledged delete of %s undone" % n)
            elif known is None:
                self.exists[n] = n in listed
                self.in_doubt["there" if n in listed else "absent"] += 1
                if n in listed:
                    answered, r = self.call("service.start", {"name": n})
                    if not answered or isinstance(r, RpcError):
                        self.broke("%s, made by a call that got no answer, is there but does not start: %s" % (n, r))
                    self.wanted[n] = "running"
                else:
                    self.wanted.pop(n, None)
        deadline = time.monotonic() + SETTLE_S
        while True:
            wrong = []
            for n, want in self.wanted.items():
                if want is None or not self.exists.get(n):
                    continue
                answered, r = self.call("service.status", {"name": n})
                if not answered or isinstance(r, RpcError):
                    wrong.append("%s: %s" % (n, r))
                elif (r["state"] == "RUNNING") != (want == "running"):
                    wrong.append("%s %s, acknowledged %s" % (n, r["state"], want))
            if not wrong:
                break
            if time.monotonic() > deadline:
                self.broke("after %d s: %s" % (SETTLE_S, "; ".join(wrong)), {n: self.recent_jobs(n) for n in self.wanted})
                break
            time.sleep(0.2)
        for n, want in list(self.wanted.items()):
            if want is None and self.exists.get(n):
                answered, r = self.call("service.status", {"name": n})
                if answered and not isinstance(r, RpcError):
                    self.wanted[n] = "running" if r["state"] == "RUNNING" else "stopped"

    def status_pids(self):
        pids = {}
        for n in [n for n in self.names if self.exists.get(n)] + self.loopers:
            answered, r = self.call("service.status", {"name": n})
            if answered and not isinstance(r, RpcError):
                for a in r["actions"]:
                    if a.get("pid"):
                        pids[a["pid"]] = n
        return pids

    def check_processes(self):
        deadline = time.monotonic() + SETTLE_S
        while True:
            first = self.status_pids()
            marked = marked_processes(self.state_file)
            second = self.status_pids()
            per_action = {}
            for pid, action in marked.items():
                per_action.setdefault(action, []).append(pid)
            dups = {a: p for a, p in per_action.items() if len([x for x in p if alive(x)]) > 1}
            orphans = [p for p in marked if p not in first and p not in second and alive(p)]
            if not dups and not orphans:
                return
            if time.monotonic() > deadline:
                up = round(time.perf_counter() - self.d.spawned_at, 1)
                if dups:
                    self.broke("duplicate processes: %s" % dups, {"daemon_up_s": up, "processes": {
                        p: process_facts(p) for ps in dups.values() for p in ps}})
                if orphans:
                    self.broke("orphans (marked, not reported): %s" % {p: marked[p] for p in orphans}, {
                        "daemon_up_s": up, "processes": {p: process_facts(p) for p in orphans},
                        "status": {marked[p]: self.recent_jobs(marked[p].split("/")[0]) for p in orphans}})
                return
            time.sleep(0.5)

    # --- the run -----------------------------------------------------------------------------------------------------

    def run(self):
        end = time.monotonic() + self.args.minutes * 60
        self.d.start(timeout=120)
        looper_argv = ["/bin/sh", "-c", "exit 1", "soak-looper-%s" % self.token]
        for n in self.loopers:
            self.d.rpc.call("service.create", transient(n, looper_argv, initial_delay_ms=0))
        self.arm_kill()
        next_sample = 0
        while time.monotonic() < end:
            if time.monotonic() >= next_sample:
                next_sample = time.monotonic() + self.args.sample_s
                try:
                    self.rss.append((round(time.monotonic() - self.t0), rss_kib(self.d.proc.pid),
                                     round(os.getloadavg()[0], 1)))
                except (OSError, StopIteration):
                    pass
            if self.d.proc.poll() is not None:
                self.restart_daemon()
                continue
            self.step()
        self.kill_timer.cancel()
        if self.d.proc.poll() is not None:
            self.restart_daemon()
        self.kill_timer.cancel()
        self.check()

    def report(self):
        lat = {}
        for m, v in sorted(self.latency.items()):
            v.sort()
            lat[m] = {"n": len(v), "p50_ms": round(percentile(v, 0.5), 3), "p99_ms": round(percentile(v, 0.99), 3),
                      "max_ms": round(v[-1], 1)}
        rss = [r for _, r, _ in self.rss]
        load = sorted(x for _, _, x in self.rss)
        damaged = sorted(os.path.relpath(f, self.state_dir) for f in
                         glob.glob(os.path.join(self.state_dir, "**", "*.damaged-*"), recursive=True))
        return {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "minutes": self.args.minutes, "seed": self.args.seed, "names": self.args.names,
            "loopers": self.args.loopers, "kill_every_s": self.args.kill_every,
            "operations": self.ops, "daemon_kills": len(self.restarts), "calls_unanswered": self.unanswered,
            "services_in_doubt_after_kills": self.in_doubt,
            "first_answer_s_after_kill_max": max((r["first_answer_s"] for r in self.restarts), default=None),
            "load_avg_1m_min_median_max": [load[0], load[len(load) // 2], load[-1]] if load else None,
            "rss_kib_min_max_last": [min(rss), max(rss), rss[-1]] if rss else None,
            "rss_kib_and_load_over_time": self.rss,
            "latency": lat,
            "damaged_copies": damaged,
            "broken_invariants": self.broken,
            "evidence": self.evidence,
        }

    def close(self):
        """Removes the sandbox and every process of the run; one still alive 10 s later breaks the run (CI runs it)."""
        if self.kill_timer:
            self.kill_timer.cancel()
        self.d.close(self.token)
        kill_pids(list(marked_processes(self.state_file)))
        daemon = [self.d.proc.pid] if self.d.proc else []

        def left():
            return [p for p in list(marked_processes(self.state_file)) + pids_with_token(self.token) + daemon if alive(p)]

        if wait_until(lambda: not left(), 10, interval=0.1)[0] is None:
            self.broke("processes left behind: %s" % left())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=2)
    ap.add_argument("--names", type=int, default=12, help="the pool of sleep services' names")
    ap.add_argument("--loopers", type=int, default=3, help="services that exit at once, restarted as fast as allowed")
    ap.add_argument("--kill-every", type=float, nargs=2, default=[20, 60], metavar=("MIN_S", "MAX_S"))
    ap.add_argument("--sample-s", type=float, default=10, help="how often the daemon's RSS is read")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--launcher", help="bin/heromgr of another checkout (default: this one's)")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "soak-%s.json" % time.strftime("%Y%m%d-%H%M%S")))
    args = ap.parse_args()
    soak = Soak(args)
    try:
        soak.run()
    finally:
        result = soak.report()
        soak.close()
        if args.minutes < 5:
            del result["rss_kib_and_load_over_time"]
        write_result(args.out, result)
    raise SystemExit(1 if soak.broken else 0)


if __name__ == "__main__":
    main()

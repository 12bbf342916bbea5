#!/usr/bin/env python3
"""One cold daemon, one JSON-RPC batch of N service.create (start=true), as the harness's S1 sends it.

    python3 bench/batch_probe.py [--services 1000] [--runs 1] [--launcher NAME=PATH ...] [--java-opts "..."]
                                 [--threads] [--perf FILE] [--poll] [--rounds N]

Per run: spawn the daemon, wait 1 s, send the batch, time it until answered and until service.list reports all
RUNNING; the daemon's CPU (utime+stime) spent by the batch and, with --threads, per thread name. Launchers run
interleaved, so a before/after pair meets the same load. --poll: service.list every 25 ms on a second connection
while the batch runs, as the harness's S1 polls (its lists are part of the daemon's CPU then); "running" is then the
first poll that saw all RUNNING. --rounds N: N batches per daemon, the first cold, each later one of new names once
the previous round's services are stopped and deleted (--gap S later): what the JIT's warmth is worth against the file
system's part.
"""
import argparse
import collections
import os
import signal
import subprocess
import threading
import time

from daemon_kit import LAUNCHER, Daemon, UnixRpc, new_token, sleepers, wait_until

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_s(path):
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def threads(pid):
    out = collections.Counter()
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                name = f.read().strip().rstrip("0123456789")
            out[name] += cpu_s("/proc/%d/task/%s/stat" % (pid, tid))
        except OSError:
            pass
    return out


def dumps(pid, folder):
    """Thread dumps (virtual threads included) every 0.5 s into folder until the returned event is set."""
    stop = threading.Event()
    jcmd = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jcmd")

    def loop():
        i = 0
        while not stop.wait(0.5):
            i += 1
            subprocess.run([jcmd, str(pid), "Thread.dump_to_file", os.path.join(folder, "dump-%d.txt" % i)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    threading.Thread(target=loop, daemon=True).start()
    return stop


def perfmap(pid):
    """Writes /tmp/perf-<pid>.map so perf can name the JIT's code (interpreted frames stay "Interpreter")."""
    jcmd = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jcmd")
    subprocess.run([jcmd, str(pid), "Compiler.perfmap"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class ListPoller(threading.Thread):
    """service.list every 25 ms on its own connection from t0 on, as the harness's S1 does; .t: seconds from t0 to
    the first list with all n RUNNING."""

    def __init__(self, sock, n, t0):
        super().__init__(daemon=True)
        self.rpc, self.n, self.t0, self.t, self.calls = UnixRpc(sock), n, t0, None, 0

    def run(self):
        end = self.t0 + 300
        while time.perf_counter() < end:
            self.calls += 1
            if sum(1 for s in self.rpc.call("service.list") if s["state"] == "RUNNING") >= self.n:
                self.t = time.perf_counter() - self.t0
                break
            time.sleep(0.025)
        self.rpc.close()


def one_run(launcher, n, java_opts, per_thread, dump_dir=None, strace_out=None, perf_out=None, poll=False, rounds=1,
            gap=0.5):
    """The run's results, one per round: round 0 is the cold daemon's batch, each later one a batch of new names on the
    same daemon once the previous round's services are stopped and deleted (the tracers see round 0 only)."""
    token = new_token()
    d = Daemon(java_opts, launcher=launcher)
    try:
        d.start()
        time.sleep(1.0)
        results = [one_batch(d, n, token, per_thread, dump_dir, strace_out, perf_out, poll)]
        for r in range(1, rounds):
            names = [s["name"] for s in d.rpc.call("service.list")]
            d.rpc.batch("service.stop", [{"name": x} for x in names])
            d.rpc.batch("service.delete", [{"name": x} for x in names])
            time.sleep(gap)
            results.append(one_batch(d, n, token, per_thread, prefix="r%d_" % r))
        return results
    finally:
        d.close(token)


def one_batch(d, n, token, per_thread, dump_dir=None, strace_out=None, perf_out=None, poll=False, prefix="s"):
    """One batch of n creates named prefix0.. on daemon d: its times and the daemon's CPU (and the tracers' files)."""
    pid = d.proc.pid
    cpu0, th0 = cpu_s("/proc/%d/stat" % pid), threads(pid)
    stop = dumps(pid, dump_dir) if dump_dir else None
    tracer = None
    if strace_out:
        tracer = subprocess.Popen(["strace", "-c", "-f", "-p", str(pid), "-o", strace_out])
        time.sleep(1.0)
    if perf_out:
        tracer = subprocess.Popen(["perf", "record", "-F", "2000", "-g", "-p", str(pid), "-o", perf_out],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
    t0 = time.perf_counter()
    poller = ListPoller(d.sock, n, t0) if poll else None
    if poller:
        poller.start()
    d.rpc.batch("service.create", sleepers(n, token, prefix))
    answered = time.perf_counter() - t0
    if poller:
        poller.join(300)
        running = poller.t
    else:
        wait_until(lambda: sum(1 for s in d.rpc.call("service.list") if s["state"] == "RUNNING") >= n, 300, 0.025)
        running = time.perf_counter() - t0
    cpu = cpu_s("/proc/%d/stat" % pid) - cpu0
    if stop:
        stop.set()
    if perf_out:
        perfmap(pid)
    if tracer:
        tracer.send_signal(signal.SIGINT)
        tracer.wait(30)
    result = {"answered_s": answered, "running_s": running, "cpu_s": cpu}
    if per_thread:
        result["threads"] = {k: round(v - th0.get(k, 0), 2) for k, v in threads(pid).most_common(12)}
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--services", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--launcher", action="append", default=[])
    ap.add_argument("--java-opts")
    ap.add_argument("--threads", action="store_true")
    ap.add_argument("--strace", help="a file for strace -c -f of the daemon during the batch")
    ap.add_argument("--perf", help="a file for perf record -g of the daemon (and its children) during the batch")
    ap.add_argument("--dumps", help="a folder for thread dumps taken every 0.5 s during the batch")
    ap.add_argument("--poll", action="store_true", help="service.list every 25 ms during the batch, as the harness's S1")
    ap.add_argument("--rounds", type=int, default=1,
                    help="batches per daemon: after the cold one, batches of new names on the same (warm) daemon")
    ap.add_argument("--gap", type=float, default=0.5,
                    help="seconds between a round's deletes and the next batch (ext4 without a journal skips inodes "
                         "freed in the last ~30 s when it allocates: 35 keeps the deletes out of the next round)")
    a = ap.parse_args()
    launchers = [l.split("=", 1) for l in a.launcher] or [("this", LAUNCHER)]
    for r in range(a.runs):
        for name, path in launchers:
            results = one_run(path, a.services, a.java_opts, a.threads, a.dumps, a.strace,
                              a.perf and "%s.%s.%d" % (a.perf, name, r), a.poll, a.rounds, a.gap)
            for i, res in enumerate(results):
                print("%s run %d round %d n=%d: answered %.3f s, running %.3f s, daemon cpu %.2f s, load %s" % (
                    name, r, i, a.services, res["answered_s"], res["running_s"], res["cpu_s"], os.getloadavg()[0]),
                    res.get("threads", ""), flush=True)


if __name__ == "__main__":
    main()

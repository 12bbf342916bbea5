#!/usr/bin/env python3
"""The harness's S3 API figures, taken apart (issue 15): which part of a number is the daemon and which the client.

    python3 bench/s3_probe.py [--launcher NAME=bin/heromgr ...] [--reps 3] [--out FILE]

Per rep and per launcher (alternated, so builds are compared under the same load), on a FRESH daemon with one
sleep service (created as the harness does):
  * `harness_p50/p99`: 50 warm-up + 1000 service.status calls with the harness's client (daemon_kit.UnixRpc: json.dumps
    of each request, the answer parsed with json.loads), one kept-alive connection: the harness's S3 latency;
  * `raw_p50/p99`: 1000 more calls with a raw client (a prepared request, the answer's bytes not parsed);
  * `first_1050_daemon_us` / `next_1000_daemon_us`: the daemon's CPU µs per call (utime+stime, JIT threads included)
    over those two runs: a fresh daemon's cost against a warmer one's, less at the mercy of the load than wall time;
  * `harness_tput` / `raw_tput`: 4 client processes for 5 s with each client (the harness's throughput, and
    bench/status_bench.py's), with the daemon's CPU seconds (utime+stime) per 1000 calls and the clients';
  * `client_us`: CPU microseconds one harness-client call costs in Python with no daemon (the request built, an
    answer of the same bytes parsed): what 4 clients on 2 cores take from the daemon.
"""
import json
import multiprocessing
import os
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_kit import Daemon, UnixRpc, cpu_s, launcher_args, launchers, new_token  # noqa: E402


class RawClient:
    def __init__(self, path, name):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "service.status", "params": {"name": name}}).encode()
        self.req = b"POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
            len(body), body)
        self.buf = b""

    def status(self, name):
        self.s.sendall(self.req)
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.s.recv(65536)
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        i = head.lower().index(b"content-length:") + 15
        length = int(head[i:head.index(b"\r\n", i) if b"\r\n" in head[i:] else len(head)])
        while len(rest) < length:
            rest += self.s.recv(65536)
        self.buf = rest[length:]
        self.head = head  # the last answer's head, for a probe that replays the whole answer (s3_floor.py)
        return rest[:length]

    def close(self):
        self.s.close()


def latency(client, name, n, warmup):
    for _ in range(warmup):
        client.status(name)
    out = []
    pc = time.perf_counter
    for _ in range(n):
        t = pc()
        client.status(name)
        out.append(pc() - t)
    out.sort()
    return out[len(out) // 2] * 1000, out[int(len(out) * 0.99)] * 1000


def _worker(kind, sock, name, start_at, seconds, q):
    c = UnixRpc(sock) if kind == "harness" else RawClient(sock, name)
    c.status(name)
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    n = 0
    t0 = time.process_time()
    while time.time() < end:
        c.status(name)
        n += 1
    q.put((n, time.process_time() - t0))


def throughput(kind, daemon, name, clients, seconds):
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    start_at = time.time() + 0.5 + 0.1 * clients
    ps = [ctx.Process(target=_worker, args=(kind, daemon.sock, name, start_at, seconds, q)) for _ in range(clients)]
    for p in ps:
        p.start()
    while time.time() < start_at:
        time.sleep(0.001)
    c0 = cpu_s(daemon.proc.pid)
    got = [q.get(timeout=seconds + 60) for _ in ps]
    c1 = cpu_s(daemon.proc.pid)
    for p in ps:
        p.join(10)
    calls = sum(n for n, _ in got)
    return {"cps": calls / seconds, "daemon_cpu_ms_per_1k": (c1 - c0) * 1e6 / max(calls, 1),
            "client_cpu_us_per_call": sum(c for _, c in got) * 1e6 / max(calls, 1)}


def client_cost(answer):
    """CPU µs of one harness-client call without a daemon: the request encoded, the same answer parsed."""
    n = 20000
    t0 = time.process_time()
    for i in range(n):
        body = json.dumps({"jsonrpc": "2.0", "id": i, "method": "service.status", "params": {"name": "crash"}},
                          separators=(",", ":")).encode()
        b"POST /rpc HTTP/1.1\r\nHost: heromgr\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        r = json.loads(answer)["result"]
        next((a["pid"] for a in r["actions"] if a["pid"]), None)
    return (time.process_time() - t0) * 1e6 / n


def one(launcher, name="crash"):
    d = Daemon(launcher=launcher)
    token = new_token()
    try:
        start_s = d.start_with_sleeper(token, name)
        d.rpc.close()
        r = {"start_s": start_s}
        c0 = cpu_s(d.proc.pid)
        r["harness_p50"], r["harness_p99"] = latency(UnixRpc(d.sock), name, 1000, 50)
        c1 = cpu_s(d.proc.pid)
        raw = RawClient(d.sock, name)
        r["raw_p50"], r["raw_p99"] = latency(raw, name, 1000, 0)
        r["first_1050_daemon_us"] = (c1 - c0) * 1e6 / 1050
        r["next_1000_daemon_us"] = (cpu_s(d.proc.pid) - c1) * 1e6 / 1000
        answer = raw.status(name)
        for kind in ("harness", "raw"):
            t = throughput(kind, d, name, 4, 5.0)
            r[kind + "_tput"] = t["cps"]
            r[kind + "_daemon_ms_per_1k"] = t["daemon_cpu_ms_per_1k"]
            r[kind + "_client_us"] = t["client_cpu_us_per_call"]
        r["client_us_alone"] = client_cost(answer)
        r["rss_mib"] = int([line for line in open("/proc/%d/status" % d.proc.pid)
                            if line.startswith("VmRSS")][0].split()[1]) / 1024
        return r
    finally:
        d.close(token)


def main():
    ap = launcher_args()
    ap.add_argument("--out")
    args = ap.parse_args()
    builds = launchers(args.launcher)
    runs = []
    for rep in range(args.reps):
        order = builds if rep % 2 == 0 else builds[::-1]
        for label, path in order:
            load = os.getloadavg()[0]
            r = one(path)
            r.update(build=label, rep=rep, load1=load)
            runs.append(r)
            print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}), flush=True)
    summary = {}
    for label, _ in builds:
        mine = [r for r in runs if r["build"] == label]
        summary[label] = {k: round(statistics.median(r[k] for r in mine), 3) for k in mine[0]
                          if isinstance(mine[0][k], float)}
    print(json.dumps(summary, indent=1))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "runs": runs, "medians": summary}, f, indent=1)


if __name__ == "__main__":
    main()

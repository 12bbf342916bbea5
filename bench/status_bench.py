#!/usr/bin/env python3
"""service.status latency, throughput and CLI wall time against a real heromgr daemon (issue 2's benchmark).

    python3 bench/status_bench.py [--n 5000] [--clients 4] [--seconds 5] [--cli-runs 20] [--out FILE]

Starts `bin/heromgr daemon` on a sandbox home, builds/installs/starts hero_echo through it, then measures
  * p50/p99 of service.status over ONE kept-alive connection (a raw HTTP/1.1 client on AF_UNIX, stdlib only),
  * total calls/s of `--clients` concurrent client processes, each with its own kept-alive connection (after an
    untimed 3 s run of the same clients: the daemon is a long-running JVM, measured warm),
  * the median wall time of `bin/heromgr service status hero_echo` (a new JVM per run),
and tears everything down (daemon SIGTERM stops hero_echo; the sandbox is removed).
"""
import argparse
import json
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEROMGR = os.path.join(ROOT, "bin", "heromgr")


class Client:
    """One kept-alive HTTP/1.1 connection to service.sock; Content-Length answers only (what heromgr sends)."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""

    def call(self, body):
        self.s.sendall(b"POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                       % (len(body), body))
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v)
        while len(rest) < length:
            rest += self._recv()
        self.buf = rest[length:]
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.decode())
        return rest[:length]

    def _recv(self):
        chunk = self.s.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        return chunk


def status_body(name):
    return json.dumps({"jsonrpc": "2.0", "id": 1, "method": "service.status", "params": {"name": name}}).encode()


def worker(sock, name, seconds, queue):
    c = Client(sock)
    body = status_body(name)
    n = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        c.call(body)
        n += 1
    queue.put(n)


def rpc(sock, method, params):
    answer = json.loads(Client(sock).call(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()))
    if "error" in answer:
        raise RuntimeError("%s: %s" % (method, answer["error"]))
    return answer["result"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--cli-runs", type=int, default=20)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "status-%s.json" % time.strftime("%Y%m%d-%H%M%S")))
    args = ap.parse_args()

    home = tempfile.mkdtemp(prefix="heromgr-bench-")
    sock = os.path.join(home, "var/sockets/heromgr/service.sock")
    env = dict(os.environ, HEROMGR_SOCKET=sock)
    daemon = subprocess.Popen([HEROMGR, "daemon", "--home", home, "--stop-services-on-exit"], stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(home, "daemon.err"), "wb"), start_new_session=True)
    try:
        t0 = time.monotonic()
        while True:
            if daemon.poll() is not None:
                sys.exit("daemon exited: " + open(os.path.join(home, "daemon.err")).read())
            try:
                rpc(sock, "service.list", {})
                break
            except OSError:
                if time.monotonic() - t0 > 60:
                    sys.exit("daemon did not answer within 60 s")
                time.sleep(0.01)
        daemon_start_s = time.monotonic() - t0
        for method, params in [("service.build", {"name": "hero_echo"}), ("service.install", {"name": "hero_echo"}),
                               ("service.start", {"name": "hero_echo"})]:
            rpc(sock, method, params)

        c = Client(sock)
        body = status_body("hero_echo")
        for _ in range(5000):
            c.call(body)
        lat = []
        for _ in range(args.n):
            t = time.perf_counter()
            c.call(body)
            lat.append(time.perf_counter() - t)
        lat.sort()

        def concurrent(seconds):
            q = multiprocessing.Queue()
            procs = [multiprocessing.Process(target=worker, args=(sock, "hero_echo", seconds, q)) for _ in range(args.clients)]
            for p in procs:
                p.start()
            n = sum(q.get() for _ in procs)
            for p in procs:
                p.join()
            return n

        # the concurrent path warms up separately (other connections, other threads): an untimed run first
        concurrent(3.0)
        total = concurrent(args.seconds)

        cli = []
        for _ in range(args.cli_runs):
            t = time.perf_counter()
            r = subprocess.run([HEROMGR, "service", "status", "hero_echo"], env=env, stdout=subprocess.DEVNULL)
            cli.append(time.perf_counter() - t)
            if r.returncode != 0:
                raise RuntimeError("CLI exit %d" % r.returncode)

        rss_kib = int([l for l in open("/proc/%d/status" % daemon.pid) if l.startswith("VmRSS")][0].split()[1])
        result = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "machine": {"cores": os.cpu_count()},
            "daemon_start_s": round(daemon_start_s, 3),
            "status_p50_ms": round(lat[len(lat) // 2] * 1000, 4),
            "status_p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 4),
            "status_calls": args.n,
            "throughput_cps": round(total / args.seconds),
            "throughput_clients": args.clients,
            "cli_status_median_ms": round(statistics.median(cli) * 1000, 1),
            "cli_status_min_ms": round(min(cli) * 1000, 1),
            "cli_runs": args.cli_runs,
            "cli_aot_cache": os.path.exists(os.path.join(ROOT, "target", "heromgr.aot")),
            "daemon_rss_mib": round(rss_kib / 1024, 1),
        }
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
        for k, v in result.items():
            print("%-22s %s" % (k, v))
        print("written to", args.out)
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(daemon.pid, signal.SIGKILL)
                daemon.wait(10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The floor under the harness's S3 figures on this machine (issue 15): the same client against servers that do less.

    python3 bench/s3_floor.py [--launcher NAME=bin/heromgr ...] [--kills 20] [--reps 3] [--warm 10000] [--out FILE]

Per rep, against each of (order alternated between reps):
  * each launcher (`heromgr` by default: this checkout's bin/heromgr): its daemon with one sleep service, killed
    --kills times first (the harness's S3 comes after S2, whose kills leave the service a history of 20 jobs in every
    status answer), measured as the harness meets it (`NAME_fresh`: the first 50 + 1000 calls after the kills), then
    again after --warm more calls (`NAME_warm`);
  * `jetty`: bench/S3JettyFloorServer.java with the daemon's JVM flags and jars: Jetty set up as the daemon sets it up,
    one non-blocking handler answering the canned body on the selector thread (no JSON-RPC, no manager);
  * `jetty_conn`: bench/S3JettyConnectionFloorServer.java, the same flags and jars: Jetty's selector and endpoints with a
    connection of its own answering the canned bytes, as the daemon's RpcConnection answers a plain call (no HTTP
    layer, no JSON-RPC, no manager);
  * `java`: bench/S3FloorServer.java with the daemon's JVM flags: the JDK's Unix channels, a thread per connection,
    the canned answer (no HTTP server, no JSON-RPC); measured after the same warm-up;
  * `c`: bench/s3_floor_server.c, one epoll thread writing the canned answer: the client, the kernel, the wake-ups.
The canned answer is the bytes the first launcher's daemon gave for the status call (head and body), so the client
parses the same.
Each is measured with the harness's own client (daemon_kit.UnixRpc; `p50`/`p99` of 1000 calls after 50, one kept-alive
connection; `tput`, 4 client processes for 5 s: s3_probe's throughput), and the latency once more with the client and
every server thread pinned to one CPU (`pinned_p50`): a call then hands over without waking the other vCPU.
"""
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time

from daemon_kit import Daemon, UnixRpc, cpu_s, launcher_args, launchers, new_token, wait_until  # noqa: E402
from s3_probe import RawClient, latency, throughput  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
JARS = os.path.join(os.path.dirname(HERE), "target", "lib", "*")
JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
# bin/heromgr's heap, collector and JIT flags for the daemon: what shapes a call's CPU and pauses
DAEMON_FLAGS = ["-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-Xmn2m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseCompactObjectHeaders", "-XX:CompileCommand=quiet", "-XX:CompileCommand=MemLimit,*.*,4m",
                "-Xlog:disable"]
NAME = "crash"


class Server:
    """A floor server on a socket of its own: what s3_probe's throughput needs (sock, proc)."""

    def __init__(self, argv, sock):
        self.sock = sock
        if os.path.exists(sock):
            os.unlink(sock)  # a previous rep's, killed: no connection must reach it while this server starts
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        if not wait_until(lambda: self._accepts() or self.proc.poll() is not None, 30)[0]:
            raise RuntimeError("%s did not open %s" % (argv[0], sock))
        if self.proc.poll() is not None:
            raise RuntimeError("%s exited rc=%s" % (argv[0], self.proc.returncode))

    def _accepts(self):
        """The socket is bound before it listens: only a connection says it is served."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(self.sock)
            return True
        except OSError:
            return False
        finally:
            s.close()

    def close(self):
        self.proc.kill()
        self.proc.wait(10)


def raw_answer(sock):
    """The whole HTTP answer (head and body) the daemon gives the harness's status call."""
    client = RawClient(sock, NAME)
    try:
        body = client.status(NAME)
        return client.head + b"\r\n\r\n" + body
    finally:
        client.close()


def pinned_latency(server_pid, sock):
    """The harness's latency with this process and every thread of the server on CPU 0; affinities restored after."""
    mine = os.sched_getaffinity(0)
    tids = [int(t) for t in os.listdir("/proc/%d/task" % server_pid)]
    theirs = {t: os.sched_getaffinity(t) for t in tids}
    try:
        for t in tids:
            os.sched_setaffinity(t, {0})
        os.sched_setaffinity(0, {0})
        return latency(UnixRpc(sock), NAME, 1000, 50)
    finally:
        os.sched_setaffinity(0, mine)
        for t, cpus in theirs.items():
            try:
                os.sched_setaffinity(t, cpus)
            except OSError:
                pass


def measure(server, warm):
    r = {}
    if warm:
        c = UnixRpc(server.sock)
        for _ in range(warm):
            c.status(NAME)
        c.close()
    c0 = cpu_s(server.proc.pid)
    r["p50"], r["p99"] = latency(UnixRpc(server.sock), NAME, 1000, 50)
    r["server_us_per_call"] = (cpu_s(server.proc.pid) - c0) * 1e6 / 1050
    t = throughput("harness", server, NAME, 4, 5.0)
    r["tput"], r["tput_client_us"], r["tput_server_us"] = (
        t["cps"], t["client_cpu_us_per_call"], t["daemon_cpu_ms_per_1k"])
    r["pinned_p50"], r["pinned_p99"] = pinned_latency(server.proc.pid, server.sock)
    return r


def kill_repeatedly(rpc, kills):
    """SIGKILL the service's process kills times, each time waiting for its restart, as the harness's S2 does."""
    for _ in range(kills):
        pid = rpc.status(NAME)[1]
        os.kill(pid, signal.SIGKILL)
        if not wait_until(lambda: rpc.status(NAME)[1] not in (None, pid), 10)[0]:
            raise RuntimeError("%s was not restarted within 10 s" % NAME)


def one_daemon(label, launcher, args, answer_file, out):
    d = Daemon(launcher=launcher)
    token = new_token()
    try:
        d.start_with_sleeper(token, NAME)
        kill_repeatedly(d.rpc, args.kills)
        d.rpc.close()
        c0 = cpu_s(d.proc.pid)
        p50, p99 = latency(UnixRpc(d.sock), NAME, 1000, 50)
        out[label + "_fresh"] = {"p50": p50, "p99": p99, "server_us_per_call": (cpu_s(d.proc.pid) - c0) * 1e6 / 1050}
        answer = raw_answer(d.sock)
        if not os.path.exists(answer_file):
            with open(answer_file, "wb") as f:
                f.write(answer)
        out[label + "_warm"] = measure(d, args.warm)
        out[label + "_warm"]["answer_bytes"] = len(answer)
    finally:
        d.close(token)


def quiet_logging(tmp):
    """Jetty logs through slf4j, and logback without a file logs everything at DEBUG: warnings only, as the daemon."""
    path = os.path.join(tmp, "logback.xml")
    with open(path, "w") as f:
        f.write('<configuration><root level="WARN"/></configuration>\n')
    return "-Dlogback.configurationFile=" + path


def one_rep(order, args, answer_file, c_binary, tmp):
    out = {}
    for kind, launcher in order:
        if launcher:
            one_daemon(kind, launcher, args, answer_file, out)
        else:
            sock = os.path.join(tmp, kind + ".sock")
            argv = {"c": [c_binary, sock, answer_file],
                    "java": [JAVA] + DAEMON_FLAGS + [os.path.join(HERE, "S3FloorServer.java"), sock, answer_file],
                    "jetty": [JAVA, "-cp", JARS, quiet_logging(tmp)] + DAEMON_FLAGS + [
                        os.path.join(HERE, "S3JettyFloorServer.java"), sock, answer_file],
                    "jetty_conn": [JAVA, "-cp", JARS, quiet_logging(tmp)] + DAEMON_FLAGS + [
                        os.path.join(HERE, "S3JettyConnectionFloorServer.java"), sock, answer_file]}[kind]
            s = Server(argv, sock)
            try:
                out[kind] = measure(s, args.warm)
            except OSError as e:
                raise RuntimeError("%s (exit status %s): %s" % (kind, s.proc.poll(), e)) from e
            finally:
                s.close()
    return out


def main():
    ap = launcher_args()
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--warm", type=int, default=10000)
    ap.add_argument("--out")
    args = ap.parse_args()
    builds = launchers(args.launcher)
    tmp = tempfile.mkdtemp(prefix="s3-floor-")
    try:
        c_binary = os.path.join(tmp, "s3_floor_server")
        subprocess.run(["cc", "-O2", "-o", c_binary, os.path.join(HERE, "s3_floor_server.c")], check=True)
        answer_file = os.path.join(tmp, "answer.http")
        runs = []
        for rep in range(args.reps):
            # a daemon first in every rep: the first one's answer is what the floor servers send
            daemons = builds if rep % 2 == 0 else builds[::-1]
            floors = [("jetty", None), ("jetty_conn", None), ("java", None), ("c", None)]
            floors = floors if rep % 2 == 0 else floors[::-1]
            load = os.getloadavg()[0]
            r = one_rep(daemons + floors, args, answer_file, c_binary, tmp)
            r["rep"], r["load1"] = rep, load
            runs.append(r)
            print(json.dumps(r, default=lambda v: round(v, 3)), flush=True)
        medians = {}
        kinds = [label + phase for label, _ in builds for phase in ("_fresh", "_warm")] + ["jetty", "java", "c"]
        for kind in kinds:
            medians[kind] = {k: round(statistics.median(r[kind][k] for r in runs), 3) for k in runs[0][kind]}
        print(json.dumps(medians, indent=1))
        if args.out:
            with open(args.out, "w") as f:
                json.dump({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "runs": runs, "medians": medians}, f,
                          indent=1, default=lambda v: round(v, 4))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

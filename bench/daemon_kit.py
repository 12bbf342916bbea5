"""What heromgr's own benchmarks share (stdlib only): a JSON-RPC client on the daemon's Unix socket, a daemon
started on a sandbox home, and /proc look-ups by pid.

The shared harness's adapter (heromgr_adapter.py) uses the same client; the benchmarks in this folder use all of it.
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(REPO, "bin", "heromgr")
SLEEP = "/bin/sleep"


class RpcError(RuntimeError):
    def __init__(self, error):
        super().__init__("%s (code %s)" % (error.get("message"), error.get("code")))
        self.error = error


class UnixRpc:
    """One persistent HTTP/1.1 connection to the daemon's socket, JSON-RPC 2.0 over POST /rpc."""

    def __init__(self, path, timeout=300):
        self.path = path
        self.timeout = timeout
        self.sock = None
        self.buf = b""
        self.next_id = 0

    def _connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.path)
        self.sock, self.buf = s, b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def post(self, payload):
        """POST one JSON body and return the decoded answer (None for 204). Reconnects once if the daemon
        closed an idle connection."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        req = (b"POST /rpc HTTP/1.1\r\nHost: heromgr\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\n\r\n" % len(body)) + body
        for attempt in (0, 1):
            if self.sock is None:
                self._connect()
            try:
                self.sock.sendall(req)
                return self._read_response()
            except (ConnectionError, BrokenPipeError, EOFError):
                self.close()
                if attempt:
                    raise
        return None

    def _read_until(self, marker):
        while marker not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("daemon closed the connection")
            self.buf += chunk
        head, self.buf = self.buf.split(marker, 1)
        return head

    def _read_exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise EOFError("daemon closed the connection")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _read_response(self):
        head = self._read_until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = self._read_exact(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self._read_until(b"\r\n").split(b";")[0], 16)
                if size == 0:
                    self._read_until(b"\r\n")
                    break
                body += self._read_exact(size)
                self._read_exact(2)
        else:
            body = b""
        if headers.get("connection", "").lower() == "close":
            self.close()
        if status == 204 or not body:
            return None
        if status != 200:
            raise RuntimeError("HTTP %d: %s" % (status, body[:300]))
        return json.loads(body)

    def call(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        answer = self.post(msg)
        if "error" in answer:
            raise RpcError(answer["error"])
        return answer["result"]

    def batch(self, method, params_list):
        """One request holding one call per params; returns the results in order, raising on the first error."""
        if not params_list:
            return []
        calls = [{"jsonrpc": "2.0", "id": i, "method": method, "params": p} for i, p in enumerate(params_list)]
        answers = sorted(self.post(calls), key=lambda a: a["id"])
        errors = [a["error"] for a in answers if "error" in a]
        if errors:
            raise RuntimeError("%s: %d of %d calls failed, first: %s" % (method, len(errors), len(calls), errors[0]))
        return [a["result"] for a in answers]

    def status(self, name):
        r = self.call("service.status", {"name": name})
        pid = next((a["pid"] for a in r["actions"] if a["pid"]), None)
        return r["state"], pid


def transient(name, argv, restart="always", stable_ms=0, start_limit=0, initial_delay_ms=None):
    """service.create params; the defaults are the harness's: every exit restarted at once, no crash-loop limit."""
    tuning = {"stable_ms": stable_ms, "start_limit": start_limit}
    if initial_delay_ms is not None:
        tuning["initial_delay_ms"] = initial_delay_ms
    return {"name": name, "argv": list(argv), "restart": restart, "restart_tuning": tuning}


def sleepers(n, token, prefix="s"):
    """n sleep services whose argv carries token, so their processes can be counted in /proc."""
    return [transient("%s%d" % (prefix, i), [SLEEP, "100000.%s" % token]) for i in range(n)]


def launcher_args():
    """The arguments of a probe that compares builds: --launcher NAME=path (repeatable) and --reps."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--launcher", action="append", default=[], help="NAME=path/to/bin/heromgr (repeatable)")
    ap.add_argument("--reps", type=int, default=3)
    return ap


def launchers(args):
    """--launcher NAME=path values as (name, path) pairs; this checkout's bin/heromgr when none is given."""
    return [tuple(x.split("=", 1)) for x in args] or [("heromgr", LAUNCHER)]


def new_token():
    return "%06d" % (int.from_bytes(os.urandom(3), "big") % 1000000)


class Daemon:
    """`bin/heromgr daemon` on a home of its own under a temp dir; the sandbox is removed by close()."""

    def __init__(self, java_opts=None, launcher=LAUNCHER):
        self.launcher = launcher
        self.tmp = tempfile.mkdtemp(prefix="heromgr-bench-")
        self.home = os.path.join(self.tmp, "home")
        self.sock = os.path.join(self.home, "var", "sockets", "heromgr", "service.sock")
        self.env = dict(os.environ, HEROMGR_SOCKET=self.sock)
        self.env.pop("HERO_HOME", None)
        self.env.pop("HERO_SOCKET_DIR", None)
        if java_opts:
            self.env["HEROMGR_JAVA_OPTS"] = java_opts
        self.proc = None
        self.rpc = UnixRpc(self.sock)
        self.starts = 0
        self.spawned_at = None

    def start(self, timeout=60):
        """Spawns the daemon and waits for its first answer to service.list; returns the seconds from spawn."""
        os.makedirs(self.home, exist_ok=True)
        self.rpc.close()
        self.starts += 1
        t0 = self.spawned_at = time.perf_counter()
        self.proc = subprocess.Popen(
            [self.launcher, "daemon", "--home", self.home], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.tmp, "daemon-%d.stderr" % self.starts), "wb"),
            env=self.env, start_new_session=True)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("daemon exited rc=%s: %s" % (self.proc.returncode, self.stderr_tail()))
            if os.path.exists(self.sock):
                try:
                    self.rpc.call("service.list")
                    return time.perf_counter() - t0
                except (OSError, EOFError):
                    self.rpc.close()
            time.sleep(0.002)
        raise RuntimeError("daemon did not answer within %d s: %s" % (timeout, self.stderr_tail()))

    def start_with_sleeper(self, token, name="crash"):
        """start(), then one sleep service created as the harness's S3 does, waited for until it runs; returns start()'s
        seconds."""
        start_s = self.start()
        self.rpc.batch("service.create", [transient(name, [SLEEP, "100001.%s" % token])])
        end = time.monotonic() + 30
        while not self.rpc.status(name)[1] and time.monotonic() < end:
            time.sleep(0.01)
        return start_s

    def stderr_tail(self):
        try:
            with open(os.path.join(self.tmp, "daemon-%d.stderr" % self.starts), "rb") as f:
                return f.read()[-2000:].decode(errors="replace")
        except OSError:
            return ""

    def kill9(self):
        self.rpc.close()
        self.proc.kill()
        self.proc.wait(10)

    def rss_kib(self):
        return rss_kib(self.proc.pid)

    def close(self, token=None):
        """Deletes every service, stops the daemon, SIGKILLs any process still carrying token, removes the sandbox."""
        try:
            if self.proc and self.proc.poll() is None:
                try:
                    names = [s["name"] for s in self.rpc.call("service.list")]
                    self.rpc.batch("service.delete", [{"name": n} for n in names])
                except Exception:  # noqa: the daemon may be wedged; the kills below still run
                    pass
                self.rpc.close()
                terminate(self.proc)
        finally:
            if token:
                kill_pids(pids_with_token(token))
            remove_cgroups(self.home)
            shutil.rmtree(self.tmp, ignore_errors=True)


def remove_cgroups(home, bound_s=10):
    """The cgroup directory of every daemon whose state lay under home, with its empty leaves: a daemon killed by SIGKILL
    (kill9, a bench's kill) leaves it in the machine's cgroup tree for good, and the next daemons' starts try to tidy
    every such directory (ControlGroups.removeAbandoned). Named as ControlGroups.directoryName names it."""
    parent = own_cgroup_dir()
    if parent is None:
        return
    for root, _, files in os.walk(home):
        if "runtime.json" not in files:
            continue
        owner = os.path.normpath(os.path.abspath(os.path.join(root, "runtime.json")))
        d = os.path.join(parent, "heromgr-" + hashlib.sha256(owner.encode()).hexdigest()[:12])
        end = time.monotonic() + bound_s
        while os.path.isdir(d) and time.monotonic() < end:
            for leaf in os.listdir(d):
                if os.path.isdir(os.path.join(d, leaf)):
                    try:
                        os.rmdir(os.path.join(d, leaf))
                    except OSError:
                        pass  # killed processes still leaving it
            try:
                os.rmdir(d)
            except OSError:
                time.sleep(0.05)


def own_cgroup_dir():
    """This process's cgroup v2 directory (a daemon makes its own under the one it was started in), or None."""
    try:
        with open("/proc/self/cgroup") as f:
            own = next((l[3:].strip() for l in f if l.startswith("0::")), None)
        with open("/proc/self/mountinfo") as f:
            for line in f:
                head, _, tail = line.partition(" - ")
                if tail.startswith("cgroup2 ") and own is not None:
                    fields = head.split()
                    root, mount = fields[3], fields[4]
                    if own == root or own.startswith(root.rstrip("/") + "/"):
                        return os.path.join(mount, own[len(root):].lstrip("/"))
    except OSError:
        pass
    return None


def terminate(proc):
    """SIGTERM to a daemon we spawned, SIGKILL if it is still there 30 s later; waits until it is gone."""
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def cpu_s(pid):
    """The process's CPU seconds so far (utime + stime of /proc/<pid>/stat, every thread)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(next(line for line in f if line.startswith("VmRSS")).split()[1])


def pids_with_token(token):
    """Live (non-zombie) processes whose argv holds token."""
    out = []
    needle = token.encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read()
            with open("/proc/%s/stat" % d, "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in argv and state not in (b"Z", b"X"):
            out.append(int(d))
    return sorted(out)


def kill_pids(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_until(pred, timeout, interval=0.002):
    """Polls pred until it returns something truthy; returns (value, seconds) or (None, None) after timeout."""
    t0 = time.perf_counter()
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v, time.perf_counter() - t0
        time.sleep(interval)
    return None, None


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def write_result(path, result):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(result, f, indent=2)
    for k, v in result.items():
        print("%-28s %s" % (k, v))
    print("written to", path)

"""heromgr adapter for the shared benchmark harness (../shared/bench).

    python3 ../shared/bench/run.py --adapter heromgr=bench/heromgr_adapter.py:HeromgrAdapter --peers heromgr --quick

The daemon runs as `bin/heromgr daemon --home <tmp>/home`; every service is a transient one
(service.create), registered and started by ONE JSON-RPC batch over the daemon's Unix socket.
Python stdlib only: raw HTTP/1.1 over AF_UNIX with Content-Length, one keep-alive connection per client.
"""
import json
import os
import signal
import socket
import subprocess
import threading
import time

from adapters.base import Adapter, AdapterError, ServiceSpec  # noqa: F401  (ServiceSpec: the specs given to add_services)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(REPO, "bin", "heromgr")


class RpcError(AdapterError):
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
            raise AdapterError("HTTP %d: %s" % (status, body[:300]))
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
            raise AdapterError("%s: %d of %d calls failed, first: %s" % (method, len(errors), len(calls), errors[0]))
        return [a["result"] for a in answers]

    def status(self, name):
        r = self.call("service.status", {"name": name})
        pid = next((a["pid"] for a in r["actions"] if a["pid"]), None)
        return r["state"], pid


class HeromgrAdapter(Adapter):
    name = "heromgr"
    min_restart_gap = 0.3
    settings = {
        "daemon": "bin/heromgr daemon --home <tmp>/home (JVM flags from the launcher: the daemon profile)",
        "service": "transient service (service.create): restart=always, restart_tuning stable_ms=0 start_limit=0 "
                   "(every exit restarted at once, no crash-loop limit: as pm2 min_uptime=0 max_restarts=1e6 and "
                   "supervisord startsecs=0 are set for this harness), stop SIGTERM then SIGKILL "
                   "after 10 s, stdout+stderr appended by the kernel to <home>/var/log/<name>/main.log, no rotation",
        "add": "ONE JSON-RPC batch of service.create (start=true) over the unix socket",
        "stop_all": "ONE JSON-RPC batch of service.stop",
        "remove_all": "ONE JSON-RPC batch of service.delete",
        "api": "JSON-RPC service.status over HTTP/1.1 on the unix socket, one keep-alive connection per client",
    }
    api_label = "json-rpc service.status"

    def __init__(self, tmp, bench_dir):
        super().__init__(tmp, bench_dir)
        self.home = os.path.join(tmp, "home")
        self.sock = os.path.join(self.home, "var", "sockets", "heromgr", "service.sock")
        self.env["HEROMGR_SOCKET"] = self.sock
        self.env.pop("HERO_HOME", None)
        self.env.pop("HERO_SOCKET_DIR", None)
        self.proc = None
        self.names = []
        # one connection per thread: the harness polls statuses() from its own threads while add_services runs
        self._local = threading.local()

    def version(self):
        return self.sh([LAUNCHER, "version"]).stdout.decode().strip()

    def _client(self):
        rpc = getattr(self._local, "rpc", None)
        if rpc is None:
            rpc = self._local.rpc = UnixRpc(self.sock)
        return rpc

    def _drop_client(self):
        rpc = getattr(self._local, "rpc", None)
        if rpc is not None:
            rpc.close()
            self._local.rpc = None

    def start_daemon(self):
        os.makedirs(self.home, exist_ok=True)
        self.proc = subprocess.Popen(
            [LAUNCHER, "daemon", "--home", self.home],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.tmp, "daemon.stderr"), "wb"),
            env=self.env, start_new_session=True)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AdapterError("heromgr exited rc=%s: %s" % (self.proc.returncode, self._stderr_tail()))
            if os.path.exists(self.sock):
                try:
                    self._client().call("service.list")
                    return
                except (OSError, EOFError, AdapterError):
                    self._drop_client()
            time.sleep(0.002)
        raise AdapterError("heromgr did not come up: " + self._stderr_tail())

    def _stderr_tail(self):
        try:
            with open(os.path.join(self.tmp, "daemon.stderr"), "rb") as f:
                return f.read()[-2000:].decode(errors="replace")
        except OSError:
            return ""

    def daemon_root_pids(self):
        return [self.proc.pid] if self.proc else []

    def add_services(self, specs):
        params = []
        for s in specs:
            p = {"name": s.name, "argv": list(s.argv), "restart": "always",
                 "restart_tuning": {"stable_ms": 0, "start_limit": 0}}
            if s.env:
                p["env"] = dict(s.env)
            params.append(p)
        self._client().batch("service.create", params)
        self.names.extend(s.name for s in specs)

    def statuses(self):
        return {s["name"]: (s["state"], s.get("pid")) for s in self._client().call("service.list")}

    def service_status(self, name):
        return self._client().status(name)

    def stop_all(self):
        self._client().batch("service.stop", [{"name": n} for n in self.names])

    def remove_all(self):
        self._client().batch("service.delete", [{"name": n} for n in self.names])
        self.names = []

    def log_files(self, name):
        """The rotated files (main.log.N … main.log.1, oldest first) and the live main.log: rotation moves the
        live file's front to main.log.1, so together they hold every byte."""
        live = os.path.join(self.home, "var", "log", name, "main.log")
        rotated = []
        while os.path.exists("%s.%d" % (live, len(rotated) + 1)):
            rotated.append("%s.%d" % (live, len(rotated) + 1))
        return rotated[::-1] + [live]

    def status_cli_cmds(self, name):
        return {"heromgr service status NAME": [LAUNCHER, "service", "status", name]}

    def api_client(self):
        return UnixRpc(self.sock)

    def teardown(self):
        """Stops the services through the API first (a daemon that re-adopts services leaves them running
        on exit), then SIGTERM to the daemon, then SIGKILL to any service process still alive, by pid."""
        pids = []
        if self.proc and self.proc.poll() is None:
            try:
                listed = self._client().call("service.list")
                pids = [s["pid"] for s in listed if s.get("pid")]
                self._client().batch("service.stop", [{"name": s["name"]} for s in listed if s.get("pid")])
            except Exception:  # noqa: the daemon may be wedged; the kills below still run
                pass
        self._drop_client()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None
        for pid in pids:
            try:
                os.killpg(pid, signal.SIGKILL)  # services lead their own process group (setsid)
            except (ProcessLookupError, PermissionError):
                pass

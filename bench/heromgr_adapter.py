"""heromgr adapter for the shared benchmark harness (../shared/bench).

    python3 ../shared/bench/run.py --adapter heromgr=bench/heromgr_adapter.py:HeromgrAdapter --peers heromgr --quick

The daemon runs as `bin/heromgr daemon --home <tmp>/home`; every service is a transient one
(service.create), registered and started by ONE JSON-RPC batch over the daemon's Unix socket.
Python stdlib only: raw HTTP/1.1 over AF_UNIX with Content-Length, one keep-alive connection per client.
"""
import importlib.util
import os
import signal
import subprocess
import threading
import time

from adapters.base import Adapter, AdapterError, ServiceSpec  # noqa: F401  (ServiceSpec: the specs given to add_services)


def _own_daemon_kit():
    """This checkout's daemon_kit.py, loaded by path under a name of its own. A plain `import daemon_kit` gave a second
    adapter of another checkout (heromgr_before beside heromgr) the module the first had put in sys.modules, and with
    it the first checkout's LAUNCHER: both peers then ran one build (found in session 11)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon_kit.py")
    spec = importlib.util.spec_from_file_location("daemon_kit_%x" % (hash(path) & 0xffffffff), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_kit = _own_daemon_kit()
LAUNCHER, UnixRpc, terminate, transient = _kit.LAUNCHER, _kit.UnixRpc, _kit.terminate, _kit.transient



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

    def launcher(self):
        """The checkout's bin/heromgr: its JVM is the JDK that JAVA_HOME or the launcher finds."""
        return LAUNCHER

    def version(self):
        return self.sh([self.launcher(), "version"]).stdout.decode().strip()

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
            [self.launcher(), "daemon", "--home", self.home],
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
                except (OSError, EOFError, RuntimeError):
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
            p = transient(s.name, s.argv)
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
        return {"heromgr service status NAME": [self.launcher(), "service", "status", name]}

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
            terminate(self.proc)
        self.proc = None
        for pid in pids:
            try:
                os.killpg(pid, signal.SIGKILL)  # services lead their own process group (setsid)
            except (ProcessLookupError, PermissionError):
                pass


class HeromgrBundleAdapter(HeromgrAdapter):
    """heromgr as the release bundle runs it: target/bundle/heromgr-<version>/bin/heromgr, with the bundle's jlink
    runtime and the AOT caches trained for that runtime (what `heromgr self install` installs). `mvn package` without
    -Dbundle.skip makes it. The checkout's launcher runs the full JDK instead, whose extra modules (jdk.localedata among
    them: Jetty's MimeTypes asks for every locale at start) the bundle leaves out."""
    name = "heromgr_bundle"

    def launcher(self):
        bundles = os.path.join(os.path.dirname(os.path.dirname(LAUNCHER)), "target", "bundle")
        found = sorted(p for p in (os.path.join(bundles, d, "bin", "heromgr") for d in os.listdir(bundles))
                       if os.access(p, os.X_OK)) if os.path.isdir(bundles) else []
        if not found:
            raise AdapterError("no bundle in %s: run mvn package without -Dbundle.skip" % bundles)
        return found[-1]

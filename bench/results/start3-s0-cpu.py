"""S0 as the adapter does it: spawn launcher daemon --home, poll socket, service.list. Paired launchers interleaved.
Prints wall to socket file, wall to first answer, daemon CPU (utime+stime of the java pid) at the answer."""
import os, sys, time, subprocess, shutil, tempfile, signal, statistics
sys.path.insert(0, "/work/wt/start3/bench")
from daemon_kit import UnixRpc
TCK = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    try:
        f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / TCK
    except OSError:
        return float("nan")
def one(launcher, extra_env):
    tmp = tempfile.mkdtemp(prefix="start3-s0-")
    home = os.path.join(tmp, "home"); os.makedirs(home)
    sock = os.path.join(home, "var", "sockets", "heromgr", "service.sock")
    env = dict(os.environ); env["HEROMGR_SOCKET"] = sock; env.pop("HERO_HOME", None); env.update(extra_env)
    t0 = time.monotonic()
    p = subprocess.Popen([launcher, "daemon", "--home", home], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(tmp, "err"), "wb"), env=env, start_new_session=True)
    tsock = None
    while True:
        if p.poll() is not None: raise SystemExit(open(os.path.join(tmp, "err")).read())
        if os.path.exists(sock):
            if tsock is None: tsock = time.monotonic() - t0
            try:
                c = UnixRpc(sock); c.call("service.list"); t = time.monotonic() - t0; c.close(); break
            except (OSError, EOFError, RuntimeError):
                pass
        time.sleep(0.002)
    c = cpu(p.pid)
    os.killpg(p.pid, signal.SIGTERM); p.wait()
    shutil.rmtree(tmp)
    return tsock, t, c
launchers = sys.argv[2:]
n = int(sys.argv[1])
res = {l: [] for l in launchers}
for i in range(n):
    for l in launchers:
        name, _, path = l.partition("=")
        env = {}
        if "|" in path:
            path, opts = path.split("|", 1); env["HEROMGR_JAVA_OPTS"] = opts
        res[l].append(one(path, env))
for l, r in res.items():
    print("%-40s sock %.3f  answer %.3f  cpu %.3f   answers %s" % (l[:40], statistics.median(x[0] for x in r),
          statistics.median(x[1] for x in r), statistics.median(x[2] for x in r), " ".join("%.3f" % x[1] for x in r)))
print(open("/proc/loadavg").read().strip())

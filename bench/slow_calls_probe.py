"""Where in a fresh daemon's run of status calls the slowest ones fall (session 12).

    python3 bench/slow_calls_probe.py [--runs 4]          # HEROMGR_JAVA_OPTS=... to try a JVM flag

Per run: a fresh `bin/heromgr daemon` on a temp home, one transient sleep service, 50 untimed and 1,000 timed
service.status calls over one connection (as the harness's S3 latency run), then the positions (after the warm-up)
and milliseconds of the 10 slowest calls, i.e. what sets the p99. A cluster at one position in every run is a
one-time event of the daemon's (the ~127th call: method-handle customization); calls spread over the run are not.
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import time

import daemon_kit as k


def one_run():
    tmp = tempfile.mkdtemp(prefix="slow-calls-")
    proc = None
    try:
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        sock = os.path.join(home, "var", "sockets", "heromgr", "service.sock")
        env = dict(os.environ, HEROMGR_SOCKET=sock)
        proc = subprocess.Popen([k.LAUNCHER, "daemon", "--home", home], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        client = k.UnixRpc(sock)
        end = time.monotonic() + 60
        while True:
            try:
                client.call("service.list")
                break
            except (OSError, EOFError, RuntimeError):
                client.close()
                if time.monotonic() > end:
                    raise
                time.sleep(0.002)
        client.batch("service.create", [k.transient("s1", [k.SLEEP, "100000.%d" % os.getpid()])])
        for _ in range(50):
            client.status("s1")
        took = []
        for _ in range(1000):
            t = time.perf_counter()
            client.status("s1")
            took.append((time.perf_counter() - t) * 1000)
        slowest = sorted(sorted(range(len(took)), key=lambda i: -took[i])[:10])
        client.batch("service.stop", [{"name": "s1"}])
        client.close()
        return sorted(took)[len(took) // 2], [(i, took[i]) for i in slowest]
    finally:
        if proc is not None:
            k.terminate(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=4)
    args = ap.parse_args()
    for run in range(args.runs):
        p50, slowest = one_run()
        print("run %d p50 %.3f ms, 10 slowest (position:ms): %s" % (
            run, p50, " ".join("%d:%.2f" % s for s in slowest)), flush=True)


if __name__ == "__main__":
    main()

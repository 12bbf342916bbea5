#!/usr/bin/env python3
"""What a create's files alone cost on this file system: per service a log folder, main.log, main.err.log and a
definition written to a temp file, fsynced, renamed, and the folder fsynced (once per 16, as the group commit does).
16 threads, like the daemon's wave; run on a fresh tree, then again right after deleting the first tree.

    python3 bench/files_floor.py N [FOLDER]     (FOLDER: where the trees are made, /tmp by default)
"""
import os, sys, time, shutil, tempfile, threading
n = int(sys.argv[1]); base = sys.argv[2] if len(sys.argv) > 2 else "/tmp"
def make(root):
    logs, defs = os.path.join(root, "var/log"), os.path.join(root, "var/heromgr/transient")
    os.makedirs(logs); os.makedirs(defs)
    body = b"x" * 345
    def one(i):
        d = os.path.join(logs, "s%d" % i); os.mkdir(d)
        for f in ("main.log", "main.err.log"): os.close(os.open(os.path.join(d, f), os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o644))
        t = os.path.join(defs, ".s%d.json.tmp" % i)
        fd = os.open(t, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600); os.write(fd, body); os.fsync(fd); os.close(fd)
        os.rename(t, os.path.join(defs, "s%d.json" % i))
        if i % 16 == 0:
            fd = os.open(defs, os.O_RDONLY); os.fsync(fd); os.close(fd)
    idx = iter(range(n)); lock = threading.Lock()
    def worker():
        while True:
            with lock:
                i = next(idx, None)
            if i is None: return
            one(i)
    t0 = time.perf_counter(); c0 = os.times()
    ts = [threading.Thread(target=worker) for _ in range(16)]
    [t.start() for t in ts]; [t.join() for t in ts]
    c1 = os.times()
    return time.perf_counter() - t0, (c1.user - c0.user) + (c1.system - c0.system), (c1.system - c0.system)
top = tempfile.mkdtemp(prefix="create3-files-", dir=base)
try:
    w, c, s = make(os.path.join(top, "a"))
    print("n=%d fresh: %.3f s wall, cpu %.2f s (sys %.2f), load %.1f" % (n, w, c, s, os.getloadavg()[0]))
    shutil.rmtree(os.path.join(top, "a"))
    w, c, s = make(os.path.join(top, "b"))
    print("n=%d right after deleting the first tree: %.3f s wall, cpu %.2f s (sys %.2f), load %.1f" % (n, w, c, s, os.getloadavg()[0]))
finally:
    shutil.rmtree(top)

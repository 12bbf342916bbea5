#!/usr/bin/env python3
"""The classes an idle daemon has loaded, and from where: the total and those of a few libraries.

    python3 bench/class_probe.py [--launcher NAME=PATH ...] [--reps 3] [--settle 3] [--out FILE]

Per rep and launcher (interleaved): spawn the daemon with -Xlog:class+load to a file, wait for its first answer and
--settle s more, stop it, count the lines. A class in the AOT cache shows as "shared objects file"; the cache loads
every class it holds at start, so a library the training touched is in every idle daemon.
"""
import os
import re
import statistics
import tempfile
import time

from daemon_kit import Daemon, launcher_args, launchers, write_result

LIBRARIES = ("com.networknt", "org.eclipse.jetty", "com.fasterxml.jackson", "heromgr.")


def one_rep(launcher, settle):
    log = tempfile.mktemp(prefix="heromgr-classes-", suffix=".txt")
    d = Daemon(java_opts="-Xlog:class+load=info:file=%s" % log, launcher=launcher)
    try:
        d.start()
        time.sleep(settle)
    finally:
        d.close()
    with open(log) as f:
        names = [m.group(1) for m in re.finditer(r"\[class,load\] (\S+) source: (.*)", f.read())]
    os.remove(log)
    out = {"total": len(names)}
    out.update({lib: sum(1 for n in names if n.startswith(lib)) for lib in LIBRARIES})
    return out


def main():
    ap = launcher_args()
    ap.add_argument("--settle", type=float, default=3.0)
    ap.add_argument("--out")
    a = ap.parse_args()
    runs = {name: [] for name, _ in launchers(a.launcher)}
    for rep in range(a.reps):
        for name, path in launchers(a.launcher):
            runs[name].append(one_rep(path, a.settle))
            print("%s rep %d load %.1f: %s" % (name, rep, os.getloadavg()[0], runs[name][-1]), flush=True)
    summary = {name: {k: statistics.median(r[k] for r in reps) for k in reps[0]} for name, reps in runs.items()}
    print(summary)
    if a.out:
        write_result(a.out, {"summary": summary, "runs": runs})


if __name__ == "__main__":
    main()

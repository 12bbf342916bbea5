#!/usr/bin/env python3
"""Which methods the daemon's JIT gave up on (issue 15): a compilation that needs more arena than the launcher's
`-XX:CompileCommand=MemLimit` allows is abandoned, and its method stays interpreted for the daemon's whole life,
without a word in any log. Jetty's HTTP parser and generator crossed 2 MiB unnoticed and ran interpreted: a quarter
of a status call's CPU. Run this after a Jetty, Jackson or JDK upgrade, or a change of the launcher's JIT flags.

    python3 bench/jit_limits.py [--launcher NAME=bin/heromgr ...] [--limit 32m] [--top 12]

Per launcher: its daemon with `-XX:CompileCommand=MemStat,*.*,collect` (and `MemLimit,*.*,LIMIT` when --limit is
given: what the abandoned ones would need), driven over the hot paths (a service killed 60 times and restarted,
3,000 service.status calls, a batch of 300 creates, 300 service.list, the 300 stopped and started again); then
`jcmd PID Compiler.memory` lists each compilation's arena peak. Prints the compilations that hit the limit
("oom"), those that failed for another reason ("err": a bailout of the compiler's own, not the arena limit; one in a
JDK lambda-form class, InvokerBytecodeGenerator, came in one CI run of five and not in the others) and the biggest that
did not; exits 1 if any was abandoned at the limit, the one failure this check is for.
"""
import os
import re
import subprocess
import sys

from daemon_kit import Daemon, launcher_args, launchers, new_token, sleepers
from s3_floor import NAME, kill_repeatedly

JCMD = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jcmd")


def drive(d, token):
    d.start_with_sleeper(token, NAME)
    kill_repeatedly(d.rpc, 60)
    for _ in range(3000):
        d.rpc.status(NAME)
    fleet = sleepers(300, token)
    d.rpc.batch("service.create", fleet)
    for _ in range(300):
        d.rpc.call("service.list")
    names = [{"name": s["name"]} for s in fleet]
    d.rpc.batch("service.stop", names)
    d.rpc.batch("service.start", names)


def compilations(pid):
    """(arena peak in bytes, method, result) of every compilation jcmd reports, biggest first."""
    out = subprocess.run([JCMD, str(pid), "Compiler.memory", "verbose"], capture_output=True, text=True,
                         check=True).stdout
    rows = []
    for block in out.split("------------------------"):
        method = re.search(r"Method\s+: (\S+)", block)
        peak = re.search(r"Arena Usage at peak : (\d+)", block)
        result = re.search(r"Result\s+: (.*)", block)
        if method and peak:
            rows.append((int(peak.group(1)), method.group(1), result.group(1).strip() if result else "?"))
    return sorted(rows, reverse=True)


def main():
    ap = launcher_args()
    ap.add_argument("--limit", help="a MemLimit for this run (e.g. 32m): what the abandoned methods would need")
    ap.add_argument("--top", type=int, default=12, help="how many of the biggest compilations to list")
    args = ap.parse_args()
    abandoned = 0
    for label, launcher in launchers(args.launcher):
        opts = "-XX:CompileCommand=MemStat,*.*,collect"
        if args.limit:
            opts += " -XX:CompileCommand=MemLimit,*.*," + args.limit
        d = Daemon(java_opts=opts, launcher=launcher)
        token = new_token()
        try:
            drive(d, token)
            rows = compilations(d.proc.pid)
        finally:
            d.close(token)
        at_limit = [r for r in rows if r[2] == "oom"]
        other = [r for r in rows if r[2] not in ("ok", "oom")]
        abandoned += len(at_limit)
        print("%s: %d abandoned at the limit, %d failed otherwise (of the %d biggest compilations jcmd lists)"
              % (label, len(at_limit), len(other), len(rows)))
        for peak, method, result in at_limit + other + [r for r in rows if r[2] == "ok"][:args.top]:
            print("  %6.2f MiB  %-40s %s" % (peak / 1048576, result, method))
    return 1 if abandoned else 0


if __name__ == "__main__":
    sys.exit(main())

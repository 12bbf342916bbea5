package heromgr.proc.cgroup;

import heromgr.fs.ProgramJar;

import heromgr.proc.SupervisorException;
import heromgr.proc.os.PidFd;
import heromgr.proc.os.Pipe;
import heromgr.proc.os.PosixSpawn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.OptionalLong;

/**
 * Spawns a service born inside its cgroup, through the small native helper {@code heromgr-spawn} (src/main/c, built
 * next to the jar): the helper is posix_spawned like any service and clone3()s the service with
 * CLONE_INTO_CGROUP | CLONE_PARENT, so the service is the daemon's child and a member of its cgroup from its first
 * instruction. The alternative, writing its pid to cgroup.procs after the exec, waits ~11 ms for an RCU grace period
 * here, and a program that daemonizes at once (a shell script's {@code cmd &}) is gone from the tree by then.
 * Without the helper, or on a kernel that refuses the clone, the caller falls back to that move.
 */
final class CgroupSpawn {
    private static final Logger log = LoggerFactory.getLogger(CgroupSpawn.class);
    /** Built by `mvn compile` next to target/classes and target/heromgr.jar; absent when there was no C compiler. */
    private static final Path HELPER = locate();
    /** The kernel refused the clone once (cgroup v1 only, kernel before 5.7), or the helper is gone: the same would follow every time. */
    private static volatile boolean refused;

    private CgroupSpawn() {
    }

    static boolean available() {
        return HELPER != null && !refused;
    }

    /**
     * The service's pid, born in cgroupDir; empty when the helper cannot do it (the caller spawns plainly). An exec
     * failure throws as {@link PosixSpawn#spawn} does.
     */
    static OptionalLong spawn(PosixSpawn.Request r, Path cgroupDir) {
        if (!available()) return OptionalLong.empty();
        int[] pipe = Pipe.open();
        String report;
        try {
            var argv = new ArrayList<String>(r.argv().size() + 3);
            // the helper ignores its argv[0]; the service's makes a failed set-up (log, work dir) name the service
            argv.add(r.argv().getFirst());
            argv.add(cgroupDir.toString());
            argv.add(r.program().toString());
            argv.addAll(r.argv());
            long helper;
            try {
                helper = PosixSpawn.spawn(new PosixSpawn.Request(HELPER, argv, r.env(), r.workDir(), r.logFile(), pipe[1]));
            } catch (SupervisorException e) {
                // the failure names the service's program; when the helper itself is gone (a rebuild, a clean-up),
                // that would blame the program: spawn without the helper from now on instead
                if (Files.isExecutable(HELPER)) throw e;
                refused = true;
                log.warn("{} is gone: services are moved into their cgroup after their exec from now on", HELPER);
                return OptionalLong.empty();
            }
            PidFd.close(pipe[1]);
            pipe[1] = -1;
            report = Pipe.readAll(pipe[0]).strip();
            reap(helper);
        } finally {
            PidFd.close(pipe[0]);
            if (pipe[1] >= 0) PidFd.close(pipe[1]);
        }
        return outcome(report, r);
    }

    /** The helper found and the pipe's native calls linked, as a spawn uses them, without a spawn: for a cold daemon. */
    static void rehearse() {
        Pipe.rehearse();
    }

    private static OptionalLong outcome(String report, PosixSpawn.Request r) {
        if (!report.isEmpty() && report.chars().allMatch(Character::isDigit)) return OptionalLong.of(Long.parseLong(report));
        if (report.startsWith("exec ")) {
            int errno = Integer.parseInt(report.substring(5));
            throw new SupervisorException("cannot start " + r.argv().getFirst() + ": " + PosixSpawn.describe(errno));
        }
        // the leaf is gone (removed by hand, or by a stop racing this start): this spawn goes without the helper
        if (report.startsWith("cgroup ")) return OptionalLong.empty();
        // "clone <errno>", or nothing at all (the helper died): spawn without it from now on
        refused = true;
        log.info("{} cannot clone into a cgroup ({}): services are moved into their cgroup after their exec instead",
                HELPER, report.isEmpty() ? "no answer" : report);
        return OptionalLong.empty();
    }

    private static Path locate() {
        Path helper = ProgramJar.location().map(jar -> jar.resolveSibling("heromgr-spawn")).orElse(null);
        return helper != null && Files.isExecutable(helper) ? helper : null;
    }

    /** The helper is our child and has exited (its end of the pipe is closed): collected at once. */
    private static void reap(long pid) {
        int fd = PidFd.open(pid);
        if (fd < 0) return;
        try {
            PidFd.reap(fd);
        } finally {
            PidFd.close(fd);
        }
    }
}

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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Spawns a service born inside its cgroup, through the small native helper {@code heromgr-spawn} (src/main/c, built
 * next to the jar), which clone3()s the service with CLONE_INTO_CGROUP | CLONE_PARENT, so the service is the daemon's
 * child and a member of its cgroup from its first instruction. The helper runs as a spawn server started once
 * ({@link SpawnServer}); when that cannot be reached, one helper is posix_spawned for the spawn, as a service would be. The alternative, writing its pid to cgroup.procs after the exec, waits ~11 ms for an RCU grace period
 * here, and a program that daemonizes at once (a shell script's {@code cmd &}) is gone from the tree by then.
 * Without the helper, or on a kernel that refuses the clone, the caller falls back to that move.
 */
final class CgroupSpawn {
    private static final Logger log = LoggerFactory.getLogger(CgroupSpawn.class);
    /** Built by `mvn compile` next to target/classes and target/heromgr.jar; absent when there was no C compiler. */
    private static final Path HELPER = locate();
    /** The kernel refused the clone once (cgroup v1 only, kernel before 5.7), or the helper is gone: the same would follow every time. */
    private static volatile boolean refused;
    /** The words of a failed spawn's steps, as heromgr-spawn.c names them; "clone" and "cgroup" are the helper's own. */
    private static final Set<String> CHILD_STEPS = Set.of("exec", "open", "chdir");
    private static final SpawnServerPool SERVERS = new SpawnServerPool(HELPER != null ? HELPER : Path.of("heromgr-spawn"));

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
        Optional<String> served = SERVERS.spawn(r, cgroupDir);
        return served.isPresent() ? outcome(served.get(), r) : spawnThroughOneHelper(r, cgroupDir);
    }

    /** The pids of the idle spawn servers, the one that served last first. */
    static List<Long> serverPids() {
        return SERVERS.pids();
    }

    private static OptionalLong spawnThroughOneHelper(PosixSpawn.Request r, Path cgroupDir) {
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
            report = Pipe.readLine(pipe[0]);
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

    /**
     * "pid", "cgroup errno", "clone errno", "exec|open|chdir errno pid" (the child's set-up or exec failed), or
     * "exec errno" (the server refused the request before any clone: too large for it): see heromgr-spawn.c.
     */
    private static OptionalLong outcome(String report, PosixSpawn.Request r) {
        if (!report.isEmpty() && report.chars().allMatch(Character::isDigit)) return OptionalLong.of(Long.parseLong(report));
        String[] words = report.split(" ");
        // the leaf is gone (removed by hand, or by a stop racing this start): this spawn goes without the helper
        if (words[0].equals("cgroup")) return OptionalLong.empty();
        if (words.length >= 2 && CHILD_STEPS.contains(words[0])) {
            // this spawn failed, as posix_spawn's would have: the same message; a child that was made is ours to reap.
            // The helper itself works: the next spawn goes through it again
            if (words.length == 3) reap(Long.parseLong(words[2]));
            throw new SupervisorException("cannot start " + r.argv().getFirst() + ": " + PosixSpawn.describe(Integer.parseInt(words[1])));
        }
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

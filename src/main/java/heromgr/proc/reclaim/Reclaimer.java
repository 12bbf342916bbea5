package heromgr.proc.reclaim;

import heromgr.fs.ConfinedHomes;
import heromgr.proc.ActionSpec;
import heromgr.proc.Job;
import heromgr.proc.SupervisorException;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.ProcTable;
import heromgr.proc.os.ProgramPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * hero_proc's "kill_other": before an action starts, frees the Unix sockets and TCP ports it declares.
 * A socket file nobody listens on is removed. A live holder is killed (SIGTERM to its group, SIGKILL after a
 * grace period) only when it is verifiably a stale instance of this action: it runs the action's own binary
 * (or script) or one of the service's known binaries, or it is (or is in the group of) a pid the supervisor
 * started for this action. Anything else is left alone and the start fails naming the holder: killing a stranger that
 * happens to sit on a port is worse than not starting.
 */
public final class Reclaimer {
    private static final Logger log = LoggerFactory.getLogger(Reclaimer.class);
    private static final Duration TERM_GRACE = Duration.ofSeconds(3);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * /proc's start times have a resolution of one clock tick, and boot time (btime) of one second; a job's start
     * and end are taken around the spawn and the reaping. A recycled pid starts after its job ended, by far more.
     */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

    private final Set<Path> ownBinaries;

    /** @param ownBinaries executables that count as this service's own whatever the action runs (e.g. its other binaries) */
    public Reclaimer(Set<Path> ownBinaries) {
        var real = new HashSet<Path>();
        for (Path p : ownBinaries) real.add(realPath(p));
        this.ownBinaries = Set.copyOf(real);
    }

    public static Reclaimer standard() {
        return new Reclaimer(Set.of());
    }

    /** Frees everything the spec declares, or throws naming what is held by whom. */
    public void reclaim(String service, ActionSpec spec) {
        reclaim(service, spec, List.of());
    }

    /**
     * @param ownRuns the action's job history, in memory and as persisted across daemon restarts: a holder that is
     *                one of those runs, or a member of such a run's process group, is a stale instance
     */
    public void reclaim(String service, ActionSpec spec, List<Job> ownRuns) {
        if (spec.reclaim().isEmpty()) return;
        try {
            for (Path socket : spec.reclaim().unixSockets()) {
                reclaimSocket(service, spec, spec.workDir().resolve(socket).normalize(), ownRuns);
            }
            for (int port : spec.reclaim().tcpPorts()) {
                Set<Long> inodes = SocketTable.tcpListenInodes(port);
                if (!inodes.isEmpty()) evict(service, spec, "TCP port " + port, inodes, ownRuns);
            }
        } catch (IOException e) {
            throw new SupervisorException("action " + spec.name() + ": cannot reclaim its sockets: " + e.getMessage(), e);
        }
    }

    private void reclaimSocket(String service, ActionSpec spec, Path socket, List<Job> ownRuns) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return;
        if (!SocketHolders.isSocketFile(socket)) {
            throw new SupervisorException("action " + spec.name() + ": " + socket + " exists and is not a socket; refusing to remove it");
        }
        if (answers(socket)) {
            evict(service, spec, socket.toString(), SocketTable.unixInodes(socket), ownRuns);
            // a killed server leaves its socket file behind; one that still answers has a holder we could not see
            if (answers(socket)) {
                throw new SupervisorException("action " + spec.name() + ": " + socket + " still accepts connections after its holders exited");
            }
        }
        ConfinedHomes.refuseLinks(socket.getParent()); // a linked socket folder would have us remove a file elsewhere
        if (Files.deleteIfExists(socket)) log.info("{}/{}: removed stale socket {}", service, spec.name(), socket);
    }

    /**
     * Whether something accepts connections on the socket; ECONNREFUSED means the file is stale. A Unix connect
     * blocks while the listener's backlog is full (a hung holder), so a watchdog closes it: that counts as alive.
     */
    private static boolean answers(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            var fired = new AtomicBoolean();
            var watchdog = CompletableFuture.runAsync(() -> {
                fired.set(true);
                closeQuietly(ch);
            },
                    CompletableFuture.delayedExecutor(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, Runnable::run));
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return true;
            } catch (ConnectException | NoSuchFileException e) {
                return false;
            } catch (IOException e) {
                if (fired.get()) return true;
                throw e;
            } finally {
                watchdog.cancel(false);
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing is all we want
        }
    }

    private void evict(String service, ActionSpec spec, String what, Set<Long> inodes, List<Job> ownRuns) {
        List<Long> holders = SocketTable.holders(inodes);
        if (holders.isEmpty()) {
            throw new SupervisorException("action " + spec.name() + ": " + what
                    + " is in use by a process heromgr cannot see (another user's, or in another namespace); refusing to start");
        }
        for (long pid : holders) verify(service, spec, what, pid, ownRuns);
        for (long pid : holders) terminate(service, spec, what, pid);
    }

    private void verify(String service, ActionSpec spec, String what, long pid, List<Job> ownRuns) {
        String cmdline = describe(pid);
        if (pid == ProcessHandle.current().pid()) {
            throw new SupervisorException("action " + spec.name() + ": " + what + " is held by heromgr itself (pid " + pid + ")");
        }
        if (fromOwnRun(pid, ownRuns)) return;
        Path exe = ProcTable.executable(pid);
        Path own = ownExecutable(spec);
        if (exe != null && ownBinaries.contains(exe)) return;
        // an action run by its interpreter (python3 serve.py) has the interpreter's exe, as every python3 program
        // has: then the holder is ours only when it runs that script too
        Path script = scriptOf(spec);
        if (exe != null && exe.equals(own) && (script == null || runsScript(pid, script, spec.workDir()))) return;
        if (own != null && runsScript(pid, own, spec.workDir())) return;
        throw new SupervisorException("action " + spec.name() + ": " + what + " is held by pid " + pid + " (" + cmdline
                + "), which is not a " + service + " process; refusing to kill it");
    }

    /**
     * Whether pid is one of the runs, or in the process group one of them led, and started while that run was alive.
     * The start time is what keeps a recycled pid (or group id) from passing for ours: it started after the run ended.
     */
    static boolean fromOwnRun(long pid, List<Job> runs) {
        if (runs.isEmpty()) return false;
        Instant started = ProcTable.startedAt(pid).orElse(null);
        if (started == null) return false;
        long group = PosixSignals.groupOf(pid);
        for (Job run : runs) {
            if (run.pid() != pid && run.pid() != group) continue;
            Instant end = run.end() == null ? Instant.now() : run.end();
            if (!started.isBefore(run.start().minus(CLOCK_SLACK)) && !started.isAfter(end.plus(CLOCK_SLACK))) return true;
        }
        return false;
    }

    /**
     * A script's process executes its interpreter; the kernel puts the script's path right after the
     * interpreter and its one optional shebang argument, so it is found among the first three arguments (a relative
     * one taken from the action's working directory, where an earlier run of it ran).
     */
    private static boolean runsScript(long pid, Path script, Path workDir) {
        List<String> args = ProcTable.arguments(pid);
        for (int i = 1; i < Math.min(3, args.size()); i++) {
            if (realPath(workDir.resolve(args.get(i))).equals(script)) return true;
        }
        return false;
    }

    /** The file the action's first argument names (its script, when argv[0] is an interpreter); null when it names none. */
    private static Path scriptOf(ActionSpec spec) {
        if (spec.argv().size() < 2) return null;
        Path first = spec.workDir().resolve(spec.argv().get(1));
        return Files.isRegularFile(first) ? realPath(first) : null;
    }

    private static Path ownExecutable(ActionSpec spec) {
        try {
            return realPath(ProgramPath.resolve(spec));
        } catch (SupervisorException e) {
            return null; // the spawn right after reports the missing binary
        }
    }

    private static String describe(long pid) {
        return SocketHolders.describe(pid);
    }

    private static void terminate(String service, ActionSpec spec, String what, long pid) {
        log.warn("{}/{}: {} is held by pid {} ({}), a stale instance: stopping it", service, spec.name(), what, pid, describe(pid));
        signal(pid, SIGTERM);
        if (awaitGone(pid, TERM_GRACE)) return;
        log.warn("{}/{}: pid {} still running {} ms after SIGTERM, sending SIGKILL", service, spec.name(), pid, TERM_GRACE.toMillis());
        signal(pid, SIGKILL);
        if (!awaitGone(pid, KILL_GRACE)) {
            throw new SupervisorException("action " + spec.name() + ": pid " + pid + " holding " + what + " did not exit after SIGKILL");
        }
    }

    /** To its whole group when it leads one (its helpers hold the socket too), else to the pid alone. */
    private static void signal(long pid, int sig) {
        try {
            if (PosixSignals.groupOf(pid) == pid && PosixSignals.killGroup(pid, sig)) return;
        } catch (IllegalArgumentException e) {
            // the daemon's own group: only the pid may be signalled
        }
        PosixSignals.kill(pid, sig);
    }

    /** Polls: the holder is not our child, so there is no handle to wait on. */
    private static boolean awaitGone(long pid, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (ProcTable.running(pid)) {
            if (System.nanoTime() >= deadline) return false;
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return true;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}

package heromgr.proc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an action spec into a running process that leads its own session and process group
 * (pgid == pid), so the whole tree it forks can be signalled at once.
 */
final class Spawner {
    /** setsid(1) execs in place when its caller is not a group leader, which a JVM child never is: the pid survives. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** util-linux wrappers that, like setsid, change one thing about themselves and exec in place (same pid). */
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    private static final File DEV_NULL = new File("/dev/null");
    private static final Duration GROUP_WAIT = Duration.ofSeconds(2);

    private Spawner() {
    }

    /**
     * Fails with a message naming the action when the spec cannot run. Must be called before spawning:
     * once setsid runs, a missing binary only shows up as setsid's own exit code in the log.
     */
    static void check(ActionSpec spec) {
        if (!Files.isDirectory(spec.workDir())) {
            throw new SupervisorException("action " + spec.name() + ": working directory " + spec.workDir() + " does not exist");
        }
        resolveExecutable(spec);
        RunAs.of(spec);
    }

    static Process spawn(ActionSpec spec) {
        check(spec);
        var command = new ArrayList<String>(spec.argv().size() + 6);
        command.add(SETSID.toString());
        // prlimit before setpriv: only while still root can a hard limit be raised above the daemon's own
        if (!spec.limits().inherits()) {
            command.addAll(List.of(PRLIMIT.toString(), "--nofile=" + spec.limits().openFiles() + ":" + spec.limits().openFiles()));
        }
        RunAs.of(spec).ifPresent(runAs -> {
            command.add(SETPRIV.toString());
            command.addAll(runAs.setprivArgs());
        });
        command.addAll(spec.argv());
        var pb = new ProcessBuilder(command)
                .directory(spec.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        pb.environment().putAll(spec.env());
        try {
            Path parent = spec.logFile().toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Process p = pb.start();
            awaitOwnGroup(p);
            return p;
        } catch (IOException e) {
            throw new SupervisorException("action " + spec.name() + ": cannot start " + spec.argv().getFirst() + ": " + e.getMessage(), e);
        }
    }

    /**
     * pb.start() returns before setsid(2) has run in the child; until it has, kill(-pid) reaches nobody and a
     * stop signal would be lost. setsid runs within microseconds, so this is a short wait, bounded in case
     * the machine stalls (stop then falls back to signalling the pid).
     */
    private static void awaitOwnGroup(Process p) {
        long deadline = System.nanoTime() + GROUP_WAIT.toNanos();
        long pid = p.pid();
        try {
            while (PosixSignals.groupOf(pid) != pid && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The file argv[0] will exec, looked up the way execvp does: relative to the work dir when it has a slash, else on PATH. */
    static Path resolveExecutable(ActionSpec spec) {
        String program = spec.argv().getFirst();
        if (program.isEmpty()) throw new SupervisorException("action " + spec.name() + ": argv[0] is empty");
        if (program.contains("/")) {
            Path file = spec.workDir().resolve(program);
            if (!isExecutableFile(file)) {
                throw new SupervisorException("action " + spec.name() + ": executable " + program + " not found or not executable");
            }
            return file;
        }
        // the child's PATH, since setsid's execvp searches the environment we hand it
        String path = spec.env().getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        for (String dir : path.split(":", -1)) {
            Path file = (dir.isEmpty() ? spec.workDir() : spec.workDir().resolve(dir)).resolve(program);
            if (isExecutableFile(file)) return file;
        }
        throw new SupervisorException("action " + spec.name() + ": executable " + program + " not found on PATH " + path);
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}

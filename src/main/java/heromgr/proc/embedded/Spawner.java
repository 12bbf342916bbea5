package heromgr.proc.embedded;

import heromgr.fs.LogFiles;
import heromgr.proc.ActionSpec;
import heromgr.proc.SupervisorException;
import heromgr.proc.cgroup.Containment;
import heromgr.proc.os.PosixSpawn;
import heromgr.proc.os.ProgramPath;
import heromgr.proc.os.RunAs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an action spec into a running process that leads its own session and process group
 * (pgid == pid), so the whole tree it forks can be signalled at once. The common case is one posix_spawn: the
 * service itself. Run-as and rlimits add util-linux wrappers that change one thing about themselves and exec in
 * place (same pid).
 */
final class Spawner {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

    private Spawner() {
    }

    /** An action found runnable: its program resolved and its user worked out (runAs null: the daemon's own). */
    record Checked(ActionSpec spec, Path program, RunAs runAs) {
    }

    /**
     * Fails with a message naming the action when the spec cannot run. Called before spawning, so the message is
     * ours (and a wrapper's missing program is found too, which would otherwise show up only in the log).
     */
    static Checked check(ActionSpec spec) {
        if (!Files.isDirectory(spec.workDir())) {
            throw new SupervisorException("action " + spec.name() + ": working directory " + spec.workDir() + " does not exist");
        }
        return new Checked(spec, ProgramPath.resolve(spec), RunAs.of(spec).orElse(null));
    }

    /**
     * Makes the action's log folder and file ready, or fails naming them: a failure here would otherwise surface from
     * the spawn as the program's fault. Neither is followed when it is a symbolic link, so a link planted in the
     * log folder cannot send a service's output (written as the daemon's user) somewhere else.
     */
    static void prepareLog(ActionSpec spec) {
        Path file = spec.logFile().toAbsolutePath();
        Path folder = file.getParent();
        String action = "action " + spec.name() + ": ";
        // a first start: the checks below would each throw and catch a NoSuchFileException (three per create)
        if (!Files.exists(folder) && madeNew(folder, action)) return;
        try {
            if (Files.isSymbolicLink(folder)) {
                throw new SupervisorException(action + "log folder " + folder + " is a symbolic link (to "
                        + Files.readSymbolicLink(folder) + "); heromgr does not follow it");
            }
            // a stat first: createDirectories on an existing folder throws and catches inside, on every (re)start
            if (!Files.isDirectory(folder)) Files.createDirectories(folder);
        } catch (IOException e) {
            throw new SupervisorException(action + "cannot create the log folder " + folder + ": " + e.getMessage(), e);
        }
        for (Path f : List.of(file, LogFiles.stderrOf(file))) {
            if (Files.isSymbolicLink(f)) {
                throw new SupervisorException(action + "log file " + f + " is a symbolic link; heromgr does not follow it");
            }
        }
    }

    /**
     * Makes a missing log folder; true when this call made it: new and empty, so neither log file is there, let alone
     * a link. False when something is there after all (a dangling link, or a folder made meanwhile): the caller checks.
     */
    private static boolean madeNew(Path folder, String action) {
        try {
            if (!Files.isDirectory(folder.getParent())) Files.createDirectories(folder.getParent());
            Files.createDirectory(folder); // mkdir never follows a link in its last step
            return true;
        } catch (FileAlreadyExistsException there) {
            return false;
        } catch (IOException e) {
            throw new SupervisorException(action + "cannot create the log folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * After a failed spawn: when the log file is what cannot be opened, that is the cause to name, not the program.
     * Only then, so a spawn that works (a restart in a crash loop) pays no extra open.
     */
    private static void blameTheLog(ActionSpec spec, SupervisorException failure) {
        Path log = spec.logFile().toAbsolutePath();
        for (Path file : List.of(log, LogFiles.stderrOf(log))) {
            try (var ignored = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    LinkOption.NOFOLLOW_LINKS)) {
                // the log opens: the failure was the program's
            } catch (IOException e) {
                throw new SupervisorException("action " + spec.name() + ": cannot write the log file " + file + ": " + reason(e), failure);
            }
        }
    }

    private static String reason(IOException e) {
        return e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.toString();
    }

    /**
     * Spawns a checked action into box with env (its {@link SpawnEnvironment}); its pid, which already leads its own
     * session and group.
     */
    static long spawn(Checked checked, Map<String, String> env, Containment box) {
        ActionSpec spec = checked.spec();
        var command = new ArrayList<String>(spec.argv().size() + 6);
        // prlimit before setpriv: only while still root can a hard limit be raised above the daemon's own
        if (!spec.limits().inherits()) {
            command.addAll(List.of(PRLIMIT.toString(), "--nofile=" + spec.limits().openFiles() + ":" + spec.limits().openFiles()));
        }
        if (checked.runAs() != null) {
            command.add(SETPRIV.toString());
            command.addAll(checked.runAs().setprivArgs());
        }
        Path program = command.isEmpty() ? checked.program().toAbsolutePath() : Path.of(command.getFirst());
        command.addAll(spec.argv());
        prepareLog(spec);
        try {
            return box.spawn(new PosixSpawn.Request(program, command, env, spec.workDir().toAbsolutePath(),
                    spec.logFile().toAbsolutePath()));
        } catch (SupervisorException e) {
            blameTheLog(spec, e);
            throw new SupervisorException("action " + spec.name() + ": " + e.getMessage(), e);
        }
    }
}

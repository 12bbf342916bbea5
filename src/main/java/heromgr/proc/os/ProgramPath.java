package heromgr.proc.os;

import heromgr.proc.ActionSpec;
import heromgr.proc.SupervisorException;

import java.nio.file.Files;
import java.nio.file.Path;

/** The file an action's argv[0] will exec: what the spawner runs and what the reclaimer recognizes as the action's own. */
public final class ProgramPath {
    private ProgramPath() {
    }

    /** Looked up the way execvp does: relative to the work dir when it has a slash, else on PATH. */
    public static Path resolve(ActionSpec spec) {
        String program = spec.argv().getFirst();
        if (program.isEmpty()) throw new SupervisorException("action " + spec.name() + ": argv[0] is empty");
        if (program.contains("/")) {
            Path file = spec.workDir().resolve(program);
            if (!isExecutableFile(file)) {
                throw new SupervisorException("action " + spec.name() + ": executable " + program + " not found or not executable");
            }
            return file;
        }
        // the child's PATH: a wrapper's execvp searches the environment we hand it
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

package heromgr.proc;

import java.nio.file.Path;
import java.util.List;

/**
 * An action's runtime state as the supervisor sees it now. pid is 0 when no process runs; lastExit may be null.
 * jobs: the last runs, oldest first (the running one last, with no end). reason: why the action is FAILED
 * (e.g. "start limit hit: 10 starts in 60 s, last exit code 3"), else null.
 */
public record ActionStatus(
        String name,
        ActionState state,
        long pid,
        long uptimeMs,
        int restartCount,
        ExitStatus lastExit,
        Path logFile,
        List<Job> jobs,
        String reason) {

    public ActionStatus {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }
}

package heromgr.proc;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.nio.file.Path;
import java.util.List;

/**
 * An action's runtime state as the supervisor sees it now. pid is 0 when no process runs; lastExit may be null.
 * healthy is null when the action has no health checks, else true only once its checks passed during the
 * current run; health holds the latest result of each check (empty before the first probe).
 * jobs: the last runs, oldest first (the running one last, with no end). reason: why the action is FAILED
 * (e.g. "start limit hit: 10 starts in 60 s, last exit code 3"), else null.
 */
@JsonSerialize(using = ActionStatusJson.class)
public record ActionStatus(
        String name,
        ActionState state,
        long pid,
        long uptimeMs,
        int restartCount,
        ExitStatus lastExit,
        Path logFile,
        Boolean healthy,
        List<HealthResult> health,
        List<Job> jobs,
        String reason) {

    public ActionStatus {
        health = health == null ? List.of() : List.copyOf(health);
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** Without health information (an action without checks), jobs or a failure reason. */
    public ActionStatus(String name, ActionState state, long pid, long uptimeMs, int restartCount, ExitStatus lastExit, Path logFile) {
        this(name, state, pid, uptimeMs, restartCount, lastExit, logFile, null, List.of(), List.of(), null);
    }

    public ActionStatus withHealth(Boolean isHealthy, List<HealthResult> results) {
        return new ActionStatus(name, state, pid, uptimeMs, restartCount, lastExit, logFile, isHealthy, results, jobs, reason);
    }
}

package heromgr.proc;

import java.nio.file.Path;
import java.util.List;

/**
 * An action's runtime state as the supervisor sees it now. pid is 0 when no process runs; lastExit may be null.
 * healthy is null when the action has no health checks, else true only once its checks passed during the
 * current run; health holds the latest result of each check (empty before the first probe).
 */
public record ActionStatus(
        String name,
        ActionState state,
        long pid,
        long uptimeMs,
        int restartCount,
        ExitStatus lastExit,
        Path logFile,
        Boolean healthy,
        List<HealthResult> health) {

    public ActionStatus {
        health = health == null ? List.of() : List.copyOf(health);
    }

    /** Without health information (an action without checks). */
    public ActionStatus(String name, ActionState state, long pid, long uptimeMs, int restartCount, ExitStatus lastExit, Path logFile) {
        this(name, state, pid, uptimeMs, restartCount, lastExit, logFile, null, List.of());
    }

    public ActionStatus withHealth(Boolean isHealthy, List<HealthResult> results) {
        return new ActionStatus(name, state, pid, uptimeMs, restartCount, lastExit, logFile, isHealthy, results);
    }
}

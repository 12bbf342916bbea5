package heromgr.proc;

import java.nio.file.Path;

/** An action's runtime state as the supervisor sees it now. pid is 0 when no process runs; lastExit may be null. */
public record ActionStatus(
        String name,
        ActionState state,
        long pid,
        long uptimeMs,
        int restartCount,
        ExitStatus lastExit,
        Path logFile) {
}

package heromgr.manager;

import heromgr.proc.ActionStatus;
import heromgr.proc.HealthResult;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The answers of the service.* operations, as they go on the wire (snake_case). */
public final class Results {
    private Results() {
    }

    /** healthy is the last known health (null when never probed since the daemon started). */
    /** pid is the first live action's process (null when none runs): lets a poller see a restart without a call per service. */
    public record ServiceSummary(String name, String type, String state, Long pid, Boolean healthy, String version, List<String> dependsOn) {
    }

    public record CreateResult(String name, boolean created, String state) {
    }

    /** removed: the services deleted, dependents (cascade) first; purgedBinaries: files removed from bin/. */
    public record DeleteResult(String name, List<String> removed, List<Path> purgedBinaries) {
    }

    public record StatusReport(String name, String state, List<ActionStatus> actions) {
    }

    public record HealthReport(String name, boolean ok, List<HealthResult> checks) {
    }

    public record StartResult(String name, List<String> started, List<String> alreadyRunning, String state, Boolean healthy) {
    }

    public record StopResult(String name, List<String> stopped, String state) {
    }

    public record RestartResult(String name, String state, Instant restartedAt, Boolean healthy) {
    }

    public record LogsResult(String name, List<String> lines) {
    }
}

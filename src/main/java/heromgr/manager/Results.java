package heromgr.manager;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import heromgr.proc.ActionLine;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthResult;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import heromgr.service.BuildResult;
import heromgr.service.InstallResult;
import heromgr.service.Verification;

/** The answers of the service.* operations, as they go on the wire (snake_case). */
public final class Results {
    private Results() {
    }

    /**
     * healthy is the last known health: false when not running, null when a running service was never judged. pid is
     * the first live action's process (null when none runs): lets a poller see a restart without a call per service;
     * uptimeMs is that process's. restarts: of all its actions. cpuPercent and memoryBytes: only when asked for
     * (service.list's usage), summed over its running actions; null when not asked, not running or not readable.
     */
    public record ServiceSummary(String name, String type, String state, Long pid, Long uptimeMs, int restarts, Boolean healthy,
                                 String version, List<String> dependsOn, Double cpuPercent, Long memoryBytes) {
    }

    public record CreateResult(String name, boolean created, String state) {
    }

    /**
     * removed: the services gone, dependents (cascade) first; kept: the class-defined ones, which are code and stay
     * registered, stopped and with their runtime state dropped; purgedBinaries: files removed from bin/.
     */
    public record DeleteResult(String name, List<String> removed, List<String> kept, List<Path> purgedBinaries) {
    }

    @JsonSerialize(using = StatusReportJson.class)
    public record StatusReport(String name, String state, List<ActionStatus> actions) {
        static StatusReport of(String name, List<ActionStatus> actions) {
            return new StatusReport(name, ServiceStates.of(actions), actions);
        }
    }

    /** state: the service's state word; a service not running is not healthy and its checks are not probed (checks empty). */
    public record HealthReport(String name, boolean ok, String state, List<HealthResult> checks) {
    }

    /**
     * dependencies_started: the dependencies this call started first; reset: the service was stopped and its runtime
     * state dropped before this start; installed: the version this call installed first (null when it installed nothing).
     */
    public record StartResult(String name, List<String> started, List<String> alreadyRunning, String state, Boolean healthy,
                              List<String> dependenciesStarted, boolean reset, String installed) {

        StartResult withDependencies(List<String> dependencies) {
            return new StartResult(name, started, alreadyRunning, state, healthy, dependencies, reset, installed);
        }

        StartResult after(boolean wasReset, String installedVersion) {
            return new StartResult(name, started, alreadyRunning, state, healthy, dependenciesStarted, wasReset, installedVersion);
        }
    }

    /**
     * service.up / service.down: ok when every member reached its goal; otherwise blocked_by names the first service
     * that failed (error says why) and the members after its level were left as they were. services in walk order.
     */
    public record FleetResult(String direction, boolean ok, String blockedBy, String error, List<FleetMember> services,
                              long durationMs) {
    }

    /**
     * One service of a fleet walk: its level (0 starts first, or stops first), what became of it (started,
     * already_running, already_done, stopped, already_stopped, failed, not_started, not_stopped), its state after.
     */
    public record FleetMember(String name, int level, String outcome, String state, Boolean healthy, long durationMs, String error) {
        FleetMember atLevel(int newLevel) {
            return new FleetMember(name, newLevel, outcome, state, healthy, durationMs, error);
        }
    }

    /** rpc.health: the daemon answers; how many services it knows and how many of them run. */
    public record DaemonHealth(boolean ok, long pid, long uptimeMs, int services, int running) {
    }

    /** dependents_stopped: with cascade, the dependents stopped first. */
    public record StopResult(String name, List<String> stopped, String state, List<String> dependentsStopped) {
    }

    public record RestartResult(String name, String state, Instant restartedAt, Boolean healthy) {
    }

    /** lines: the entries' text alone, as before entries had times (for readers that want only the text). */
    public record LogsResult(String name, List<String> lines, List<LogEntry> entries) {
        public static LogsResult of(String name, List<ActionLine> read) {
            return new LogsResult(name, read.stream().map(l -> l.line().text()).toList(), read.stream().map(LogEntry::of).toList());
        }
    }

    /** One line of a service's log: when it was written (at the latest), by which action, to which stream. */
    public record LogEntry(Instant time, String action, String stream, String line) {
        static LogEntry of(ActionLine l) {
            return new LogEntry(l.line().time(), l.action(), l.line().stream().wire(), l.line().text());
        }
    }

    /** from/to are versions; rolled_back with reason when the new version failed and the old one was put back. */
    public record UpgradeResult(String name, String from, String to, boolean changed, boolean rolledBack, String reason,
                                String state, Boolean healthy) {
    }

    /** Each step's answer; build is null for mode download. */
    /** restarted: false when the install changed nothing and the service was running: then it was left alone. */
    public record DeployResult(String name, String mode, BuildResult build, InstallResult install, boolean restarted,
                               Verification verify, HealthReport health, String state) {
    }

    /** One answer a person or an agent can act on. */
    public record Troubleshooting(String name, String state, StatusReport status, HealthReport health, List<String> blockedBy,
                                  List<ActionStatus> failedActions, List<String> lastLogLines,
                                  List<OperationLog.Entry> failedOperations, List<String> hints) {
    }

    /** The last operation that took effect on a service since the daemon started (build, start, stop, …), and when. */
    public record LastChange(String operation, Instant at) {
    }
}

package heromgr.proc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One action of a supervised service (the hero_proc model): a command exec'd without a shell,
 * its environment (added to the daemon's own), working directory, stop behaviour and log file,
 * what it must reclaim from stale processes before it starts, and the health checks that judge it.
 * user/group (names or numeric ids; null = the daemon's own) and limits say who runs it and under which rlimits;
 * anything but the daemon's own user needs the daemon to run as root. logRotation: when the log file is rotated and how
 * many rotated files are kept (null: the defaults).
 */
public record ActionSpec(
        String name,
        List<String> argv,
        Map<String, String> env,
        Path workDir,
        ActionKind kind,
        Signal stopSignal,
        Duration stopTimeout,
        Path logFile,
        RestartPolicy restart,
        Reclaim reclaim,
        List<HealthCheck> health,
        HealthPolicy healthPolicy,
        String user,
        String group,
        ResourceLimits limits,
        LogRotation logRotation) {

    public ActionSpec {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stopSignal, "stopSignal");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(restart, "restart");
        // absent in state files written before these components existed: the defaults
        if (reclaim == null) reclaim = Reclaim.none();
        health = health == null ? List.of() : List.copyOf(health);
        if (healthPolicy == null) healthPolicy = HealthPolicy.defaults();
        if (limits == null) limits = ResourceLimits.INHERIT;
        if (logRotation == null) logRotation = LogRotation.defaults();
        if (user != null && user.isBlank()) throw new IllegalArgumentException("action " + name + ": user is blank");
        if (group != null && group.isBlank()) throw new IllegalArgumentException("action " + name + ": group is blank");
        if (argv.isEmpty()) throw new IllegalArgumentException("action " + name + ": argv is empty");
        if (stopTimeout.isNegative()) throw new IllegalArgumentException("action " + name + ": negative stop timeout");
    }

    /** With the default log rotation. */
    public ActionSpec(String name, List<String> argv, Map<String, String> env, Path workDir, ActionKind kind, Signal stopSignal,
                      Duration stopTimeout, Path logFile, RestartPolicy restart, Reclaim reclaim, List<HealthCheck> health,
                      HealthPolicy healthPolicy, String user, String group, ResourceLimits limits) {
        this(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, reclaim, health, healthPolicy, user, group,
                limits, null);
    }

    /** Without reclaim and health checks, as the daemon's own user, with inherited limits. */
    public ActionSpec(String name, List<String> argv, Map<String, String> env, Path workDir, ActionKind kind,
                      Signal stopSignal, Duration stopTimeout, Path logFile, RestartPolicy restart) {
        this(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart,
                Reclaim.none(), List.of(), HealthPolicy.defaults(), null, null, ResourceLimits.INHERIT, null);
    }

    /** A long-running process with the usual defaults: SIGTERM, 10 s to stop, restarted always. */
    public static ActionSpec process(String name, List<String> argv, Map<String, String> env, Path workDir, Path logFile) {
        return new ActionSpec(name, argv, env, workDir, ActionKind.PROCESS, Signal.TERM,
                Duration.ofSeconds(10), logFile, RestartPolicy.always());
    }

    public ActionSpec withRestart(RestartPolicy policy) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, policy, reclaim, health, healthPolicy,
                user, group, limits, logRotation);
    }

    public ActionSpec withStop(Signal signal, Duration timeout) {
        return new ActionSpec(name, argv, env, workDir, kind, signal, timeout, logFile, restart, reclaim, health, healthPolicy,
                user, group, limits, logRotation);
    }

    public ActionSpec withReclaim(Reclaim newReclaim) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, newReclaim, health, healthPolicy,
                user, group, limits, logRotation);
    }

    public ActionSpec withHealth(List<HealthCheck> checks, HealthPolicy policy) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, reclaim, checks, policy,
                user, group, limits, logRotation);
    }

    /** Runs as this user and group (null: the daemon's own). */
    public ActionSpec withUser(String newUser, String newGroup) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, reclaim, health, healthPolicy,
                newUser, newGroup, limits, logRotation);
    }

    public ActionSpec withLimits(ResourceLimits newLimits) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, reclaim, health, healthPolicy,
                user, group, newLimits, logRotation);
    }

    /** Rotates the log at this size, keeping this many rotated files. */
    public ActionSpec withLogRotation(LogRotation newRotation) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, reclaim, health, healthPolicy,
                user, group, limits, newRotation);
    }
}

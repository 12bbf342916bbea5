package heromgr.proc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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
        return copy(c -> c.restart = policy);
    }

    public ActionSpec withStop(Signal signal, Duration timeout) {
        return copy(c -> {
            c.stopSignal = signal;
            c.stopTimeout = timeout;
        });
    }

    public ActionSpec withReclaim(Reclaim newReclaim) {
        return copy(c -> c.reclaim = newReclaim);
    }

    public ActionSpec withHealth(List<HealthCheck> checks, HealthPolicy policy) {
        return copy(c -> {
            c.health = checks;
            c.healthPolicy = policy;
        });
    }

    /** Runs as this user and group (null: the daemon's own). */
    public ActionSpec withUser(String newUser, String newGroup) {
        return copy(c -> {
            c.user = newUser;
            c.group = newGroup;
        });
    }

    public ActionSpec withLimits(ResourceLimits newLimits) {
        return copy(c -> c.limits = newLimits);
    }

    /** Rotates the log at this size, keeping this many rotated files. */
    public ActionSpec withLogRotation(LogRotation newRotation) {
        return copy(c -> c.logRotation = newRotation);
    }

    /**
     * This spec with the components {@code change} sets, checked and defaulted by the canonical constructor like
     * any other: the one place that lists every component, so a with-method names only what it changes.
     */
    private ActionSpec copy(Consumer<Copy> change) {
        var copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The components of a copy being made, each settable; starts as the spec it copies. */
    private static final class Copy {
        private String name;
        private List<String> argv;
        private Map<String, String> env;
        private Path workDir;
        private ActionKind kind;
        private Signal stopSignal;
        private Duration stopTimeout;
        private Path logFile;
        private RestartPolicy restart;
        private Reclaim reclaim;
        private List<HealthCheck> health;
        private HealthPolicy healthPolicy;
        private String user;
        private String group;
        private ResourceLimits limits;
        private LogRotation logRotation;

        private Copy(ActionSpec from) {
            name = from.name;
            argv = from.argv;
            env = from.env;
            workDir = from.workDir;
            kind = from.kind;
            stopSignal = from.stopSignal;
            stopTimeout = from.stopTimeout;
            logFile = from.logFile;
            restart = from.restart;
            reclaim = from.reclaim;
            health = from.health;
            healthPolicy = from.healthPolicy;
            user = from.user;
            group = from.group;
            limits = from.limits;
            logRotation = from.logRotation;
        }

        private ActionSpec build() {
            return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, reclaim, health,
                    healthPolicy, user, group, limits, logRotation);
        }
    }
}

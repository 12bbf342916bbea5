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
        HealthPolicy healthPolicy) {

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
        Objects.requireNonNull(reclaim, "reclaim");
        health = List.copyOf(health);
        Objects.requireNonNull(healthPolicy, "healthPolicy");
        if (argv.isEmpty()) throw new IllegalArgumentException("action " + name + ": argv is empty");
        if (stopTimeout.isNegative()) throw new IllegalArgumentException("action " + name + ": negative stop timeout");
    }

    /** Without reclaim and health checks (the shape before they existed). */
    public ActionSpec(String name, List<String> argv, Map<String, String> env, Path workDir, ActionKind kind,
                      Signal stopSignal, Duration stopTimeout, Path logFile, RestartPolicy restart) {
        this(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart,
                Reclaim.none(), List.of(), HealthPolicy.defaults());
    }

    /** A long-running process with the usual defaults: SIGTERM, 10 s to stop, restarted always. */
    public static ActionSpec process(String name, List<String> argv, Map<String, String> env, Path workDir, Path logFile) {
        return new ActionSpec(name, argv, env, workDir, ActionKind.PROCESS, Signal.TERM,
                Duration.ofSeconds(10), logFile, RestartPolicy.always());
    }

    public ActionSpec withRestart(RestartPolicy policy) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, policy, reclaim, health, healthPolicy);
    }

    public ActionSpec withStop(Signal signal, Duration timeout) {
        return new ActionSpec(name, argv, env, workDir, kind, signal, timeout, logFile, restart, reclaim, health, healthPolicy);
    }

    public ActionSpec withReclaim(Reclaim newReclaim) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, newReclaim, health, healthPolicy);
    }

    public ActionSpec withHealth(List<HealthCheck> checks, HealthPolicy policy) {
        return new ActionSpec(name, argv, env, workDir, kind, stopSignal, stopTimeout, logFile, restart, reclaim, checks, policy);
    }
}

package heromgr.manager;

import heromgr.proc.LogRotation;
import heromgr.proc.RestartPolicy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.time.Duration;

/**
 * What service.create was given for a transient service: a command to supervise, with no class behind it.
 * Stored as JSON under $HERO_HOME/var/heromgr/transient/&lt;name&gt;.json, so field names are the wire's.
 *
 * @param workDir null: $HERO_HOME
 * @param health null: no health check (running means ready)
 * @param restartTuning null: the restart mode's defaults (backoff, stability period, start limit)
 * @param logRotation null: the default rotation of the log (see {@link LogRotation})
 */
public record TransientDefinition(String name, List<String> argv, Map<String, String> env, Path workDir,
                                  TransientRestart restart, List<String> dependsOn, HealthSpec health, Instant createdAt,
                                  RestartTuning restartTuning, LogRotationTuning logRotation) {

    public TransientDefinition {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("argv is empty");
        env = env == null ? Map.of() : Map.copyOf(env);
        restart = restart == null ? TransientRestart.ALWAYS : restart;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** With the default log rotation. */
    public TransientDefinition(String name, List<String> argv, Map<String, String> env, Path workDir, TransientRestart restart,
                               List<String> dependsOn, HealthSpec health, Instant createdAt, RestartTuning restartTuning) {
        this(name, argv, env, workDir, restart, dependsOn, health, createdAt, restartTuning, null);
    }

    /** Without restart tuning: the mode's defaults. */
    public TransientDefinition(String name, List<String> argv, Map<String, String> env, Path workDir, TransientRestart restart,
                               List<String> dependsOn, HealthSpec health, Instant createdAt) {
        this(name, argv, env, workDir, restart, dependsOn, health, createdAt, null, null);
    }

    /**
     * What a transient service may change of its restart policy (null fields keep the default): the first delay of
     * the backoff, how long a run must last to count as stable (resetting the backoff), the start limit (0: none).
     */
    public record RestartTuning(Long initialDelayMs, Long stableMs, Integer startLimit) {
        public RestartPolicy apply(RestartPolicy p) {
            RestartPolicy out = p;
            if (initialDelayMs != null) {
                // a first delay above the default ceiling lifts the ceiling: the caller asked for at least that long
                Duration initial = Duration.ofMillis(initialDelayMs);
                Duration ceiling = initial.compareTo(out.maxDelay()) > 0 ? initial : out.maxDelay();
                out = out.withBackoff(initial, out.factor(), ceiling, out.jitter());
            }
            if (stableMs != null) out = out.withStablePeriod(Duration.ofMillis(stableMs));
            if (startLimit != null) out = out.withStartLimit(startLimit, out.startLimitWindow());
            return out;
        }
    }

    /** What a transient service changes of its log's rotation (null fields keep the default). */
    public record LogRotationTuning(Long maxBytes, Integer keep) {
        public LogRotationTuning {
            if (maxBytes != null && maxBytes <= 0) throw new IllegalArgumentException("log_rotation.max_bytes must be positive: " + maxBytes);
            if (keep != null && keep <= 0) throw new IllegalArgumentException("log_rotation.keep must be positive: " + keep);
        }

        public LogRotation apply(LogRotation defaults) {
            return new LogRotation(maxBytes == null ? defaults.maxBytes() : maxBytes, keep == null ? defaults.keep() : keep);
        }
    }

    /** An HTTP GET over a Unix socket, answered 200 when healthy. */
    public record HealthSpec(Path unixSocket, String path) {
        public HealthSpec {
            Objects.requireNonNull(unixSocket, "unixSocket");
            path = path == null ? "/health" : path;
        }
    }
}

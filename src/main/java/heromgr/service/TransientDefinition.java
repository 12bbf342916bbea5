package heromgr.service;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What service.create was given for a transient service: a command to supervise, with no class behind it.
 * Stored as JSON under $HERO_HOME/var/heromgr/transient/&lt;name&gt;.json, so field names are the wire's.
 *
 * @param workDir null: $HERO_HOME
 * @param health null: no health check (running means ready)
 */
public record TransientDefinition(String name, List<String> argv, Map<String, String> env, Path workDir,
                                  TransientRestart restart, List<String> dependsOn, HealthSpec health, Instant createdAt) {

    public TransientDefinition {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("argv is empty");
        env = env == null ? Map.of() : Map.copyOf(env);
        restart = restart == null ? TransientRestart.ALWAYS : restart;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** An HTTP GET over a Unix socket, answered 200 when healthy. */
    public record HealthSpec(Path unixSocket, String path) {
        public HealthSpec {
            Objects.requireNonNull(unixSocket, "unixSocket");
            path = path == null ? "/health" : path;
        }
    }
}

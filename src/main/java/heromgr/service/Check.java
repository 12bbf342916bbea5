package heromgr.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a running role is judged healthy, in a service class's words (see {@link HeroService#checks}); the service
 * room turns each into the supervisor's check, so a class never names the supervisor's types. A closed set.
 */
public sealed interface Check {

    /** GET /health over a Unix socket answers 200 (the Hero convention), within 2 s. */
    record Http(Path socket) implements Check {
    }

    /** A connect to a loopback TCP port succeeds within 2 s: something listens. */
    record Tcp(int port) implements Check {
    }

    /** A command run without a shell exits 0; it is killed (with its children) when it outlasts timeout. */
    record Exec(List<String> argv, Duration timeout) implements Check {
        public Exec {
            argv = List.copyOf(argv);
        }
    }
}

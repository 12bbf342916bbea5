package heromgr.proc;

import java.nio.file.Path;
import java.time.Duration;

/** How to tell that a service answers. A closed set: the prober handles each kind. */
public sealed interface HealthCheck {
    String kind();

    String target();

    Duration timeout();

    /** HTTP GET over a Unix socket (the Hero convention: {@code <svc>/rpc.sock}, {@code GET /health}). */
    record HttpUnix(Path socket, String path, int expectStatus, Duration timeout) implements HealthCheck {
        public static HttpUnix of(Path socket) {
            return new HttpUnix(socket, "/health", 200, Duration.ofSeconds(2));
        }

        @Override
        public String kind() {
            return "http_unix";
        }

        @Override
        public String target() {
            return socket + " GET " + path;
        }
    }
}

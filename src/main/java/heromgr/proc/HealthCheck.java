package heromgr.proc;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** How to tell that a service answers. A closed set: the prober handles each kind. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = HealthCheck.HttpUnix.class, name = "http_unix"),
        @JsonSubTypes.Type(value = HealthCheck.HttpTcp.class, name = "http_tcp"),
        @JsonSubTypes.Type(value = HealthCheck.Tcp.class, name = "tcp"),
        @JsonSubTypes.Type(value = HealthCheck.Exec.class, name = "exec")})
public sealed interface HealthCheck {
    String kind();

    String target();

    Duration timeout();

    /**
     * HTTP GET over a Unix socket (the Hero convention: {@code <svc>/rpc.sock}, {@code GET /health}).
     * bodyContains, when not null, must occur in the answer's body.
     */
    record HttpUnix(Path socket, String path, int expectStatus, String bodyContains, Duration timeout) implements HealthCheck {
        public HttpUnix {
            Objects.requireNonNull(socket, "socket");
            checkHttp(path, expectStatus, timeout);
        }

        public HttpUnix(Path socket, String path, int expectStatus, Duration timeout) {
            this(socket, path, expectStatus, null, timeout);
        }

        public static HttpUnix of(Path socket) {
            return new HttpUnix(socket, "/health", 200, null, Duration.ofSeconds(2));
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

    /** HTTP GET over TCP to a loopback address: a health endpoint is local by nature, and the daemon must not become a client of remote hosts. */
    record HttpTcp(String host, int port, String path, int expectStatus, String bodyContains, Duration timeout) implements HealthCheck {
        public HttpTcp {
            checkLoopback(host, port);
            checkHttp(path, expectStatus, timeout);
        }

        public static HttpTcp of(int port, String path) {
            return new HttpTcp("127.0.0.1", port, path, 200, null, Duration.ofSeconds(2));
        }

        @Override
        public String kind() {
            return "http_tcp";
        }

        @Override
        public String target() {
            return "http://" + hostPort(host, port) + path;
        }
    }

    /** A TCP connect to a loopback port: something listens. */
    record Tcp(String host, int port, Duration timeout) implements HealthCheck {
        public Tcp {
            checkLoopback(host, port);
            checkTimeout(timeout);
        }

        public static Tcp of(int port) {
            return new Tcp("127.0.0.1", port, Duration.ofSeconds(2));
        }

        @Override
        public String kind() {
            return "tcp";
        }

        @Override
        public String target() {
            return hostPort(host, port);
        }
    }

    /** A command run without a shell; exit 0 means healthy. It is killed (with its children) when it outlasts the timeout. */
    record Exec(List<String> argv, Duration timeout) implements HealthCheck {
        public Exec {
            argv = List.copyOf(argv);
            if (argv.isEmpty() || argv.getFirst().isEmpty()) throw new IllegalArgumentException("exec health check: argv is empty");
            checkTimeout(timeout);
        }

        @Override
        public String kind() {
            return "exec";
        }

        @Override
        public String target() {
            return String.join(" ", argv);
        }
    }

    private static void checkHttp(String path, int expectStatus, Duration timeout) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) throw new IllegalArgumentException("health check path must start with '/': " + path);
        if (path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("health check path must not contain spaces or control characters: " + path);
        }
        if (expectStatus < 100 || expectStatus > 599) throw new IllegalArgumentException("expected HTTP status out of range 100..599: " + expectStatus);
        checkTimeout(timeout);
    }

    private static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("health check timeout must be positive: " + timeout);
    }

    private static void checkLoopback(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("health check port out of range 1..65535: " + port);
        if (host.equals("localhost")) return;
        try {
            // a literal only: resolving a name here would make constructing a spec do DNS
            if (InetAddress.ofLiteral(host).isLoopbackAddress()) return;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("health check host must be localhost or a loopback IP literal, not " + host);
        }
        throw new IllegalArgumentException("health check host " + host + " is not a loopback address");
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

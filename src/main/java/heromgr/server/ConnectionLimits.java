package heromgr.server;

import heromgr.api.DurationSetting;

import java.time.Duration;
import java.util.Map;

/**
 * What one client may hold of the daemon: how many connections are open at once, how long a request may take to
 * arrive (head and body, counted from the connection's acceptance or from the previous answer on it), and how long
 * a connection may stall with nothing moving. Set from the daemon's environment; see docs/reliability.md section 4.
 *
 * @param maxConnections connections open at once; one more is closed at accept, before a byte is read
 * @param requestDeadline a request's head and body must be in within this
 * @param idleTimeout a connection on which nothing moves for this long is closed (Jetty's idle timeout)
 */
public record ConnectionLimits(int maxConnections, Duration requestDeadline, Duration idleTimeout) {
    public static final String MAX_CONNECTIONS = "HEROMGR_MAX_CONNECTIONS";
    public static final String REQUEST_DEADLINE_MS = "HEROMGR_REQUEST_DEADLINE_MS";
    public static final String IDLE_TIMEOUT_MS = "HEROMGR_IDLE_TIMEOUT_MS";
    /** Far above what the CLI, event followers and a busy batch client use together, far below the fd limit. */
    static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** A local client writes a request in microseconds; ten seconds is slack for a paused or swapping one. */
    static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(10);
    /** Jetty's own default, kept: long calls (builds) are not cut by it, only stalled reads and writes. */
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    public ConnectionLimits {
        if (maxConnections < 1) throw new IllegalArgumentException(MAX_CONNECTIONS + " must be at least 1, not " + maxConnections);
        if (!requestDeadline.isPositive()) throw new IllegalArgumentException(REQUEST_DEADLINE_MS + " must be positive");
        if (!idleTimeout.isPositive()) throw new IllegalArgumentException(IDLE_TIMEOUT_MS + " must be positive");
    }

    public static ConnectionLimits fromEnvironment(Map<String, String> env) {
        return new ConnectionLimits(
                (int) number(env, MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS),
                DurationSetting.read(env, REQUEST_DEADLINE_MS, DEFAULT_REQUEST_DEADLINE),
                DurationSetting.read(env, IDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT));
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }
}

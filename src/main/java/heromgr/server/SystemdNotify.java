package heromgr.server;

import heromgr.http.UnixHttpClient;
import heromgr.proc.os.UnixDatagram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * systemd's notify protocol (a unit of Type=notify, sd_notify(3)): READY=1 once the daemon answers GET /health on its
 * own socket, STOPPING=1 when it is told to stop, and WATCHDOG=1 every half WATCHDOG_USEC while it still answers, so a
 * daemon that hangs is restarted by systemd. Present only when systemd (or a test) set NOTIFY_SOCKET.
 */
final class SystemdNotify implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);
    private static final Duration ANSWER = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(20);

    private final String address;
    private final Duration watchdogInterval;
    private final ScheduledExecutorService timer;
    private volatile boolean sendFailed;

    private SystemdNotify(String address, Duration watchdogInterval) {
        this.address = address;
        this.watchdogInterval = watchdogInterval;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("heromgr-systemd").factory());
    }

    /**
     * From the environment systemd gives its main process: NOTIFY_SOCKET, and WATCHDOG_USEC when the unit has
     * WatchdogSec (ignored when WATCHDOG_PID names another process: the watchdog is then not ours to pet).
     */
    static Optional<SystemdNotify> fromEnvironment(Map<String, String> env, long ownPid) {
        String address = env.get("NOTIFY_SOCKET");
        if (address == null || address.isBlank()) return Optional.empty();
        String watchdogPid = env.get("WATCHDOG_PID");
        Duration interval = Duration.ZERO;
        if (watchdogPid == null || watchdogPid.equals(String.valueOf(ownPid))) {
            try {
                long usec = Long.parseLong(env.getOrDefault("WATCHDOG_USEC", "0"));
                if (usec > 0) interval = Duration.ofNanos(usec * 1000 / 2);
            } catch (NumberFormatException e) {
                LOG.warn("WATCHDOG_USEC is not a number ({}): the watchdog is not petted", env.get("WATCHDOG_USEC"));
            }
        }
        return Optional.of(new SystemdNotify(address, interval));
    }

    /**
     * Tells systemd READY=1 once socket answers (asked every 20 ms, up to limit; without an answer nothing is sent, and
     * systemd's start timeout takes over), then starts petting the watchdog.
     */
    void readyWhenAnswering(Path socket, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (!answers(socket)) {
            if (Instant.now().isAfter(deadline)) {
                LOG.error("{} did not answer within {} s: not telling systemd READY=1", socket, limit.toSeconds());
                return;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        send("READY=1\nSTATUS=serving on " + socket + "\nMAINPID=" + ProcessHandle.current().pid());
        if (watchdogInterval.isPositive()) {
            long every = watchdogInterval.toMillis();
            timer.scheduleAtFixedRate(() -> {
                if (answers(socket)) send("WATCHDOG=1");
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void stopping() {
        timer.shutdownNow();
        send("STOPPING=1\nSTATUS=stopping");
    }

    private static boolean answers(Path socket) {
        try (var http = new UnixHttpClient(socket, ANSWER)) {
            return http.get("/health").status() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void send(String message) {
        try {
            UnixDatagram.send(address, message);
        } catch (IOException e) {
            // systemd gone or a wrong address: say it once, keep serving
            if (!sendFailed) LOG.warn("cannot notify systemd: {}", e.getMessage());
            sendFailed = true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

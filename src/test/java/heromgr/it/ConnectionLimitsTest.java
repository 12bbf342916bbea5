package heromgr.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import heromgr.http.UnixHttpClient;
import heromgr.server.ConnectionLimits;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Promise 4 of docs/reliability.md: slow and idle clients are cut at their deadlines (measured, with bounds), and
 * connections over the cap are refused, in one rate-limited log line each, while the daemon keeps answering others.
 */
@Timeout(60)  // a daemon without the deadlines leaves the slow clients' reads hanging: fail, not hang
class ConnectionLimitsTest {
    /** Scheduling slack on a loaded 2-core machine: a cut must come after its deadline and before deadline + this. */
    static final Duration SLACK = Duration.ofMillis(1500);

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    TestDaemon daemon(int maxConnections, Duration requestDeadline, Duration idleTimeout) throws IOException {
        return daemons.start(Services.all(), Map.of(
                ConnectionLimits.MAX_CONNECTIONS, String.valueOf(maxConnections),
                ConnectionLimits.REQUEST_DEADLINE_MS, String.valueOf(requestDeadline.toMillis()),
                ConnectionLimits.IDLE_TIMEOUT_MS, String.valueOf(idleTimeout.toMillis())));
    }

    static SocketChannel connect(TestDaemon d) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(d.socket()));
    }

    /** Sends the text a byte every 100 ms, until the daemon closes the connection; returns how long it stayed open. */
    static Duration dripUntilClosed(SocketChannel channel, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        try (var drip = Executors.newSingleThreadScheduledExecutor()) {
            int[] next = {0};
            drip.scheduleAtFixedRate(() -> {
                try {
                    channel.write(ByteBuffer.wrap(bytes, next[0]++ % bytes.length, 1));
                } catch (IOException closed) {
                    throw new IllegalStateException(closed);  // ends the drip
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            long open = readUntilEof(channel, start);
            drip.shutdownNow();
            return Duration.ofNanos(open);
        }
    }

    /** Blocks until the daemon closes the connection (EOF or reset); the nanoseconds since start. */
    static long readUntilEof(SocketChannel channel, long start) {
        var buffer = ByteBuffer.allocate(4096);
        try {
            while (channel.read(buffer.clear()) >= 0) {
                // an answer (e.g. 408) may come before the close
            }
        } catch (IOException reset) {
            // closed under us: what a cut looks like too
        }
        return System.nanoTime() - start;
    }

    @Test
    void aRequestHeadFedAByteAtATimeIsCutAtTheRequestDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        TestDaemon d = daemon(16, deadline, Duration.ofSeconds(60));
        try (SocketChannel slow = connect(d)) {
            Duration open = dripUntilClosed(slow, "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(500));
            assertThat(open).isBetween(deadline, deadline.plus(SLACK));
        }
        assertThat(d.client().answers()).isTrue();
    }

    @Test
    void aRequestBodyFedAByteAtATimeIsCutAtTheRequestDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        TestDaemon d = daemon(16, deadline, Duration.ofSeconds(60));
        try (SocketChannel slow = connect(d)) {
            slow.write(StandardCharsets.US_ASCII.encode(
                    "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"));
            Duration open = dripUntilClosed(slow, " ".repeat(1000));
            assertThat(open).isBetween(deadline, deadline.plus(SLACK));
        }
        assertThat(d.client().answers()).isTrue();
    }

    @Test
    void aConnectionThatSendsNothingIsCutAtTheIdleTimeout() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        TestDaemon d = daemon(16, Duration.ofSeconds(60), idle);
        try (SocketChannel silent = connect(d)) {
            Duration open = Duration.ofNanos(readUntilEof(silent, System.nanoTime()));
            assertThat(open).isBetween(idle, idle.plus(SLACK));
        }
    }

    @Test
    void aKeptAliveConnectionServesRequestAfterRequest() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        TestDaemon d = daemon(16, deadline, Duration.ofSeconds(60));
        try (var client = new UnixHttpClient(d.socket(), Duration.ofSeconds(10))) {
            for (int i = 0; i < 3; i++) assertThat(client.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void connectionsOverTheCapAreRefusedInOneLogLineWhileTheOthersAreAnswered() throws Exception {
        int cap = 4;
        TestDaemon d = daemon(cap, Duration.ofSeconds(60), Duration.ofSeconds(60));
        var refusals = new ListAppender<ILoggingEvent>();
        refusals.start();
        var connectorLog = (Logger) LoggerFactory.getLogger("heromgr.server.PeerCheckingConnector");
        var jettyLog = (Logger) LoggerFactory.getLogger("org.eclipse.jetty");
        connectorLog.addAppender(refusals);
        jettyLog.addAppender(refusals);
        List<UnixHttpClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < cap; i++) {
                var client = new UnixHttpClient(d.socket(), Duration.ofSeconds(10));
                held.add(client);
                // answered, so the daemon holds this connection open (kept alive)
                assertThat(client.get("/health").status()).isEqualTo(200);
            }
            for (int i = 0; i < 20; i++) {
                try (SocketChannel over = connect(d)) {
                    over.write(StandardCharsets.US_ASCII.encode("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
                    assertThat(over.read(ByteBuffer.allocate(64))).as("refused: EOF, no answer").isEqualTo(-1);
                } catch (IOException reset) {
                    // refused before the write or the read: also a refusal
                }
            }
            for (UnixHttpClient client : held) assertThat(client.get("/health").status()).isEqualTo(200);
            assertThat(refusals.list).hasSize(1);
            ILoggingEvent line = refusals.list.getFirst();
            assertThat(line.getFormattedMessage()).contains("refused connection from user", "4 connections open, the limit is 4");
            assertThat(line.getThrowableProxy()).as("no stack trace").isNull();
        } finally {
            connectorLog.detachAppender(refusals);
            jettyLog.detachAppender(refusals);
            held.forEach(UnixHttpClient::close);
        }
        // the daemon sees the four closes asynchronously: until then a new connection may still be over the cap
        await().atMost(Duration.ofSeconds(10)).until(() -> d.client().answers());
    }
}

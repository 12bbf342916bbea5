package heromgr.it;

import heromgr.http.UnixHttpClient;
import heromgr.server.ConnectionLimits;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

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
 * Each daemon is a JVM of its own, as a user runs it, so its live heap after the test is held against the one it
 * had before ({@link HeapBound}).
 */
@Timeout(120)  // a daemon without the deadlines leaves the slow clients' reads hanging: fail, not hang
class ConnectionLimitsTest {
    /** Scheduling slack on a loaded 2-core machine: a cut must come after its deadline and before deadline + this. */
    static final Duration SLACK = Duration.ofMillis(1500);

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    /** The test's daemon and its live heap once started: held against the live heap after the test. */
    DaemonProcess current;
    HeapBound warm;

    DaemonProcess daemon(int maxConnections, Duration requestDeadline, Duration idleTimeout) throws IOException {
        current = daemons.startProcess(daemons.root().resolve("home"), Map.of(
                ConnectionLimits.MAX_CONNECTIONS, String.valueOf(maxConnections),
                ConnectionLimits.REQUEST_DEADLINE_MS, String.valueOf(requestDeadline.toMillis()),
                ConnectionLimits.IDLE_TIMEOUT_MS, String.valueOf(idleTimeout.toMillis())));
        warm = HeapBound.warm(current);
        return current;
    }

    @AfterEach
    void memoryStayedBounded() {
        if (warm != null) warm.holdsIn(current, "the test's clients");
    }

    static SocketChannel connect(DaemonProcess d) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(d.socket));
    }

    /**
     * Sends the text a byte every 100 ms, until the daemon closes the connection; returns how long it stayed open since
     * start (taken before the connect: the daemon's clock starts at its accept, which comes before the client sees its
     * connect return, by a scheduling delay under load).
     */
    static Duration dripUntilClosed(SocketChannel channel, String text, long start) throws Exception {
        return dripUntilClosed(channel, text, start, Duration.ZERO);
    }

    /** The same, the first byte sent after a silence. */
    static Duration dripUntilClosed(SocketChannel channel, String text, long start, Duration silence) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        try (var drip = Executors.newSingleThreadScheduledExecutor()) {
            int[] next = {0};
            drip.scheduleAtFixedRate(() -> {
                try {
                    channel.write(ByteBuffer.wrap(bytes, next[0]++ % bytes.length, 1));
                } catch (IOException closed) {
                    throw new IllegalStateException(closed);  // ends the drip
                }
            }, silence.toMillis(), 100, TimeUnit.MILLISECONDS);
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

    /**
     * A client that sends prelude at once and then text a byte every 100 ms, the first after silence, is cut at the
     * request deadline counted from before its connect; the daemon still answers.
     */
    void isCutAtTheDeadline(Duration deadline, String prelude, String text, Duration silence) throws Exception {
        DaemonProcess d = daemon(16, deadline, Duration.ofSeconds(60));
        long start = System.nanoTime();
        try (SocketChannel slow = connect(d)) {
            if (!prelude.isEmpty()) slow.write(StandardCharsets.US_ASCII.encode(prelude));
            Duration open = dripUntilClosed(slow, text, start, silence);
            assertThat(open).isBetween(deadline, deadline.plus(SLACK));
        }
        assertThat(d.answers()).isTrue();
    }

    @Test
    void aRequestHeadFedAByteAtATimeIsCutAtTheRequestDeadline() throws Exception {
        isCutAtTheDeadline(Duration.ofSeconds(1), "", "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(500), Duration.ZERO);
    }

    @Test
    void aRequestBodyFedAByteAtATimeIsCutAtTheRequestDeadline() throws Exception {
        isCutAtTheDeadline(Duration.ofSeconds(1),
                "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
                " ".repeat(1000), Duration.ZERO);
    }

    /**
     * A head that starts late goes from service.sock's own connection to Jetty's, and keeps the deadline that has run
     * since the accept: a fresh one at the hand-over would give this client the deadline twice (cut at ~5.5 s).
     */
    @Test
    void aHeadStartedLateIsCutAtTheDeadlineFromTheAcceptThoughJettyTakesItOver() throws Exception {
        isCutAtTheDeadline(Duration.ofSeconds(3), "", "POST /rpc HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(500),
                Duration.ofMillis(2500));
    }

    /** The deadline is re-armed by each answer (without a task per request): the next request is held to it too. */
    @Test
    void aSecondRequestOnAKeptAliveConnectionIsCutAtTheDeadlineFromTheFirstAnswer() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        DaemonProcess d = daemon(16, deadline, Duration.ofSeconds(60));
        try (SocketChannel slow = connect(d)) {
            // taken before the first request: its answer re-arms the deadline after this (a cut counted from the
            // connect would come before deadline from here)
            long asked = System.nanoTime();
            slow.write(StandardCharsets.US_ASCII.encode("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
            var answer = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            // the health answer is one JSON object: its closing brace ends it
            while (answer.indexOf("\r\n\r\n") < 0 || answer.charAt(answer.length() - 1) != '}') {
                buffer.clear();
                assertThat(slow.read(buffer)).isPositive();
                answer.append(StandardCharsets.US_ASCII.decode(buffer.flip()));
            }
            Duration open = dripUntilClosed(slow, "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(500), asked);
            assertThat(open).isBetween(deadline, deadline.plus(SLACK));
        }
        assertThat(d.answers()).isTrue();
    }

    @Test
    void aConnectionThatSendsNothingIsCutAtTheIdleTimeout() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        DaemonProcess d = daemon(16, Duration.ofSeconds(60), idle);
        long start = System.nanoTime();
        try (SocketChannel silent = connect(d)) {
            Duration open = Duration.ofNanos(readUntilEof(silent, start));
            assertThat(open).isBetween(idle, idle.plus(SLACK));
        }
    }

    @Test
    void aKeptAliveConnectionServesRequestAfterRequest() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        DaemonProcess d = daemon(16, deadline, Duration.ofSeconds(60));
        try (var client = new UnixHttpClient(d.socket, Duration.ofSeconds(10))) {
            for (int i = 0; i < 3; i++) assertThat(client.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void connectionsOverTheCapAreRefusedInOneLogLineWhileTheOthersAreAnswered() throws Exception {
        int cap = 4;
        DaemonProcess d = daemon(cap, Duration.ofSeconds(60), Duration.ofSeconds(60));
        List<UnixHttpClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < cap; i++) {
                var client = new UnixHttpClient(d.socket, Duration.ofSeconds(10));
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
            // the daemon logs to its stderr as to its file
            List<String> log = d.stderrText().lines().toList();
            assertThat(log.stream().filter(l -> l.contains("refused connection"))).singleElement().asString()
                    .contains("refused connection from user", "4 connections open, the limit is 4");
            assertThat(log).as("no stack trace").noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
        } finally {
            held.forEach(UnixHttpClient::close);
        }
        // the daemon sees the four closes asynchronously: until then a new connection may still be over the cap
        await().atMost(Duration.ofSeconds(10)).until(d::answers);
    }

    /**
     * The idle timeout bounds a connection on which nothing moves, not a call being answered: a stop that waits out a
     * service's 10 s grace answers on a daemon whose idle timeout is 1 s, as Jetty's connection answers it.
     */
    @Test
    void aCallAnsweredAfterTheIdleTimeoutIsStillAnswered() throws Exception {
        DaemonProcess d = daemon(16, Duration.ofSeconds(60), Duration.ofSeconds(1));
        d.result("service.create", Map.of("name", "stubborn", "argv", List.of("/bin/sh", "-c", "trap '' TERM; exec /bin/sleep 100000.41")));
        String stop = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"service.stop\",\"params\":{\"name\":\"stubborn\"}}";
        try (SocketChannel channel = connect(d)) {
            long start = System.nanoTime();
            RawHttp.write(channel, RawHttp.post(stop));
            String answer = RawHttp.readAnswer(channel);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the stop waited out the grace").isGreaterThan(Duration.ofSeconds(5));
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"state\":\"STOPPED\"");
        }
    }

    /**
     * A declared length is not memory a client may claim without sending it: sixty clients each declaring a body of
     * 1,000,000 bytes and sending ten hold no more than the bytes they sent (sixty such arrays would pass the live-heap
     * bound, and the daemon's 64 MiB heap).
     */
    @Test
    void bodiesDeclaredButNotSentHoldNoMemory() throws Exception {
        DaemonProcess d = daemon(100, Duration.ofSeconds(60), Duration.ofSeconds(60));
        List<SocketChannel> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                SocketChannel client = connect(d);
                clients.add(client);
                RawHttp.write(client, "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n{\"jsonrpc\"");
            }
            assertThat(d.answers()).isTrue();
            warm.holdsIn(d, "sixty bodies declared and not sent");
        } finally {
            for (SocketChannel client : clients) client.close();
        }
    }
}

package heromgr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bar against a stand-in event stream that delivers the last events of the operation late, as a busy machine
 * does: the daemon has answered the call, but its reader has not yet read the final progress and the end.
 */
class ProgressViewTest {
    private static final String REQUEST_ID = "heromgr-cli-test-1";
    private static final long TOTAL = 2 * 1024 * 1024;

    @TempDir
    Path tmp;

    /** Counted down once the call is closing its display: only then does the stream deliver the last events. */
    private final CountDownLatch answered = new CountDownLatch(1);

    @Test
    void theLastProgressIsDrawnBeforeTheBarIsErasedEvenWhenItArrivesAfterTheAnswer() throws Exception {
        Path socket = tmp.resolve("events.sock");
        var err = new StringWriter();
        var terminal = new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.of(), false, true);
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread stream = Thread.ofVirtual().start(() -> streamOperation(server));
            try {
                RpcSession.Display.Shown view = ProgressView.of(terminal, socket, "hero_echo", false).show(REQUEST_ID);
                await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains(" 50%"));
                // the answer is in: the call closes its display (here: until it waits or is done) before the last events come
                Thread closing = Thread.ofVirtual().start(view::close);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> closing.getState() != Thread.State.NEW && closing.getState() != Thread.State.RUNNABLE);
                answered.countDown();
                assertThat(closing.join(Duration.ofSeconds(10))).as("closed in time").isTrue();
            } finally {
                answered.countDown();
                stream.join(Duration.ofSeconds(10));
            }
            assertThat(err.toString()).contains("100%  2.0 MiB / 2.0 MiB").containsPattern("\\r {60,}\\r$");
        }
    }

    /** One subscriber: the operation's start and half its download at once, the rest once the call has its answer. */
    private void streamOperation(ServerSocketChannel server) {
        try (SocketChannel ch = server.accept()) {
            readRequestHead(ch);
            send(ch, "HTTP/1.1 200 OK\r\n\r\n: subscribed\n\n"
                    + event("{\"id\":\"op-1\",\"phase\":\"start\",\"request_id\":\"" + REQUEST_ID + "\"}")
                    + event(progress(TOTAL / 2)));
            answered.await();
            send(ch, event(progress(TOTAL)) + event("{\"id\":\"op-1\",\"phase\":\"end\",\"outcome\":\"ok\"}"));
        } catch (IOException | InterruptedException e) {
            // the test is over
        }
    }

    private static String progress(long done) {
        return "{\"id\":\"op-1\",\"phase\":\"progress\",\"binary\":\"hero_echo_server\",\"bytes_done\":" + done
                + ",\"bytes_total\":" + TOTAL + "}";
    }

    private static String event(String data) {
        return "data: {\"type\":\"operation\",\"data\":" + data + "}\n\n";
    }

    private static void readRequestHead(SocketChannel ch) throws IOException {
        var head = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(1024);
        while (!head.toString().contains("\r\n\r\n") && ch.read(buf) >= 0) {
            head.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
            buf.clear();
        }
    }

    private static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) ch.write(buf);
    }
}

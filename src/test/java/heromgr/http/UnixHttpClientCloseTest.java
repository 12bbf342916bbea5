package heromgr.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * close() switches the kept-alive channel to non-blocking before closing it (a blocking close would set up
 * sun.nio.ch.Net for a question Linux always answers no): the server must still see the connection end.
 */
class UnixHttpClientCloseTest {
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void theServerSeesTheEndOfAKeptAliveConnectionOnClose() throws Exception {
        Path path = dir.resolve("s.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            CompletableFuture<Integer> afterAnswer = CompletableFuture.supplyAsync(() -> OneAnswerServer.answerThenReadToEnd(server, 0, OK));
            var client = new UnixHttpClient(path, Duration.ofSeconds(10));
            assertThat(client.get("/x").text()).isEqualTo("ok");
            client.close();
            client.close();   // a second close is harmless
            assertThat(afterAnswer.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        }
    }

    @Test
    void aClosedClientConnectsAfreshForItsNextExchange() throws Exception {
        Path path = dir.resolve("s.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            var client = new UnixHttpClient(path, Duration.ofSeconds(10));
            for (int i = 0; i < 2; i++) {
                CompletableFuture<Integer> afterAnswer = CompletableFuture.supplyAsync(() -> OneAnswerServer.answerThenReadToEnd(server, 0, OK));
                assertThat(client.get("/x").text()).isEqualTo("ok");
                client.close();
                assertThat(afterAnswer.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
            }
        }
    }
}

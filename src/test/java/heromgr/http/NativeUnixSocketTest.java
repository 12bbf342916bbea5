package heromgr.http;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CLI's JNI Unix socket (NativeUnixSocket, built by `mvn compile` when gcc is there) under UnixHttpClient: the
 * same exchanges, timeouts and failures as over a SocketChannel. The library is loaded here without
 * NativeUnixSocket.loadLibrary, so the other tests' clients in this JVM keep their SocketChannels.
 */
class NativeUnixSocketTest {
    private static final Path LIBRARY = Path.of("target", "libheromgr-unixsocket.so").toAbsolutePath();

    @TempDir
    Path dir;

    @BeforeAll
    @SuppressWarnings("restricted")
    static void loadTheLibrary() {
        assumeTrue(Files.exists(LIBRARY), "built only where gcc is installed");
        System.load(LIBRARY.toString());
    }

    @Test
    void anExchangeLargerThanOneChunkEachWayArrivesWholeAndTheServerSeesTheEnd() throws Exception {
        Path path = dir.resolve("s.sock");
        byte[] request = filled(40_000, 'q');
        byte[] body = filled(100_000, 'a');
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            CompletableFuture<Integer> afterAnswer = CompletableFuture.supplyAsync(() -> OneAnswerServer.answerThenReadToEnd(server, request.length, body));
            var client = new UnixHttpClient(path, Duration.ofSeconds(10), true);
            assertThat(client.post("/x", "text/plain", request).body()).isEqualTo(body);
            client.close();
            client.close();   // a second close is harmless
            assertThat(afterAnswer.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
        }
    }

    @Test
    void aServerThatNeverAnswersEndsTheCallAtItsTimeout() throws Exception {
        Path path = dir.resolve("s.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            var accepted = CompletableFuture.supplyAsync(() -> acceptQuietly(server));
            try (var client = new UnixHttpClient(path, Duration.ofMillis(300), true)) {
                assertThat(catchThrowable(() -> client.get("/x"))).isInstanceOf(IOException.class)
                        .hasMessage("no answer from " + path + " within 300 ms");
            }
            accepted.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aFailedConnectReportsWhatTheChannelReports() {
        for (Path path : new Path[] {dir.resolve("missing.sock"), staleSocket(dir.resolve("stale.sock"))}) {
            assertThat(NativeUnixSocket.connect(path)).isEmpty();
            Throwable overChannel = catchThrowable(() -> new UnixHttpClient(path, Duration.ofSeconds(1), false).get("/x"));
            Throwable overNative = catchThrowable(() -> new UnixHttpClient(path, Duration.ofSeconds(1), true).get("/x"));
            assertThat(overNative).isNotNull().hasSameClassAs(overChannel).hasMessage(overChannel.getMessage());
        }
    }

    @Test
    void aLibraryThatDoesNotLoadLeavesEveryClientOnItsChannel() {
        String named = System.getProperty(NativeUnixSocket.LIBRARY_PROPERTY);
        System.setProperty(NativeUnixSocket.LIBRARY_PROPERTY, dir.resolve("libmissing.so").toString());
        try {
            assertThat(NativeUnixSocket.loadLibrary()).isFalse();
            assertThat(NativeUnixSocket.loaded()).isFalse();
        } finally {
            if (named == null) System.clearProperty(NativeUnixSocket.LIBRARY_PROPERTY);
            else System.setProperty(NativeUnixSocket.LIBRARY_PROPERTY, named);
        }
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static SocketChannel acceptQuietly(ServerSocketChannel server) {
        try {
            return server.accept();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A socket file nobody listens on: a connect is refused. */
    private static Path staleSocket(Path path) {
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return path;
    }
}

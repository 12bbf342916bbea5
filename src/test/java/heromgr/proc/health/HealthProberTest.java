package heromgr.proc.health;

import com.sun.net.httpserver.HttpServer;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.HealthResult;
import heromgr.testkit.ProcFs;
import heromgr.testkit.UnixResponder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every probe kind against real servers and real processes, passing and failing. */
class HealthProberTest {
    /** For checks that must time out. */
    private static final Duration SHORT = Duration.ofMillis(300);
    /** For checks that must pass: generous, the machine may be loaded. */
    private static final Duration AMPLE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    private final HealthProber prober = new HealthProber();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable s : servers) s.close();
    }

    private UnixResponder unix(int status, String body) throws IOException {
        var r = UnixResponder.answering(tmp.resolve("rpc.sock"), status, body);
        servers.add(r);
        return r;
    }

    private int http(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            try (var out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        servers.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // ---- HTTP over a Unix socket

    @Test
    void httpUnixPassesOnTheExpectedStatusAndBody() throws IOException {
        unix(200, "{\"status\":\"ok\"}");
        HealthResult r = prober.probe(new HealthCheck.HttpUnix(tmp.resolve("rpc.sock"), "/health", 200, "\"ok\"", AMPLE));
        assertThat(r.ok()).as(r.detail()).isTrue();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.kind()).isEqualTo("http_unix");
        assertThat(r.detail()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void httpUnixFailsOnAnotherStatusOrAMissingBodyText() throws IOException {
        UnixResponder server = unix(503, "starting");
        HealthResult wrongStatus = prober.probe(HealthCheck.HttpUnix.of(tmp.resolve("rpc.sock")));
        assertThat(wrongStatus.ok()).isFalse();
        assertThat(wrongStatus.detail()).isEqualTo("expected HTTP 200, got 503: starting");

        server.answer(200, "{\"status\":\"degraded\"}");
        HealthResult wrongBody = prober.probe(new HealthCheck.HttpUnix(tmp.resolve("rpc.sock"), "/health", 200, "\"ok\"", AMPLE));
        assertThat(wrongBody.ok()).isFalse();
        assertThat(wrongBody.detail()).isEqualTo("body does not contain \"\"ok\"\": {\"status\":\"degraded\"}");
    }

    @Test
    void httpUnixFailsWhenTheSocketIsMissingOrSilent() throws IOException {
        HealthResult missing = prober.probe(HealthCheck.HttpUnix.of(tmp.resolve("rpc.sock")));
        assertThat(missing.ok()).isFalse();
        assertThat(missing.detail()).contains("does not exist");

        servers.add(UnixResponder.silent(tmp.resolve("rpc.sock")));
        HealthResult silent = prober.probe(new HealthCheck.HttpUnix(tmp.resolve("rpc.sock"), "/health", 200, null, SHORT));
        assertThat(silent.ok()).isFalse();
        assertThat(silent.detail()).contains("no answer from " + tmp.resolve("rpc.sock") + " within 300 ms");
        assertThat(silent.latencyMs()).isGreaterThanOrEqualTo(250).isLessThan(10_000);
    }

    // ---- HTTP over TCP

    @Test
    void httpTcpPassesAndFailsLikeHttpUnix() throws IOException {
        int port = http(200, "ok all good");
        HealthResult ok = prober.probe(new HealthCheck.HttpTcp("127.0.0.1", port, "/health", 200, "all good", AMPLE));
        assertThat(ok.ok()).as(ok.detail()).isTrue();
        assertThat(ok.target()).isEqualTo("http://127.0.0.1:" + port + "/health");

        HealthResult body = prober.probe(new HealthCheck.HttpTcp("localhost", port, "/health", 200, "nope", AMPLE));
        assertThat(body.ok()).isFalse();
        assertThat(body.detail()).startsWith("body does not contain \"nope\"");

        HealthResult notFound = prober.probe(HealthCheck.HttpTcp.of(port, "/other"));
        assertThat(notFound.ok()).isFalse();
        assertThat(notFound.status()).isEqualTo(404);
    }

    @Test
    void httpTcpFailsOnAClosedPort() throws IOException {
        HealthResult r = prober.probe(HealthCheck.HttpTcp.of(closedPort(), "/health"));
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).containsIgnoringCase("refused");
    }

    // ---- TCP connect

    @Test
    void tcpPassesWhenSomethingListensAndFailsOtherwise() throws IOException {
        try (var listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(prober.probe(HealthCheck.Tcp.of(listening.getLocalPort())).ok()).isTrue();
        }
        int port = closedPort();
        HealthResult r = prober.probe(HealthCheck.Tcp.of(port));
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("cannot connect to 127.0.0.1:" + port);
    }

    // ---- exec

    @Test
    void execPassesOnExitZeroAndFailsWithTheCodeAndOutput() {
        assertThat(prober.probe(new HealthCheck.Exec(List.of("/bin/true"), AMPLE)).ok()).isTrue();
        HealthResult r = prober.probe(new HealthCheck.Exec(List.of("/bin/sh", "-c", "echo not ready; exit 3"), Duration.ofSeconds(5)));
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("exit code 3: not ready");
        HealthResult missing = prober.probe(new HealthCheck.Exec(List.of(tmp.resolve("nope").toString()), SHORT));
        assertThat(missing.ok()).isFalse();
    }

    @Test
    void execThatOutlastsItsTimeoutIsKilledWithWhatItForked() throws IOException {
        Path pids = tmp.resolve("pids");
        HealthResult r = prober.probe(new HealthCheck.Exec(List.of("/bin/sh", "-c",
                "sleep 30 & echo $$ $! > " + pids + "; wait"), Duration.ofSeconds(2)));
        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("no exit within 2000 ms; killed");
        String[] both = Files.readString(pids).trim().split(" ");
        for (String pid : both) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !ProcFs.running(Long.parseLong(pid)));
        }
    }

    // ---- specs refuse nonsense by name

    @Test
    void badChecksAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> new HealthCheck.HttpTcp("10.0.0.1", 80, "/health", 200, null, SHORT))
                .hasMessageContaining("10.0.0.1 is not a loopback address");
        assertThatThrownBy(() -> new HealthCheck.Tcp("example.com", 80, SHORT))
                .hasMessageContaining("localhost or a loopback IP literal, not example.com");
        assertThatThrownBy(() -> HealthCheck.HttpTcp.of(8080, "health")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> new HealthCheck.Tcp("::1", 0, SHORT)).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> new HealthCheck.Exec(List.of(), SHORT)).hasMessageContaining("argv is empty");
        assertThatThrownBy(() -> new HealthCheck.Exec(List.of("/bin/true"), Duration.ZERO)).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> new HealthPolicy(Duration.ofSeconds(1), 0, Duration.ZERO, 0)).hasMessageContaining("retries must be at least 1");
        assertThat(new HealthCheck.Tcp("::1", 1, SHORT).target()).isEqualTo("[::1]:1");
    }
}

package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.EventRecorder;
import heromgr.testkit.TestDaemon;
import heromgr.testkit.UnixResponder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * service.start with wait: it returns as soon as the service turns healthy, and fails as soon as its process
 * dies, woken by the service's events rather than a fixed poll. The service runs a plain sleep; its health check
 * passes once the test answers on its rpc.sock.
 */
class StartWaitTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** One long-running action whose monitored check is GET /health on the service's rpc.sock. */
    static CommandService gated() {
        return CommandService.of("gated", "/bin/sleep", "1000").shaped((ctx, a) -> a.withHealth(
                List.of(HealthCheck.HttpUnix.of(ctx.paths().serviceSocketDir("gated").resolve("rpc.sock"))), HealthPolicy.defaults()));
    }

    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(gated()), Map.of());
    final TestDaemon d = daemons.daemon();
    Path socket;
    UnixResponder responder;

    @BeforeEach
    void up() throws IOException {
        socket = d.paths.serviceSocketDir("gated").resolve("rpc.sock");
        Files.createDirectories(socket.getParent());
    }

    @AfterEach
    void down() throws IOException {
        if (responder != null) responder.close();
    }

    /**
     * The start call in the background on a connection of its own (the daemon's test client is busy with it), once its
     * process runs, so the wait is under way.
     */
    CompletableFuture<JsonNode> startWaiting() {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.start\",\"params\":{\"name\":\"gated\",\"wait\":true,\"timeout_ms\":30000}}";
        var answer = CompletableFuture.supplyAsync(() -> {
            try (var c = new UnixHttpClient(d.socket(), Duration.ofMinutes(1))) {
                return JsonCodec.MAPPER.readTree(c.post("/rpc", "application/json", call.getBytes(StandardCharsets.UTF_8)).body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        await().atMost(BOUND).until(() -> d.result("service.status", Map.of("name", "gated")).get("state").asText().equals("RUNNING"));
        assertThat(answer).isNotDone();
        return answer;
    }

    @Test
    void returnsPromptlyOnceHealthy() throws Exception {
        CompletableFuture<JsonNode> answer = startWaiting();
        long t0 = System.nanoTime();
        responder = UnixResponder.answering(socket, 200, "{\"status\":\"ok\"}");
        JsonNode r = answer.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.at("/result/healthy").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.at("/result/started")).extracting(JsonNode::asText).containsExactly("main");
        // the wait probes at most 200 ms apart and wakes on the monitor's verdict: well under a second
        assertThat(ms).as("ms from healthy to the answer").isLessThan(1000);
    }

    @Test
    void failsPromptlyWhenTheProcessDies() throws Exception {
        CompletableFuture<JsonNode> answer = startWaiting();
        long pid = d.result("service.status", Map.of("name", "gated")).at("/actions/0/pid").asLong();
        long t0 = System.nanoTime();
        PosixSignals.kill(pid, 9);
        JsonNode e = answer.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e.at("/error/code").asInt()).as(e.toString()).isEqualTo(-32004);
        assertThat(e.at("/error/message").asText()).contains("exited during start").contains("signal 9");
        assertThat(ms).as("ms from the kill to the answer").isLessThan(1000);
    }

    @Test
    void theMonitorsVerdictIsAHealthEvent() throws Exception {
        try (var events = EventRecorder.follow(d.socket(), "?type=health&service=gated")) {
            d.result("service.start", Map.of("name", "gated", "wait", false));
            responder = UnixResponder.answering(socket, 200, "{\"status\":\"ok\"}");
            JsonNode healthy = events.awaitEvent(e -> e.at("/data/ok").asBoolean());
            assertThat(healthy.at("/data/action").asText()).isEqualTo("main");
            long pid = healthy.at("/data/pid").asLong();
            d.result("service.stop", Map.of("name", "gated"));
            JsonNode lost = events.awaitEvent(e -> !e.at("/data/ok").asBoolean(true));
            assertThat(lost.at("/data/action").asText()).isEqualTo("main");
            assertThat(lost.get("seq").asLong()).isGreaterThan(healthy.get("seq").asLong());
            assertThat(pid).isPositive();
        }
    }

    @Test
    void aTimeoutStillBoundsTheWait() {
        JsonNode e = d.call("service.start", Map.of("name", "gated", "timeout_ms", 300));
        assertThat(e.at("/error/code").asInt()).as(e.toString()).isEqualTo(-32005);
        assertThat(e.at("/error/message").asText()).contains("did not become healthy within 300 ms");
    }
}

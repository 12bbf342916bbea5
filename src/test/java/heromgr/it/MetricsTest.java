package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.http.UnixHttpClient;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import heromgr.testkit.UnixResponder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /metrics on a real daemon with real services: the numbers match what service.status and service.list answer,
 * calls and operations are counted as they happen, and promtool accepts the text.
 */
class MetricsTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon();
    static final TestDaemon d = daemons.daemon();
    static UnixResponder responder;

    @BeforeAll
    static void services() throws IOException {
        String token = "3600" + UUID.randomUUID().toString().replaceAll("\\D", "").substring(0, 3);
        Path socket = d.home.resolve("steady.sock");
        responder = UnixResponder.answering(socket, 200, "ok");
        d.result("service.create", Map.of("name", "m_steady", "argv", List.of("/bin/sleep", token),
                "health", Map.of("unix_socket", socket.toString())));
        // crashes twice, then stays up: its restart count settles at 2
        Path runs = d.home.resolve("flaky.runs");
        d.result("service.create", Map.of("name", "m_flaky", "argv", List.of("/bin/sh", "-c",
                "echo x >> " + runs + "; [ $(wc -l < " + runs + ") -ge 3 ] && exec /bin/sleep " + token + "; exit 1")));
        d.result("service.create", Map.of("name", "m_idle", "argv", List.of("/bin/sleep", token), "start", false));
        await().atMost(BOUND).until(() -> {
            JsonNode flaky = d.result("service.status", Map.of("name", "m_flaky"));
            return flaky.get("state").asText().equals("RUNNING") && flaky.at("/actions/0/restart_count").asInt() == 2;
        });
        await().atMost(BOUND).until(() -> d.result("service.health", Map.of("name", "m_steady")).get("ok").asBoolean());
    }

    @AfterAll
    static void closeResponder() throws IOException {
        if (responder != null) responder.close();
    }

    static String scrape() throws IOException {
        UnixHttpClient.Response r = d.http("GET", "/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/plain; version=0.0.4");
        return r.text();
    }

    @Test
    void serviceAndActionNumbersMatchServiceStatus() throws IOException {
        PrometheusText m = PrometheusText.parse(scrape());
        JsonNode list = d.result("service.list", null);
        assertThat(list.findValuesAsText("name")).contains("hero_echo", "m_steady", "m_flaky", "m_idle");
        for (JsonNode s : list) {
            String name = s.get("name").asText();
            JsonNode status = d.result("service.status", Map.of("name", name));
            var service = Map.of("service", name);
            assertThat(m.value("heromgr_service_state", Map.of("service", name, "state", status.get("state").asText())))
                    .as(name).isEqualTo(1);
            assertThat(m.find("heromgr_service_state", service)).as(name).filteredOn(x -> x.value() == 1).hasSize(1);
            long restarts = 0;
            for (JsonNode a : status.get("actions")) {
                var action = Map.of("service", name, "action", a.get("name").asText());
                assertThat(m.value("heromgr_action_restarts_total", action)).as(name).isEqualTo(a.get("restart_count").asInt());
                assertThat(m.find("heromgr_action_state", action)).filteredOn(x -> x.value() == 1)
                        .extracting(x -> x.labels().get("state")).containsExactly(a.get("state").asText());
                restarts += a.get("restart_count").asInt();
            }
            assertThat(m.value("heromgr_service_restarts_total", service)).as(name).isEqualTo(restarts);
            if (s.get("healthy").isBoolean()) {
                assertThat(m.value("heromgr_service_healthy", service)).isEqualTo(s.get("healthy").asBoolean() ? 1 : 0);
            } else {
                assertThat(m.find("heromgr_service_healthy", service)).isEmpty();
            }
        }
        assertThat(m.value("heromgr_action_restarts_total", Map.of("service", "m_flaky"))).isEqualTo(2);
        assertThat(m.value("heromgr_service_state", Map.of("service", "m_idle", "state", "STOPPED"))).isEqualTo(1);
        assertThat(m.value("heromgr_service_healthy", Map.of("service", "m_steady"))).isEqualTo(1);
        assertThat(m.value("heromgr_action_uptime_seconds", Map.of("service", "m_steady"))).isPositive();
    }

    @Test
    void callsOperationsAndProbesAreCountedAsTheyHappen() throws IOException {
        PrometheusText before = PrometheusText.parse(scrape());
        for (int i = 0; i < 3; i++) d.result("service.inspect", Map.of("name", "m_idle"));
        d.call("service.inspect", Map.of("name", "nobody_here"));
        d.call("service.no_such_method", Map.of());
        d.call("service.start", Map.of("name", "nobody_here"));
        d.result("service.stop", Map.of("name", "m_idle"));
        d.result("service.health", Map.of("name", "m_steady"));
        PrometheusText after = PrometheusText.parse(scrape());

        String calls = "heromgr_rpc_request_duration_seconds_count";
        assertThat(delta(before, after, calls, Map.of("method", "service.inspect", "code", "ok"))).isEqualTo(3);
        assertThat(delta(before, after, calls, Map.of("method", "service.inspect", "code", "-32001"))).isEqualTo(1);
        assertThat(delta(before, after, calls, Map.of("method", "other", "code", "-32601"))).isEqualTo(1);
        assertThat(after.find(calls, Map.of("method", "service.no_such_method"))).as("a client's method names grow no series").isEmpty();
        String ops = "heromgr_operation_duration_seconds_count";
        assertThat(delta(before, after, ops, Map.of("method", "service.start", "outcome", "error"))).isEqualTo(1);
        assertThat(delta(before, after, ops, Map.of("method", "service.stop", "outcome", "ok"))).isEqualTo(1);
        assertThat(delta(before, after, "heromgr_health_probe_duration_seconds_count", Map.of("service", "m_steady")))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("heromgr_health_probe_duration_seconds_bucket", Map.of("service", "m_steady", "le", "+Inf")))
                .isEqualTo(after.value("heromgr_health_probe_duration_seconds_count", Map.of("service", "m_steady")));
        assertThat(after.value("process_resident_memory_bytes", Map.of())).isGreaterThan(10_000_000);
        assertThat(after.value("jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();
        assertThat(after.value("jvm_threads_current", Map.of())).isPositive();
        assertThat(after.value("process_open_fds", Map.of())).isPositive();
        assertThat(after.value("heromgr_daemon_info", Map.of())).isEqualTo(1);
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.valueOrZero(name, labels) - before.valueOrZero(name, labels);
    }

    @Test
    void promtoolAcceptsTheText() throws Exception {
        Path file = d.home.resolve("metrics.txt");
        Files.writeString(file, scrape(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}

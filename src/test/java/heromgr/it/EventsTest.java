package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.EventRecorder;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /events streams server-sent events, filtered by type and service, and ends when the daemon stops. */
class EventsTest {
    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon();
    TestDaemon d = daemons.daemon();
    EventRecorder recorder;
    List<JsonNode> received;
    List<String> comments;

    @AfterEach
    void down() throws Exception {
        d.close();
        if (recorder != null) recorder.close();
    }

    void follow(String query) {
        recorder = EventRecorder.follow(d.socket(), query);
        received = recorder.events;
        comments = recorder.comments;
    }

    /** A service without checks that stays up, created stopped: its start and first service.health make the events. */
    void createSleeper() {
        d.result("service.create", Map.of("name", "sleeper", "argv", List.of("sleep", "1000"), "start", false));
    }

    @Test
    void operationsAndHealthChangesAreStreamedInOrder() {
        createSleeper();
        follow("?service=sleeper&type=operation,health");
        d.result("service.start", Map.of("name", "sleeper", "wait", false));
        d.result("service.health", Map.of("name", "sleeper"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
        assertThat(received.get(0).get("type").asText()).isEqualTo("operation");
        assertThat(received.get(0).at("/data/phase").asText()).isEqualTo("start");
        assertThat(received.get(0).at("/data/method").asText()).isEqualTo("service.start");
        assertThat(received.get(1).at("/data/phase").asText()).isEqualTo("end");
        assertThat(received.get(1).at("/data/outcome").asText()).isEqualTo("ok");
        assertThat(received.get(2).get("type").asText()).isEqualTo("health");
        assertThat(received.get(2).at("/data/ok").asBoolean()).isTrue();
        assertThat(received.get(2).get("seq").asLong()).isGreaterThan(received.get(1).get("seq").asLong());
    }

    @Test
    void theFilterKeepsOtherTypesOut() {
        createSleeper();
        follow("?type=health");
        d.result("service.start", Map.of("name", "sleeper", "wait", false));
        d.result("service.health", Map.of("name", "sleeper"));
        // the health event passes the filter, so the operations and state changes before it were published to a live stream and dropped
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().get("type").asText()).isEqualTo("health");
    }

    @Test
    void theFilterKeepsOtherServicesOut() {
        follow("?service=other");
        d.result("service.stop", Map.of("name", "hero_echo"));
        d.daemon.close();
        await().atMost(Duration.ofSeconds(10)).until(recorder::ended);
        assertThat(received).isEmpty();
        assertThat(comments).contains(": heromgr events");
    }

    @Test
    void processExitsAndStateChangesAreStreamed() throws IOException {
        d.close();
        d = daemons.start(List.of(LogFollowTest.ticker("ticker")), Map.of());
        follow("?service=ticker&type=state,job");
        d.result("service.start", Map.of("name", "ticker"));
        long pid = d.result("service.status", Map.of("name", "ticker")).at("/actions/0/pid").asLong();
        PosixSignals.kill(pid, 9);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(e -> e.get("type").asText().equals("job")));
        JsonNode job = received.stream().filter(e -> e.get("type").asText().equals("job")).findFirst().orElseThrow();
        assertThat(job.at("/data/action").asText()).isEqualTo("main");
        assertThat(job.at("/data/exit/signal").asInt()).isEqualTo(9);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().anyMatch(e -> e.get("type").asText().equals("state")
                && e.at("/data/state").asText().equals("RUNNING") && e.at("/data/pid").asLong() != pid));
    }

    /** A type no event has would stream heartbeats forever: refused in JSON naming the types there are. */
    @Test
    void anUnknownTypeIsRefusedNamingTheTypes() throws IOException {
        UnixHttpClient.Response answer;
        try (var c = new UnixHttpClient(d.socket(), Duration.ofSeconds(10))) {
            answer = c.get("/events?type=health,operations");
        }
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(JsonCodec.MAPPER.readTree(answer.body()).get("error").asText())
                .isEqualTo("type 'operations' is not an event type: operation, health, state, job");
    }

    @Test
    void theStreamEndsWhenTheDaemonStops() {
        follow("");
        d.daemon.close();
        await().atMost(Duration.ofSeconds(10)).until(recorder::ended);
    }
}

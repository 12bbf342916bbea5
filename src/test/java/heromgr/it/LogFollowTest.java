package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /logs follows an action's log: its last lines, then each line appended, until the daemon stops. */
class LogFollowTest {
    /** A service whose process appends a numbered line to its log every 50 ms. */
    static CommandService ticker(String name) {
        return CommandService.of(name, "/bin/sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done");
    }

    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(ticker("ticker")), Map.of());
    final TestDaemon d = daemons.daemon();
    List<String> data = List.of();

    void follow(String query) {
        data = LogFollower.follow(daemons, d.socket(), query);
    }

    @Test
    void followsNewLinesAfterTheLastOnes() {
        d.result("service.start", Map.of("name", "ticker"));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.result("service.logs", Map.of("name", "ticker")).get("lines").size() >= 3);
        follow("?name=ticker&lines=2");
        await().atMost(Duration.ofSeconds(10)).until(() -> data.size() >= 8);
        List<Integer> numbers = data.stream().map(l -> Integer.parseInt(l.substring("tick ".length()))).toList();
        for (int i = 1; i < numbers.size(); i++) assertThat(numbers.get(i)).isEqualTo(numbers.get(i - 1) + 1);
    }

    @Test
    void aTruncatedLogIsReadFromItsStart() throws IOException {
        Path log = d.paths.serviceLogs("ticker").resolve("main.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "old 1\nold 2\n");
        follow("?name=ticker&lines=1");
        await().atMost(Duration.ofSeconds(10)).until(() -> data.contains("old 2"));
        Files.writeString(log, "new\n", StandardOpenOption.TRUNCATE_EXISTING);
        await().atMost(Duration.ofSeconds(10)).until(() -> data.contains("new"));
        assertThat(data).doesNotContain("old 1");
    }

    @Test
    void badRequestsAreRefused() throws IOException {
        assertThat(d.http("GET", "/logs?name=../etc", null).status()).isEqualTo(400);
        assertThat(d.http("GET", "/logs?name=nope", null).status()).isEqualTo(404);
        assertThat(d.http("GET", "/logs?name=ticker&lines=-1", null).status()).isEqualTo(400);
    }

    /** A refusal is JSON like every other route's, and names the parameter and what it takes (no Java class names). */
    @Test
    void aBadParameterIsRefusedInJsonNamingIt() throws IOException {
        List<Map.Entry<String, String>> named = List.of(Map.entry("lines=abc", "lines"), Map.entry("lines=99999999999", "lines"),
                Map.entry("format=json&stream=bad", "stream"), Map.entry("format=json&since=bad", "since"), Map.entry("format=xml", "format"));
        for (var bad : named) {
            UnixHttpClient.Response answer;
            // a short bound: a parameter taken for a follow would stream on
            try (var c = new UnixHttpClient(d.socket(), Duration.ofSeconds(10))) {
                answer = c.get("/logs?name=ticker&" + bad.getKey());
            }
            assertThat(answer.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(bad.getKey()).startsWith("application/json");
            JsonNode refusal = JsonCodec.MAPPER.readTree(answer.body());
            assertThat(refusal.get("status").asInt()).isEqualTo(400);
            assertThat(refusal.get("error").asText()).as(bad.getKey()).startsWith(bad.getValue() + " ").doesNotContain("heromgr.", "For input");
        }
        var unknown = d.http("GET", "/logs?name=nope", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(JsonCodec.MAPPER.readTree(unknown.body()).get("error").asText()).isEqualTo("no such service: nope");
    }
}

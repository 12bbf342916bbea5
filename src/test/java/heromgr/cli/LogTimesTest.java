package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.CliProcess;
import heromgr.testkit.FileTree;
import heromgr.testkit.TestDaemon;
import heromgr.testkit.UnixResponder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `heromgr logs` against a real daemon: each line's time and stream, --since/--until, several services interleaved, -f of several. */
class LogTimesTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final List<String> SERVICES = List.of("t_times", "t_pa", "t_pb", "t_fa", "t_fb");

    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    @BeforeAll
    static void servicesThatTalkSlowly() {
        create("t_times", "echo one; sleep 1; echo two >&2; sleep 1; echo three; exec sleep 300");
        // a's lines and b's alternate, 2 s apart: the order holds while b starts less than 2 s after a
        create("t_pa", "echo a1; sleep 4; echo a2; exec sleep 300");
        create("t_pb", "sleep 2; echo b1; sleep 4; echo b2; exec sleep 300");
        create("t_fa", "while :; do echo fa; sleep 0.3; done");
        create("t_fb", "while :; do echo fb >&2; sleep 0.3; done");
    }

    private static void create(String name, String script) {
        d.result("service.create", Map.of("name", name, "argv", List.of("/bin/sh", "-c", script)));
    }

    @AfterAll
    static void deleteThem() {
        for (String name : SERVICES) d.result("service.delete", Map.of("name", name));
    }

    private static JsonNode json(String... args) {
        CliRun run = CliRun.of(env, args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        try {
            return JsonCodec.MAPPER.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError(run.out(), e);
        }
    }

    private static List<String> texts(JsonNode entries) {
        var out = new ArrayList<String>();
        entries.forEach(e -> out.add(e.path("line").asText()));
        return out;
    }

    private static JsonNode awaitEntries(String service, int count) {
        await().atMost(BOUND).until(() -> json("logs", service, "--json").path("entries").size() >= count);
        return json("logs", service, "--json").path("entries");
    }

    @Test
    void eachLineHasTheTimeItWasWrittenAndItsStream() {
        JsonNode entries = awaitEntries("t_times", 3);
        assertThat(texts(entries)).containsExactly("one", "two", "three");
        var streams = new ArrayList<String>();
        var times = new ArrayList<Instant>();
        entries.forEach(e -> {
            streams.add(e.path("stream").asText());
            times.add(Instant.parse(e.path("time").asText()));
            assertThat(e.path("action").asText()).isEqualTo("main");
        });
        assertThat(streams).containsExactly("stdout", "stderr", "stdout");
        assertThat(times).isSorted();
        // the times the lines were written, 1 s apart, not when they were read
        assertThat(Duration.between(times.getFirst(), times.getLast())).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
        assertThat(times.getLast()).isBefore(Instant.now());

        assertThat(CliRun.of(env, "logs", "t_times", "--stream", "stderr", "--plain").out().lines()).containsExactly("two");
        assertThat(CliRun.of(env, "logs", "t_times", "--stream", "stdout", "--plain").out().lines()).containsExactly("one", "three");
        List<String> human = CliRun.of(env, "logs", "t_times").out().lines().toList();
        assertThat(human).hasSize(3).allMatch(l -> l.matches("[A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} .*"));
        assertThat(human.get(1)).endsWith(" [stderr] two");
        assertThat(human.get(0)).endsWith(" one").doesNotContain("[stderr]");
    }

    @Test
    void sinceAndUntilCutAtTheLinesTimes() {
        JsonNode entries = awaitEntries("t_times", 3);
        String two = entries.get(1).path("time").asText();
        assertThat(CliRun.of(env, "logs", "t_times", "--since", two, "--plain").out().lines()).containsExactly("two", "three");
        assertThat(CliRun.of(env, "logs", "t_times", "--until", two, "--plain").out().lines()).containsExactly("one", "two");
        assertThat(CliRun.of(env, "logs", "t_times", "--since", two, "--until", two, "--plain").out().lines()).containsExactly("two");
        assertThat(CliRun.of(env, "logs", "t_times", "--since", "1h", "--plain").out().lines()).containsExactly("one", "two", "three");
        assertThat(CliRun.of(env, "logs", "t_times", "--since", "2030-01-01 00:00", "--plain").out()).isEmpty();
        assertThat(CliRun.of(env, "logs", "t_times", "--until", "2020-01-01", "--plain").out()).isEmpty();
    }

    @Test
    void aTimeThatIsNoneIsAUsageErrorInTheCliAndInTheApi() {
        CliRun bad = CliRun.of(env, "logs", "t_times", "--since", "soonish");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err().lines().findFirst().orElseThrow()).contains("--since").contains("'soonish' is not a time");
        assertThat(CliRun.of(env, "logs", "t_times", "-f", "--until", "1h").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of(env, "logs").exitCode()).isEqualTo(ExitCode.USAGE);

        JsonNode api = d.call("service.logs", Map.of("name", "t_times", "since", "soonish"));
        assertThat(api.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(api.path("error").path("message").asText()).contains("since");
        JsonNode month13 = d.call("service.logs", Map.of("name", "t_times", "until", "2026-13-01T00:00:00Z"));
        assertThat(month13.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(d.call("service.logs", Map.of("name", "t_times", "stream", "both")).path("error").path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void severalServicesAreInterleavedByTimeEachLineNamingItsService() {
        awaitEntries("t_pb", 2);
        assertThat(CliRun.of(env, "logs", "t_pa", "t_pb", "--plain").out().lines()).containsExactly("a1", "b1", "a2", "b2");
        List<String> human = CliRun.of(env, "logs", "t_pa", "t_pb").out().lines().toList();
        assertThat(human.get(0)).endsWith(" t_pa: a1");
        assertThat(human.get(1)).endsWith(" t_pb: b1");

        JsonNode both = json("logs", "t_pa", "t_pb", "--json");
        assertThat(both.path("names").toString()).isEqualTo("[\"t_pa\",\"t_pb\"]");
        var services = new ArrayList<String>();
        both.path("entries").forEach(e -> services.add(e.path("service").asText()));
        assertThat(services).containsExactly("t_pa", "t_pb", "t_pa", "t_pb");
        assertThat(texts(both.path("entries"))).containsExactly("a1", "b1", "a2", "b2");

        assertThat(CliRun.of(env, "logs", "--all", "--plain").out().lines()).contains("a1", "b1", "one", "two");
    }

    @Test
    void healthProbesLeaveNothingInTheServicesLogAndNameThemselves() throws IOException {
        Path dir = Files.createTempDirectory("heromgr-probe");
        Path socket = dir.resolve("health.sock");
        try (var responder = UnixResponder.answering(socket, 200, "<html>" + "probe page ".repeat(200) + "</html>")) {
            d.result("service.create", Map.of("name", "t_probed", "health", Map.of("unix_socket", socket.toString()),
                    "argv", List.of("/bin/sh", "-c", "echo started; echo warming >&2; exec sleep 300")));
            try {
                for (int i = 0; i < 3; i++) d.result("service.health", Map.of("name", "t_probed"));
                assertThat(responder.requests()).hasSizeGreaterThanOrEqualTo(3).allMatch(h -> h.contains("\r\nUser-Agent: heromgr-health\r\n"));
                await().atMost(BOUND).until(() -> CliRun.of(env, "logs", "t_probed", "--plain").out().lines().count() >= 2);
                assertThat(CliRun.of(env, "logs", "t_probed", "--plain").out().lines()).containsExactly("started", "warming");
                try (var files = Files.list(d.home.resolve("var/log/t_probed"))) {
                    assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".idx")))
                            .containsExactlyInAnyOrder("main.log", "main.err.log");
                }
            } finally {
                d.result("service.delete", Map.of("name", "t_probed"));
            }
        } finally {
            FileTree.delete(dir);
        }
    }

    @Test
    void followingSeveralServicesPrintsEachOnesNewLinesAsJsonLines() throws Exception {
        try (var follower = CliProcess.start(d.socket(), "logs", "t_fa", "t_fb", "-f", "-n", "1", "--json")) {
            var read = new ArrayList<JsonNode>();
            for (String line : follower.lines(12, Duration.ofSeconds(90))) read.add(JsonCodec.MAPPER.readTree(line));
            for (JsonNode l : read) {
                assertThat(l.path("service").asText()).isIn("t_fa", "t_fb");
                assertThat(l.path("stream").asText()).isEqualTo(l.path("service").asText().equals("t_fa") ? "stdout" : "stderr");
                assertThat(l.path("line").asText()).isEqualTo(l.path("service").asText().substring(2));
                assertThat(Instant.parse(l.path("time").asText())).isBefore(Instant.now());
            }
            // more than the one past line of each: the new lines of both services came through the one command
            assertThat(read.stream().filter(l -> l.path("service").asText().equals("t_fa")).count()).isGreaterThan(1);
            assertThat(read.stream().filter(l -> l.path("service").asText().equals("t_fb")).count()).isGreaterThan(1);
        }
    }
}

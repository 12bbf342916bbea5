package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.CliProcess;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** --json through the real CLI against a real daemon: every output one valid JSON document, errors included, and followed logs as JSON lines. */
class JsonOutputTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    @BeforeAll
    static void aServiceThatWritesLines() {
        d.result("service.create", Map.of("name", "t_talk", "argv", List.of("/bin/sh", "-c", "while :; do echo tick; sleep 0.2; done")));
    }

    @AfterAll
    static void deleteIt() {
        d.result("service.delete", Map.of("name", "t_talk"));
    }

    private static JsonNode json(int exitCode, String... args) throws IOException {
        var all = new ArrayList<>(List.of(args));
        all.add("--json");
        CliRun run = CliRun.of(env, all.toArray(String[]::new));
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(exitCode);
        return JsonCodec.MAPPER.readTree(run.out());
    }

    @Test
    void everyClientCommandPrintsOneJsonDocument() throws IOException {
        assertThat(json(ExitCode.OK, "list").isArray()).isTrue();
        assertThat(json(ExitCode.OK, "status", "t_talk").path("state").asText()).isEqualTo("RUNNING");
        assertThat(json(ExitCode.OK, "service", "inspect", "t_talk").path("name").asText()).isEqualTo("t_talk");
        assertThat(json(ExitCode.OK, "logs", "t_talk", "-n", "2").isContainerNode()).isTrue();
        assertThat(json(ExitCode.OK, "top", "-n", "1").isArray()).isTrue();
        assertThat(json(ExitCode.OK, "daemon", "status", "--socket", d.socket().toString()).path("state").asText()).isEqualTo("running");
        assertThat(json(ExitCode.NO_SUCH_SERVICE, "status", "nosuch").path("code").asInt()).isEqualTo(-32001);
    }

    @Test
    void anUnreachableDaemonIsAJsonErrorToo() throws IOException {
        String gone = d.socket().resolveSibling("nobody.sock").toString();
        CliRun list = CliRun.of(Map.of("HEROMGR_SOCKET", gone), "list", "--json");
        assertThat(list.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(JsonCodec.MAPPER.readTree(list.out()).path("socket").asText()).isEqualTo(gone);

        CliRun status = CliRun.of(Map.of(), "daemon", "status", "--socket", gone, "--json");
        assertThat(status.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(JsonCodec.MAPPER.readTree(status.out()).path("state").asText()).isEqualTo("not running");
    }

    @Test
    void followedLogsAreJsonLines() throws Exception {
        try (var follower = CliProcess.start(d.socket(), "logs", "t_talk", "-f", "-n", "1", "--json")) {
            List<String> three = follower.lines(3, Duration.ofSeconds(60));
            for (String line : three) assertThat(JsonCodec.MAPPER.readTree(line).path("line").asText()).as(line).isEqualTo("tick");
            // the past line and the live ones alike: the time to the millisecond (ISO leaves out a fraction of .000)
            for (String line : three) {
                assertThat(JsonCodec.MAPPER.readTree(line).path("time").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z");
            }
        }
    }
}

package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The time index outlives the daemon: after a daemon restart old lines keep their times, a new run's lines get theirs. */
class LogTimesRestartTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    private static JsonNode entries() throws IOException {
        CliRun run = CliRun.of(env, "logs", "t_lasting", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JsonCodec.MAPPER.readTree(run.out()).path("entries");
    }

    @Test
    void linesKeepTheirTimesAcrossADaemonRestart() throws IOException {
        d.result("service.create", Map.of("name", "t_lasting", "argv", List.of("/bin/sh", "-c", "echo run; exec sleep 300")));
        await().atMost(Duration.ofSeconds(60)).until(() -> entries().size() == 1);
        // a sample of the index after the line: its time is on disk, not only the file's mtime
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(d.home.resolve("var/log/t_lasting/.main.log.idx")));
        String first = entries().get(0).path("time").asText();

        d.restart();
        d.result("service.restart", Map.of("name", "t_lasting"));
        await().atMost(Duration.ofSeconds(60)).until(() -> entries().size() == 2);
        JsonNode after = entries();
        assertThat(after.get(0).path("line").asText()).isEqualTo("run");
        assertThat(after.get(0).path("time").asText()).isEqualTo(first);
        assertThat(Instant.parse(after.get(1).path("time").asText())).isAfter(Instant.parse(first));
        d.result("service.delete", Map.of("name", "t_lasting"));
    }
}

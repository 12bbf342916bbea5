package heromgr.it;

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
}

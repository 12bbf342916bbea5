package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.proc.LogRotation;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Log rotation through the daemon: set by service.create, shown by inspect, and followed without a gap or repeat. */
class LogRotationFollowTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Numbered lines, a short pause every 200 so the log grows by some 100 KiB a second. */
    private static final String FLOOD = "i=0; while :; do i=$((i+1)); echo \"line $i\"; "
            + "if [ $((i % 200)) -eq 0 ]; then sleep 0.01; fi; done";

    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon();
    final TestDaemon d = daemons.daemon();
    List<String> data = List.of();

    void follow(String query) {
        data = LogFollower.follow(daemons, d.socket(), query);
    }

    @Test
    void aFollowerSeesEveryLineOnceAcrossRotationsAndInspectShowsTheFiles() throws IOException {
        d.result("service.create", Map.of("name", "flood", "argv", List.of("/bin/sh", "-c", FLOOD),
                "log_rotation", Map.of("max_bytes", 4096, "keep", 100)));
        long floodPid = d.result("service.status", Map.of("name", "flood")).at("/actions/0/pid").asLong();
        assertThat(floodPid).isPositive();
        Path log = d.home.resolve("var/log/flood/main.log");
        await().atMost(BOUND).until(() -> Files.exists(log) && Files.size(log) > 0);
        follow("?name=flood&lines=0");
        await().atMost(BOUND).until(() -> LogRotation.rotatedFiles(log).size() >= 3);
        d.result("service.stop", Map.of("name", "flood"));
        String all = String.join("", LogRotation.chain(log).stream().map(LogRotationFollowTest::read).toList());
        String lastLine = all.substring(all.lastIndexOf('\n', all.length() - 2) + 1).strip();
        await().atMost(BOUND).until(() -> !data.isEmpty() && data.getLast().equals(lastLine));

        List<Long> numbers = data.stream().map(l -> Long.parseLong(l.substring("line ".length()))).toList();
        for (int i = 1; i < numbers.size(); i++) assertThat(numbers.get(i)).as("after line %d", numbers.get(i - 1)).isEqualTo(numbers.get(i - 1) + 1);
        // a rotation happened while it followed: the follower started before the third rotated file existed
        assertThat(numbers.size()).isGreaterThan(100);

        JsonNode action = d.result("service.inspect", Map.of("name", "flood")).at("/actions/0");
        assertThat(action.at("/log_rotation/max_bytes").asLong()).isEqualTo(4096);
        assertThat(action.at("/log_rotation/keep").asInt()).isEqualTo(100);
        assertThat(action.get("log_files").get(0).asText()).isEqualTo(log.toString());
        assertThat(action.get("log_files").get(1).asText()).isEqualTo(log + ".1");

        JsonNode lines = d.result("service.logs", Map.of("name", "flood", "lines", 5000)).get("lines");
        assertThat(lines.size()).isEqualTo(5000); // more than the live file holds: the rotated ones continue it
        assertThat(lines.get(4999).asText()).isEqualTo(lastLine);
    }

    /**
     * Bursts of 1001-byte lines until told to stop: 1001 and 4096 have no common factor, so a rotation (whole 4 KiB
     * blocks) cuts a line in two at every rotated file's end, and the last lines asked for reach from the live file
     * into .1 without reaching .1's start.
     */
    @Test
    void theLastLinesAcrossARotatedFileAreWholeAndInOrderWhateverHowMany() {
        Path stopFile = d.home.resolve("enough");
        String bursts = "i=0; while [ ! -e " + stopFile + " ]; do j=0; while [ $j -lt 40 ]; do i=$((i+1)); j=$((j+1)); "
                + "printf 'line %06d %0988d\\n' $i 0; done; sleep 0.3; done; echo last; exec sleep 1000";
        d.result("service.create", Map.of("name", "bursts", "argv", List.of("/bin/sh", "-c", bursts),
                "log_rotation", Map.of("max_bytes", 4096, "keep", 100)));
        Path log = d.home.resolve("var/log/bursts/main.log");
        await().atMost(BOUND).until(() -> LogRotation.rotatedFiles(log).size() >= 2);
        write(stopFile);
        await().atMost(BOUND).until(() -> lastLines(1).equals(List.of("last")));

        for (int n = 2; n <= 100; n++) {
            List<String> lines = lastLines(n);
            assertThat(lines).as("last %d", n).hasSize(n).endsWith("last");
            long first = Long.parseLong(lines.getFirst().substring("line ".length(), "line 000000".length()));
            for (int i = 0; i < n - 1; i++) {
                assertThat(lines.get(i)).as("last %d, line %d", n, i).isEqualTo(String.format("line %06d %0988d", first + i, 0));
            }
        }
    }

    private List<String> lastLines(int n) {
        JsonNode lines = d.result("service.logs", Map.of("name", "bursts", "lines", n, "stream", "stdout")).get("lines");
        var out = new ArrayList<String>();
        for (JsonNode l : lines) out.add(l.asText());
        return out;
    }

    private static void write(Path f) {
        try {
            Files.writeString(f, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void defaultsAreShownAndBadSettingsAreRefusedNamingTheField() {
        d.result("service.create", Map.of("name", "quiet", "argv", List.of("/bin/sleep", "1000"), "start", false));
        JsonNode rotation = d.result("service.inspect", Map.of("name", "quiet")).at("/actions/0/log_rotation");
        assertThat(rotation.get("max_bytes").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(rotation.get("keep").asInt()).isEqualTo(5);

        JsonNode bad = d.call("service.create", Map.of("name", "bad", "argv", List.of("/bin/true"), "log_rotation", Map.of("keep", 0)));
        assertThat(bad.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(bad.at("/error/message").asText()).contains("keep");
        bad = d.call("service.create", Map.of("name", "bad", "argv", List.of("/bin/true"), "log_rotation", Map.of("max_bytes", 10)));
        assertThat(bad.at("/error/message").asText()).contains("max_bytes");
        bad = d.call("service.create", Map.of("name", "bad", "argv", List.of("/bin/true"), "log_rotation", Map.of("size", 10)));
        assertThat(bad.at("/error/message").asText()).contains("size");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

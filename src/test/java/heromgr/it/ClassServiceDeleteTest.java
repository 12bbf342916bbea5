package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.proc.os.PosixSignals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * service.delete of a class-defined service (hero_echo, really built and installed): it stops, its runtime state and,
 * when asked, its binaries go, but the service stays registered (it is code). A transient dependent blocks it
 * until cascade.
 */
class ClassServiceDeleteTest {
    static TestDaemon d;
    static final List<Long> pids = new ArrayList<>();

    @BeforeAll
    static void up() throws IOException {
        d = TestDaemon.startBuilding();
    }

    @AfterAll
    static void down() throws IOException {
        try {
            d.close();
        } finally {
            for (long pid : pids) PosixSignals.kill(pid, 9);
        }
    }

    @Test
    void deleteWithCascadeAndPurgeStopsForgetsAndRemovesTheBinaries() {
        d.result("service.build", Map.of("name", "hero_echo"));
        d.result("service.install", Map.of("name", "hero_echo"));
        Path binary = d.paths.bin().resolve("hero_echo_server");
        Path record = d.home.resolve("var/heromgr/installed/hero_echo.json");
        assertThat(binary).exists();
        d.result("service.start", Map.of("name", "hero_echo"));
        long echo = pid("hero_echo");
        d.result("service.create", Map.of("name", "echo_client", "argv", List.of("/bin/sleep", "100000.77"),
                "depends_on", List.of("hero_echo")));
        long client = pid("echo_client");

        JsonNode refused = d.call("service.delete", Map.of("name", "hero_echo", "purge_binaries", true));
        assertThat(refused.at("/error/code").asInt()).isEqualTo(-32010);
        assertThat(refused.at("/error/data/dependents/0").asText()).isEqualTo("echo_client");
        assertThat(binary).exists();
        assertThat(TransientServiceTest.alive(echo)).isTrue();

        JsonNode deleted = d.result("service.delete", Map.of("name", "hero_echo", "purge_binaries", true, "cascade", true));
        assertThat(deleted.get("removed").toString()).isEqualTo("[\"echo_client\",\"hero_echo\"]");
        assertThat(deleted.get("purged_binaries").get(0).asText()).isEqualTo(binary.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> !TransientServiceTest.alive(echo) && !TransientServiceTest.alive(client));
        assertThat(binary).doesNotExist();
        assertThat(record).doesNotExist();
        assertThat(d.result("service.list", null).findValuesAsText("name")).containsExactly("hero_echo");
        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).get("installed").isNull()).isTrue();
    }

    private static long pid(String name) {
        JsonNode status = d.result("service.status", Map.of("name", name));
        assertThat(status.get("state").asText()).isEqualTo("RUNNING");
        long pid = status.at("/actions/0/pid").asLong();
        pids.add(pid);
        return pid;
    }
}

package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.service.HeroService;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static heromgr.testkit.ProcFs.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * service.delete of a class-defined service (hero_echo, really built and installed): it stops, its runtime state and,
 * when asked, its binaries go, but the service stays registered (it is code). A transient dependent blocks it
 * until cascade.
 */
class ClassServiceDeleteTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withBuildingDaemon();
    static final TestDaemon d = daemons.daemon();

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
        assertThat(running(echo)).isTrue();

        JsonNode deleted = d.result("service.delete", Map.of("name", "hero_echo", "purge_binaries", true, "cascade", true));
        // the transient dependent is gone; the class is code: stopped and kept, not removed
        assertThat(deleted.get("removed").toString()).isEqualTo("[\"echo_client\"]");
        assertThat(deleted.get("kept").toString()).isEqualTo("[\"hero_echo\"]");
        assertThat(deleted.get("purged_binaries").get(0).asText()).isEqualTo(binary.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> !running(echo) && !running(client));
        assertThat(binary).doesNotExist();
        assertThat(record).doesNotExist();
        // the class-defined services, and nothing else
        assertThat(d.result("service.list", null).findValuesAsText("name"))
                .containsExactlyInAnyOrderElementsOf(Services.all().stream().map(HeroService::name).toList());
        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).get("installed").isNull()).isTrue();
    }

    private static long pid(String name) {
        JsonNode status = d.result("service.status", Map.of("name", name));
        assertThat(status.get("state").asText()).isEqualTo("RUNNING");
        long pid = status.at("/actions/0/pid").asLong();
        daemons.killAtEnd(pid);
        return pid;
    }
}

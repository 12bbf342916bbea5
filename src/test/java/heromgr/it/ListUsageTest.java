package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** service.list with usage against a real daemon: pid, uptime, restarts, CPU and memory of real processes. */
class ListUsageTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();

    @BeforeAll
    static void aBusyAnIdleAndAStoppedService() {
        d.result("service.create", Map.of("name", "t_busy", "argv", List.of("/bin/sh", "-c", "while :; do :; done")));
        d.result("service.create", Map.of("name", "t_idle", "argv", List.of("/bin/sleep", "300")));
        d.result("service.create", Map.of("name", "t_off", "argv", List.of("/bin/sleep", "300"), "start", false));
    }

    @AfterAll
    static void deleteThem() {
        for (String name : List.of("t_busy", "t_idle", "t_off")) d.result("service.delete", Map.of("name", name));
    }

    private static JsonNode row(String name, boolean usage) {
        for (JsonNode s : d.result("service.list", Map.of("usage", usage))) {
            if (s.path("name").asText().equals(name)) return s;
        }
        throw new AssertionError(name + " not listed");
    }

    @Test
    void aBusyServiceShowsItsCpuAndEveryRunningOneItsMemory() {
        // the rate is taken over a second or more: the first looks give the average since start, later ones a window
        await().atMost(BOUND).pollInterval(Duration.ofMillis(300)).until(() -> row("t_busy", true).path("cpu_percent").asDouble() > 20);
        JsonNode busy = row("t_busy", true);
        JsonNode idle = row("t_idle", true);
        assertThat(idle.path("cpu_percent").asDouble()).isLessThan(busy.path("cpu_percent").asDouble());
        assertThat(busy.path("memory_bytes").asLong()).isPositive();
        assertThat(idle.path("memory_bytes").asLong()).isPositive();
        assertThat(idle.path("uptime_ms").asLong()).isNotNegative();
        assertThat(idle.path("pid").asLong()).isPositive();

        JsonNode off = row("t_off", true);
        assertThat(off.path("pid").isNull()).isTrue();
        assertThat(off.path("uptime_ms").isNull()).isTrue();
        assertThat(off.path("cpu_percent").isNull()).isTrue();
        assertThat(off.path("memory_bytes").isNull()).isTrue();

        JsonNode unasked = row("t_busy", false);
        assertThat(unasked.path("cpu_percent").isNull()).as("usage is read only when asked for").isTrue();
        assertThat(unasked.path("memory_bytes").isNull()).isTrue();
        assertThat(unasked.path("uptime_ms").isNumber()).isTrue();
    }

    @Test
    void aCrashCountsAsARestart() {
        JsonNode before = row("t_idle", false);
        long pid = before.path("pid").asLong();
        int restarts = before.path("restarts").asInt();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(BOUND).until(() -> {
            JsonNode now = row("t_idle", false);
            return now.path("pid").asLong() != pid && now.path("pid").asLong() > 0 && now.path("restarts").asInt() == restarts + 1;
        });
    }
}

package heromgr.services;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.ProcFs;
import heromgr.testkit.TestDaemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Start and stop of one service of a test daemon, each checked: started healthy (its pid killed after the test), stopped and gone. */
record ServiceSteps(DaemonExtension daemons, TestDaemon d, String name, Duration bound) {

    /** The server's pid. */
    long startHealthy() {
        JsonNode start = d.result("service.start", Map.of("name", name, "timeout_ms", bound.toMillis()));
        assertThat(start.get("healthy").asBoolean()).isTrue();
        return daemons.killAtEnd(d.result("service.status", Map.of("name", name)).at("/actions/0/pid").asLong());
    }

    /** The process runs as the service's account when there is one (a root daemon), else as the daemon's user. */
    void assertRunsAs(long pid, Optional<SystemAccount> account) throws IOException {
        if (account.isPresent()) {
            assertThat(ProcFs.read(Path.of("/proc/" + pid + "/status"))).containsPattern("Uid:\\s+" + account.get().uid() + "\\s");
        }
    }

    void stop(long pid) {
        d.result("service.stop", Map.of("name", name));
        await().atMost(bound).until(() -> !ProcFs.running(pid));
    }
}

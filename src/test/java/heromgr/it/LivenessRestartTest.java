package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.RestartPolicy;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static heromgr.testkit.ProcFs.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A liveness kill through the real daemon: the run failed its checks, whatever it exits with. */
class LivenessRestartTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    /**
     * Exits 0 on SIGTERM, as a well-behaved server does, restarted on failure, and its check (a file in the home that
     * never exists) fails: after two counted failures the monitor kills it.
     */
    static CommandService graceful() {
        HealthPolicy policy = new HealthPolicy(Duration.ofMillis(100), 1, Duration.ZERO, 2);
        return new CommandService("graceful", List.of("/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.05; done"),
                List.of(), RestartPolicy.onFailure(), false, (ctx, a) -> a.withHealth(
                List.of(new HealthCheck.Exec(List.of("/usr/bin/test", "-e", ctx.paths().home().resolve("alive").toString()),
                        Duration.ofSeconds(5))), policy));
    }

    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(graceful()), Map.of());
    final TestDaemon d = daemons.daemon();

    @Test
    void aRunKilledForFailingItsLivenessCheckIsRestartedOnFailureEvenThoughItExitedZero() {
        d.result("service.start", Map.of("name", "graceful", "wait", false));
        long first = daemons.killAtEnd(action().get("pid").asLong());

        await().atMost(BOUND).until(() -> !running(first));
        await().atMost(BOUND).until(() -> action().get("restart_count").asInt() >= 1 && action().get("pid").asLong() != 0);
        JsonNode restarted = action();
        daemons.killAtEnd(restarted.get("pid").asLong());
        assertThat(restarted.get("pid").asLong()).isNotEqualTo(first);
        d.result("service.stop", Map.of("name", "graceful"));
        assertThat(action().get("state").asText()).isEqualTo("STOPPED");
    }

    private JsonNode action() {
        return d.result("service.status", Map.of("name", "graceful")).at("/actions/0");
    }
}

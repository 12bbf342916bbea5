package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.bundle.Replacement;
import heromgr.fs.HeroPaths;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import heromgr.testkit.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real daemon JVM started with --stop-services-on-exit: SIGTERM stops its services, unless the daemon finds itself
 * marked as being replaced (what `heromgr self upgrade` writes before it stops it), when they keep running for the
 * daemon that replaces it. And a daemon under heromgr's systemd unit says so on GET /health, which is how the upgrade
 * knows to go through systemctl.
 */
class StopForReplacementTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void aDaemonMarkedAsBeingReplacedLeavesItsServicesRunning() throws Exception {
        Path home = daemons.root().resolve("home");
        DaemonProcess d = daemons.launch(home, Map.of(), List.of("--stop-services-on-exit")).awaitServing();
        long sleeper = sleeper(d);
        new Replacement(HeroPaths.fromEnvironment(Map.of(), home)).mark(d.process.pid());
        stop(d);
        assertThat(ProcFs.running(sleeper)).as("the service of a daemon stopped to be replaced").isTrue();
        assertThat(d.stderrText()).contains("shutting down to be replaced");

        DaemonProcess next = daemons.launch(home, Map.of(), List.of("--stop-services-on-exit")).awaitServing();
        assertThat(next.result("service.status", Map.of("name", "sleeper")).at("/actions/0/pid").asLong())
                .as("adopted by the next daemon").isEqualTo(sleeper);
        stop(next);
        await().atMost(BOUND).until(() -> !ProcFs.running(sleeper));
    }

    @Test
    void aMarkNamingAnotherDaemonChangesNothing() throws Exception {
        Path home = daemons.root().resolve("home");
        DaemonProcess d = daemons.launch(home, Map.of(), List.of("--stop-services-on-exit")).awaitServing();
        long sleeper = sleeper(d);
        new Replacement(HeroPaths.fromEnvironment(Map.of(), home)).mark(d.process.pid() + 1);
        stop(d);
        await().atMost(BOUND).until(() -> !ProcFs.running(sleeper));
    }

    /**
     * The unit gives the daemon TimeoutStopSec=120s and kills only the daemon (KillMode=process): services stopped one
     * after the other, each waited on for its stop timeout, would outlast it and be left running.
     */
    @Test
    void aDaemonStoppingItsServicesOnExitStopsThemAllAtOnce() throws Exception {
        Path home = daemons.root().resolve("home");
        DaemonProcess d = daemons.launch(home, Map.of(), List.of("--stop-services-on-exit")).awaitServing();
        var pids = new ArrayList<Long>();
        for (int i = 0; i < 4; i++) {
            d.result("service.create", Map.of("name", "stubborn" + i,
                    "argv", List.of("/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.05; done")));
            pids.add(daemons.killAtEnd(d.result("service.status", Map.of("name", "stubborn" + i)).at("/actions/0/pid").asLong()));
        }
        long t0 = System.nanoTime();
        stop(d);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(pids).noneMatch(ProcFs::running);
        // each ignores SIGTERM for its whole stop timeout (10 s): one after the other took 40 s
        assertThat(took).isLessThan(Duration.ofSeconds(25));
    }

    @Test
    void aDaemonUnderHeromgrsUnitNamesItOnHealth() throws Exception {
        Map<String, String> systemd = Map.of("HEROMGR_SYSTEMD_UNIT", "heromgr.service", "HEROMGR_SYSTEMD_SCOPE", "user",
                "INVOCATION_ID", UUID.randomUUID().toString().replace("-", ""), "NOTIFY_SOCKET", daemons.root().resolve("none").toString());
        JsonNode health = health(daemons.launch(daemons.root().resolve("unit"), systemd).awaitServing());
        assertThat(health.path("systemd_unit").asText()).isEqualTo("heromgr.service");
        assertThat(health.path("systemd_scope").asText()).isEqualTo("user");

        // the unit's variables alone (exported by hand in a shell) are not systemd
        Map<String, String> byHand = Map.of("HEROMGR_SYSTEMD_UNIT", "heromgr.service", "HEROMGR_SYSTEMD_SCOPE", "user");
        assertThat(health(daemons.launch(daemons.root().resolve("hand"), byHand).awaitServing()).has("systemd_unit")).isFalse();
    }

    private long sleeper(DaemonProcess d) {
        d.result("service.create", Map.of("name", "sleeper", "argv", List.of("/bin/sleep", "600")));
        return daemons.killAtEnd(d.result("service.status", Map.of("name", "sleeper")).at("/actions/0/pid").asLong());
    }

    private static void stop(DaemonProcess d) throws InterruptedException {
        d.process.destroy();
        assertThat(d.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the daemon stopped").isTrue();
    }

    private static JsonNode health(DaemonProcess d) throws Exception {
        return JsonCodec.MAPPER.readTree(d.client().http("GET", "/health", null).body());
    }
}

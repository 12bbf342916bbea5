package heromgr.proc.health;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.HealthCheck;
import heromgr.proc.HealthPolicy;
import heromgr.proc.HealthResult;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.Signal;
import heromgr.proc.embedded.EmbeddedSupervisor;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The supervisor's health monitor with real processes: readiness, unhealthy after retries, liveness restarts. */
class HealthMonitorTest {
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final Duration FAST = Duration.ofMillis(100);

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private final EmbeddedSupervisor sup = fixture.supervisor();

    private ActionSpec action(List<HealthCheck> checks, HealthPolicy policy, String... argv) {
        return ActionSpec.process("server", List.of(argv), Map.of(), tmp, tmp.resolve("server.log"))
                .withRestart(new RestartPolicy(RestartPolicy.Mode.ALWAYS, FAST)).withHealth(checks, policy);
    }

    private ActionStatus start(ActionSpec action) {
        ActionStatus s = sup.start(new ServiceSpec("svc", List.of(action))).getFirst();
        fixture.killAfter(s.pid());
        return s;
    }

    private ActionStatus status() {
        ActionStatus s = sup.status("svc").getFirst();
        fixture.killAfter(s.pid());
        return s;
    }

    /** A check that passes while the file exists: the test flips health without touching the process. */
    private HealthCheck fileExists(Path file) {
        return new HealthCheck.Exec(List.of("/usr/bin/test", "-e", file.toString()), Duration.ofSeconds(5));
    }

    @Test
    void anActionWithoutChecksShowsNoHealth() {
        ActionStatus s = start(ActionSpec.process("server", List.of("/bin/sleep", "60"), Map.of(), tmp, tmp.resolve("server.log")));
        assertThat(s.healthy()).isNull();
        assertThat(s.health()).isEmpty();
    }

    @Test
    void readinessTurnsHealthyOnceTheChecksPass() throws IOException {
        Path ready = tmp.resolve("ready");
        ActionStatus first = start(action(List.of(fileExists(ready)), HealthPolicy.defaults(), "/bin/sleep", "60"));
        assertThat(first.healthy()).isFalse();

        await().atMost(BOUND).until(() -> !status().health().isEmpty());
        assertThat(status().healthy()).isFalse();
        assertThat(status().health().getFirst().ok()).isFalse();

        Files.createFile(ready);
        // the default interval is 10 s; probing before the first success is fast, so this takes milliseconds, not seconds
        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(status().healthy()));
        HealthResult r = status().health().getFirst();
        assertThat(r.ok()).isTrue();
        assertThat(r.kind()).isEqualTo("exec");
    }

    @Test
    void aHealthyActionTurnsUnhealthyAfterItsRetriesAndIsNotRestartedWithoutLiveness() throws IOException {
        Path ready = Files.createFile(tmp.resolve("ready"));
        HealthPolicy policy = new HealthPolicy(FAST, 2, Duration.ZERO, 0);
        long pid = start(action(List.of(fileExists(ready)), policy, "/bin/sleep", "60")).pid();
        await().atMost(BOUND).until(() -> Boolean.TRUE.equals(status().healthy()));

        Files.delete(ready);
        await().atMost(BOUND).until(() -> Boolean.FALSE.equals(status().healthy()));
        assertThat(status().pid()).isEqualTo(pid);
        assertThat(status().restartCount()).isZero();

        Files.createFile(ready);
        await().atMost(BOUND).until(() -> Boolean.TRUE.equals(status().healthy()));
    }

    @Test
    void livenessRestartsAProcessWhoseCheckKeepsFailing() throws IOException {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort(); // nothing listens there once closed
        }
        HealthPolicy policy = new HealthPolicy(FAST, 1, Duration.ZERO, 2);
        long first = start(action(List.of(HealthCheck.Tcp.of(port)), policy, "/bin/sleep", "60")).pid();

        await().atMost(BOUND).until(() -> status().restartCount() >= 1 && status().state() == ActionState.RUNNING);
        ActionStatus s = status();
        assertThat(s.pid()).isNotEqualTo(first);
        assertThat(s.lastExit().signal()).isEqualTo(Signal.TERM.number());
        assertThat(s.lastExit().requested()).as("a liveness kill is an unexpected exit").isFalse();
        assertThat(ProcFs.running(first)).isFalse();
    }

    @Test
    void failuresWithinTheStartPeriodDoNotCount() {
        HealthPolicy policy = new HealthPolicy(FAST, 1, Duration.ofMinutes(5), 1);
        long pid = start(action(List.of(new HealthCheck.Exec(List.of("/bin/false"), Duration.ofSeconds(5))), policy, "/bin/sleep", "60")).pid();

        await().atMost(BOUND).until(() -> !status().health().isEmpty());
        // probed and failing for a second, at 100 ms intervals: no restart
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> status().pid() == pid);
        assertThat(status().restartCount()).isZero();
    }

    @Test
    void resultsProbedOutsideTheMonitorAreShownAndFailuresFromThemDoNotCount() throws IOException {
        Path ready = Files.createFile(tmp.resolve("ready"));
        HealthCheck check = fileExists(ready);
        start(action(List.of(check), new HealthPolicy(Duration.ofHours(1), 1, Duration.ZERO, 1), "/bin/sleep", "60"));
        await().atMost(BOUND).until(() -> Boolean.TRUE.equals(status().healthy()));

        Files.delete(ready);
        List<HealthResult> probed = sup.probe("svc", List.of(check));

        assertThat(probed).singleElement().satisfies(r -> assertThat(r.ok()).isFalse());
        assertThat(status().health()).containsExactlyElementsOf(probed);
        assertThat(status().healthy()).isTrue();
        assertThat(status().restartCount()).isZero();
    }

    @Test
    void aStoppedActionIsNotHealthyAndProbingResumesOnTheNextStart() throws IOException {
        Path ready = Files.createFile(tmp.resolve("ready"));
        ActionSpec a = action(List.of(fileExists(ready)), HealthPolicy.defaults(), "/bin/sleep", "60");
        start(a);
        await().atMost(BOUND).until(() -> Boolean.TRUE.equals(status().healthy()));

        sup.stop("svc");
        assertThat(status().healthy()).isFalse();

        start(a);
        await().atMost(BOUND).until(() -> Boolean.TRUE.equals(status().healthy()));
    }

    @Test
    void aRunRestartedByItsPolicyIsProbedAtOnceNotAfterTheInterval() throws IOException {
        Path ready = Files.createFile(tmp.resolve("ready"));
        long first = start(action(List.of(fileExists(ready)), HealthPolicy.defaults(), "/bin/sleep", "60")).pid();
        await().atMost(BOUND).until(() -> Boolean.TRUE.equals(status().healthy()));

        PosixSignals.kill(first, 9);

        await().atMost(BOUND).until(() -> status().pid() != first && status().state() == ActionState.RUNNING);
        // the interval is 10 s: readiness of the new run within 5 s means it was noticed and probed fast
        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(status().healthy()));
    }
}

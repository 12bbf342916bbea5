package heromgr.manager;

import heromgr.manager.Results.StartResult;
import heromgr.testkit.ApiFailure;
import heromgr.testkit.InMemorySupervisor.Call;
import heromgr.testkit.InMemorySupervisor.Outcome;
import heromgr.testkit.ManagerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * service.start with wait, on the manager alone: it answers once the supervisor's monitor judges the service healthy,
 * fails at once with START_FAILED when the process dies meanwhile, and with TIMEOUT when it never turns healthy.
 */
class ReadinessWaitTest {
    /** Far longer than any answer below may take: an answer within BOUND came from an event, not from the timeout. */
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final ManagerFixture fx = new ManagerFixture(ReleasedService.of("app"));

    /** The call on a thread of its own, handed back once its process was spawned, so the wait is under way. */
    <T> CompletableFuture<T> whileWaiting(Supplier<T> call) {
        CompletableFuture<T> answer = CompletableFuture.supplyAsync(call);
        await().atMost(BOUND).until(() -> fx.supervisor.calls("start").contains("app"));
        assertThat(answer).as("waiting").isNotDone();
        return answer;
    }

    @Test
    void aStartAnswersOnceTheMonitorJudgesTheServiceHealthy() throws Exception {
        fx.supervisor.script("app", Outcome.unhealthy());
        CompletableFuture<StartResult> answer = whileWaiting(() -> fx.manager.start("app", true, LONG, false));
        fx.supervisor.turnHealthy("app", "server");
        StartResult r = answer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.healthy()).isTrue();
        assertThat(r.started()).containsExactly("server");
        assertThat(r.state()).isEqualTo("RUNNING");
    }

    @Test
    void aProcessThatDiesDuringTheWaitFailsTheStartAtOnce() throws Exception {
        fx.supervisor.script("app", Outcome.unhealthy());
        CompletableFuture<ApiFailure> answer = whileWaiting(() -> ApiFailure.of(() -> fx.manager.start("app", true, LONG, false)));
        fx.supervisor.exit("app", "server", 3);
        ApiFailure f = answer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(f.code()).isEqualTo(-32004);
        assertThat(f.message()).contains("app: action server exited during start (exit code 3)");
    }

    @Test
    void aProcessThatDiesRightAfterItsSpawnFailsTheStart() {
        fx.supervisor.script("app", Outcome.crashes(2));
        ApiFailure f = ApiFailure.of(() -> fx.manager.start("app", true, LONG, false));
        assertThat(f.code()).isEqualTo(-32004);
        assertThat(f.message()).contains("exited during start (exit code 2)");
        assertThat(fx.manager.status("app").state()).isEqualTo("BACKOFF");
    }

    @Test
    void aSpawnThatFailsIsAStartFailureNamingTheAction() {
        fx.supervisor.script("app", Outcome.spawnFails("not executable"));
        ApiFailure f = ApiFailure.of(() -> fx.manager.start("app", true, LONG, false));
        assertThat(f.code()).isEqualTo(-32004);
        assertThat(f.message()).isEqualTo("app: action server: not executable");
    }

    @Test
    void aServiceNeverJudgedHealthyTimesOutAndKeepsRunning() {
        fx.supervisor.script("app", Outcome.unhealthy());
        ApiFailure f = ApiFailure.of(() -> fx.manager.start("app", true, Duration.ofMillis(300), false));
        assertThat(f.code()).isEqualTo(-32005);
        assertThat(f.message()).contains("app did not become healthy within 300 ms");
        assertThat(fx.manager.status("app").state()).isEqualTo("RUNNING");
    }

    @Test
    void withoutWaitTheStartAnswersOnceSpawned() {
        fx.supervisor.script("app", Outcome.unhealthy());
        StartResult r = fx.manager.start("app", false, LONG, false);
        assertThat(r.started()).containsExactly("server");
        assertThat(r.healthy()).as("the monitor's verdict so far").isFalse();
    }

    @Test
    void aServiceWithoutChecksIsReadyOnceSpawned() {
        fx.create("plain", List.of(), false, LONG);
        StartResult r = fx.manager.start("plain", true, LONG, false);
        assertThat(r.healthy()).isTrue();
    }

    @Test
    void aStartAnswersOnlyOnceItsNewRunIsPersisted() {
        fx.manager.start("app", true, LONG, false);
        assertThat(fx.supervisor.calls()).containsSubsequence(new Call("start", "app"), new Call("awaitPersisted", null));
        int before = fx.supervisor.calls("awaitPersisted").size();
        fx.manager.start("app", true, LONG, false);
        assertThat(fx.supervisor.calls("awaitPersisted")).as("nothing new to persist").hasSize(before);
    }

    @Test
    void aRestartWaitsForTheNewRunToo() {
        fx.manager.start("app", true, LONG, false);
        fx.supervisor.script("app", Outcome.unhealthy());
        ApiFailure f = ApiFailure.of(() -> fx.manager.restart("app", Duration.ofMillis(200)));
        assertThat(f.code()).isEqualTo(-32005);
        assertThat(fx.supervisor.changes()).containsExactly("start app", "stop app", "start app");
    }
}

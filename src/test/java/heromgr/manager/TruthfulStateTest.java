package heromgr.manager;

import heromgr.manager.Results.CreateResult;
import heromgr.manager.Results.DeleteResult;
import heromgr.manager.Results.HealthReport;
import heromgr.manager.Results.ServiceSummary;
import heromgr.testkit.ApiFailure;
import heromgr.testkit.InMemorySupervisor.Outcome;
import heromgr.testkit.ManagerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the manager says about a service is what is true of it: a service not running is never healthy (whatever its
 * checks would answer), health events say only changes, a command that exits at once fails its create, and a delete
 * says what is gone and what stays.
 */
class TruthfulStateTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** db is class-defined with a health check its one action carries; transient ones are made by the tests. */
    @RegisterExtension
    final ManagerFixture fx = new ManagerFixture(ReleasedService.of("db"));

    private ServiceSummary listed(String name) {
        return fx.manager.list().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aCrashLoopingServiceIsNeitherHealthyNorListedAsHealthy() {
        fx.manager.start("db", false, TIMEOUT, false);
        assertThat(fx.manager.health("db").ok()).isTrue();
        fx.supervisor.exit("db", "server", 1);

        HealthReport h = fx.manager.health("db");
        assertThat(h.ok()).isFalse();
        assertThat(h.state()).isEqualTo("BACKOFF");
        // its checks are not probed: whatever answers on its socket now is not the service
        assertThat(h.checks()).isEmpty();
        assertThat(listed("db").state()).isEqualTo("BACKOFF");
        assertThat(listed("db").healthy()).isFalse();
    }

    @Test
    void aServiceWithoutChecksIsHealthyOnlyWhileItRuns() {
        fx.create("web", List.of(), true, TIMEOUT);
        assertThat(fx.manager.health("web").ok()).isTrue();
        fx.supervisor.exit("web", "main", 0);
        assertThat(fx.manager.health("web").ok()).isFalse();
        fx.manager.stop("web", false);
        assertThat(fx.manager.health("web").ok()).isFalse();
        assertThat(listed("web").healthy()).isFalse();
    }

    @Test
    void healthEventsSayOnlyChangesAndAFirstFailingProbeIsNone() throws InterruptedException {
        fx.supervisor.script("db", Outcome.unhealthy());
        try (EventBus.Subscription sub = fx.manager.events().subscribe(Set.of("health"), Set.of("db"))) {
            fx.manager.start("db", false, TIMEOUT, false);
            fx.manager.health("db");
            fx.supervisor.turnHealthy("db", "server");
            fx.manager.health("db");
            fx.manager.health("db");
            fx.supervisor.turnUnhealthy("db", "server");
            fx.manager.health("db");
            fx.manager.stop("db", false);
            fx.manager.health("db");
            assertThat(serviceHealthEvents(sub)).containsExactly(true, false);
        }
    }

    /** The "ok" of each health event service.health published (those of the supervisor's monitor name an action). */
    private static List<Boolean> serviceHealthEvents(EventBus.Subscription sub) throws InterruptedException {
        List<Boolean> oks = new ArrayList<>();
        for (Event e = sub.next(Duration.ZERO); e != null; e = sub.next(Duration.ZERO)) {
            Map<?, ?> data = (Map<?, ?>) e.data();
            if (!data.containsKey("action")) oks.add((Boolean) data.get("ok"));
        }
        return oks;
    }

    @Test
    void aCommandThatExitsAtOnceFailsItsCreateAndLeavesNothing() {
        fx.supervisor.script("web", Outcome.crashes(1));
        ApiFailure f = ApiFailure.of(() -> fx.create("web", List.of(), true, TIMEOUT));
        assertThat(f.code()).isEqualTo(-32004);
        assertThat(f.message()).contains("web: action main exited during start");
        assertThat(fx.listed()).doesNotContain("web");
    }

    @Test
    void aCommandThatStaysUpIsCreatedRunningAfterTheSettleWindow() {
        long t0 = System.nanoTime();
        CreateResult r = fx.create("web", List.of(), true, TIMEOUT);
        assertThat(r.state()).isEqualTo("RUNNING");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(ManagerFixture.RUN_SETTLE);
    }

    @Test
    void deletingAServiceClassSaysItIsKeptNotRemoved() {
        fx.manager.start("db", false, TIMEOUT, false);
        fx.create("web", List.of(), false, TIMEOUT);
        DeleteResult db = fx.manager.delete("db", false, false);
        assertThat(db.removed()).isEmpty();
        assertThat(db.kept()).containsExactly("db");
        assertThat(fx.listed()).contains("db");
        assertThat(fx.manager.status("db").state()).isEqualTo("STOPPED");

        DeleteResult web = fx.manager.delete("web", false, false);
        assertThat(web.removed()).containsExactly("web");
        assertThat(web.kept()).isEmpty();
        assertThat(fx.listed()).doesNotContain("web");
    }
}

package heromgr.manager;

import heromgr.api.InstallMode;
import heromgr.manager.Results.HealthReport;
import heromgr.manager.Results.RestartResult;
import heromgr.manager.Results.ServiceSummary;
import heromgr.manager.Results.StartResult;
import heromgr.manager.Results.StatusReport;
import heromgr.manager.Results.StopResult;
import heromgr.testkit.ApiFailure;
import heromgr.testkit.ManagerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What start, stop, restart, status, list and health answer, on the manager alone: a repeated start or stop changes
 * nothing and says so, an unknown name is named, and status and list show what the supervisor reports.
 */
class IdempotentAnswersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    final ManagerFixture fx = new ManagerFixture(ReleasedService.of("app"));

    long pid() {
        return fx.manager.status("app").actions().getFirst().pid();
    }

    ServiceSummary listed() {
        return fx.manager.list().getFirst();
    }

    @Test
    void aStartOfARunningServiceReportsItAlreadyRunningAndSpawnsNothing() {
        StartResult first = fx.manager.start("app", true, TIMEOUT, false);
        assertThat(first.started()).containsExactly("server");
        assertThat(first.alreadyRunning()).isEmpty();
        long running = pid();

        StartResult again = fx.manager.start("app", true, TIMEOUT, false);
        assertThat(again.started()).isEmpty();
        assertThat(again.alreadyRunning()).containsExactly("server");
        assertThat(again.state()).isEqualTo("RUNNING");
        assertThat(pid()).isEqualTo(running);
    }

    @Test
    void aStopOfAStoppedServiceIsANoOp() {
        StopResult never = fx.manager.stop("app", false);
        assertThat(never.stopped()).isEmpty();
        assertThat(never.state()).isEqualTo("STOPPED");

        fx.manager.start("app", true, TIMEOUT, false);
        assertThat(fx.manager.stop("app", false).stopped()).containsExactly("server");
        StopResult again = fx.manager.stop("app", false);
        assertThat(again.stopped()).isEmpty();
        assertThat(again.state()).isEqualTo("STOPPED");
    }

    @Test
    void aRestartReplacesTheRun() {
        fx.manager.start("app", true, TIMEOUT, false);
        long old = pid();
        RestartResult r = fx.manager.restart("app", TIMEOUT);
        assertThat(r.state()).isEqualTo("RUNNING");
        assertThat(r.healthy()).isTrue();
        assertThat(pid()).isNotEqualTo(old);
        assertThat(fx.supervisor.changes()).containsExactly("start app", "stop app", "start app");
    }

    @Test
    void anUnknownNameIsNamedByEveryOperation() {
        List<Runnable> ops = List.of(
                () -> fx.manager.start("ghost", true, TIMEOUT, true),
                () -> fx.manager.stop("ghost", false),
                () -> fx.manager.restart("ghost", TIMEOUT),
                () -> fx.manager.status("ghost"),
                () -> fx.manager.health("ghost"),
                () -> fx.manager.delete("ghost", false, false),
                () -> fx.manager.upgrade("ghost", "v1", TIMEOUT, null));
        for (Runnable op : ops) {
            ApiFailure f = ApiFailure.of(op);
            assertThat(f.code()).isEqualTo(-32001);
            assertThat(f.message()).contains("ghost");
        }
        assertThat(fx.supervisor.changes()).isEmpty();
    }

    @Test
    void statusAndListShowWhatTheSupervisorReports() {
        StatusReport never = fx.manager.status("app");
        assertThat(never.state()).isEqualTo("STOPPED");
        assertThat(never.actions()).isEmpty();
        assertThat(listed().pid()).isNull();
        // never started, so not healthy: known without a probe
        assertThat(listed().healthy()).isFalse();

        fx.manager.install("app", InstallMode.DOWNLOAD, "v1", false, null);
        fx.manager.start("app", true, TIMEOUT, false);
        assertThat(listed().state()).isEqualTo("RUNNING");
        assertThat(listed().pid()).isEqualTo(pid());
        assertThat(listed().version()).isEqualTo("v1");
        assertThat(listed().healthy()).as("the monitor's verdict").isTrue();

        fx.supervisor.turnUnhealthy("app", "server");
        assertThat(listed().healthy()).isFalse();
    }

    @Test
    void healthIsTheSupervisorsProbeOfEveryCheck() {
        HealthReport stopped = fx.manager.health("app");
        assertThat(stopped.ok()).isFalse();
        assertThat(stopped.state()).isEqualTo("STOPPED");
        assertThat(stopped.checks()).as("a service not running is not probed").isEmpty();
        assertThat(fx.supervisor.calls("probe")).isEmpty();
        assertThat(listed().healthy()).isFalse();

        fx.manager.start("app", true, TIMEOUT, false);
        HealthReport running = fx.manager.health("app");
        assertThat(running.ok()).isTrue();
        assertThat(running.checks()).singleElement().satisfies(c -> assertThat(c.target()).contains("app/rpc.sock"));
        assertThat(fx.supervisor.calls("probe")).contains("app");
        fx.supervisor.turnUnhealthy("app", "server");
        assertThat(fx.manager.health("app").ok()).isFalse();
    }
}

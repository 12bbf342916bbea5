package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.Job;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.Signal;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Backoff, the start limit and job history with real processes. */
class RestartAndJobsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private final EmbeddedSupervisor sup = fixture.supervisor();

    private ActionSpec process(String name, RestartPolicy policy, String... argv) {
        return ActionSpec.process(name, List.of(argv), Map.of(), tmp, tmp.resolve(name + ".log")).withRestart(policy);
    }

    private ActionStatus status(String service) {
        ActionStatus s = sup.status(service).getFirst();
        fixture.killAfter(s.pid());
        return s;
    }

    @Test
    void aLoopWithNoDelayAndNoLimitIsHeldToTheDaemonsFloor() {
        RestartPolicy asFastAsAllowed = RestartPolicy.always().withBackoff(Duration.ZERO, 1.0, Duration.ZERO, 0)
                .withStablePeriod(Duration.ZERO).withStartLimit(0, Duration.ZERO);
        long began = System.nanoTime();
        sup.start(new ServiceSpec("loop", List.of(process("main", asFastAsAllowed, "/bin/sh", "-c", "exit 1"))));
        int past = RestartPolicy.CRASH_BURST + 8;

        await().atMost(Duration.ofSeconds(60)).until(() -> status("loop").restartCount() >= past);
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        sup.stop("loop");

        // a load can only slow the loop down: the floor is a lower bound on the time its restarts took
        assertThat(took).isGreaterThanOrEqualTo(RestartPolicy.CRASH_FLOOR.multipliedBy(past - RestartPolicy.CRASH_BURST - 1));
    }

    @Test
    void aCrashLoopEndsFailedAtTheStartLimitAndStartClearsIt() {
        RestartPolicy policy = RestartPolicy.always().withBackoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(50), 0)
                .withStartLimit(3, Duration.ofSeconds(60));
        ServiceSpec spec = new ServiceSpec("loop", List.of(process("main", policy, "/bin/sh", "-c", "exit 3")));
        sup.start(spec);

        await().atMost(BOUND).until(() -> status("loop").state() == ActionState.FAILED);

        ActionStatus s = status("loop");
        assertThat(s.reason()).isEqualTo("start limit hit: 3 starts in 60 s, last exit code 3");
        assertThat(s.restartCount()).isEqualTo(2);
        assertThat(s.jobs()).hasSize(3);
        assertThat(s.jobs()).extracting(Job::exitCode).containsExactly(3, 3, 3);
        assertThat(s.jobs()).extracting(Job::reason).containsExactly("exited", "exited", "start limit");
        assertThat(s.jobs()).extracting(Job::id).containsExactly(1L, 2L, 3L);

        ActionStatus again = sup.start(spec).getFirst();
        fixture.killAfter(again.pid());
        assertThat(again.state()).isEqualTo(ActionState.RUNNING);
        assertThat(again.reason()).isNull();
        assertThat(again.restartCount()).isZero();
        await().atMost(BOUND).until(() -> status("loop").state() == ActionState.FAILED);
        assertThat(status("loop").jobs()).hasSize(6); // the limit counts afresh: three more runs
    }

    @Test
    void eachRunIsAJobWithItsPidTimesAndHowItEnded() {
        ServiceSpec spec = new ServiceSpec("web", List.of(process("main", RestartPolicy.always(), "/bin/sleep", "1000")));
        long first = fixture.killAfter(sup.start(spec).getFirst().pid());
        assertThat(status("web").jobs()).singleElement().satisfies(j -> {
            assertThat(j.pid()).isEqualTo(first);
            assertThat(j.end()).isNull();
            assertThat(j.reason()).isNull();
        });

        PosixSignals.kill(first, Signal.KILL);
        // a crash after start is restarted at once (no backoff for the first one)
        await().atMost(BOUND).until(() -> status("web").state() == ActionState.RUNNING && status("web").pid() != first);
        long second = status("web").pid();
        sup.stop("web");

        List<Job> jobs = status("web").jobs();
        assertThat(jobs).hasSize(2);
        Job killed = jobs.get(0);
        assertThat(killed.reason()).isEqualTo("killed by signal 9");
        assertThat(killed.signal()).isEqualTo(9);
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(killed.end()).isAfterOrEqualTo(killed.start());
        Job stopped = jobs.get(1);
        assertThat(stopped.pid()).isEqualTo(second);
        assertThat(stopped.reason()).isEqualTo("stopped by request");
        assertThat(stopped.signal()).isEqualTo(15);
    }

    @Test
    void theHistoryKeepsOnlyTheLastTwentyRuns() {
        RestartPolicy fast = RestartPolicy.always().withBackoff(Duration.ZERO, 1.0, Duration.ZERO, 0).withStartLimit(0, Duration.ZERO);
        sup.start(new ServiceSpec("spin", List.of(process("main", fast, "/bin/true"))));

        await().atMost(BOUND).until(() -> status("spin").restartCount() >= 25);
        sup.stop("spin");

        List<Job> jobs = status("spin").jobs();
        assertThat(jobs).hasSize(20);
        assertThat(jobs.getFirst().id()).isGreaterThan(5);
        for (int i = 1; i < jobs.size(); i++) assertThat(jobs.get(i).id()).isEqualTo(jobs.get(i - 1).id() + 1);
    }
}

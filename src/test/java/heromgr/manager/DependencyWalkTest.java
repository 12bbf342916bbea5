package heromgr.manager;

import heromgr.manager.Results.StartResult;
import heromgr.manager.Results.StopResult;
import heromgr.proc.ActionKind;
import heromgr.proc.ActionSpec;
import heromgr.proc.RestartPolicy;
import heromgr.proc.Signal;
import heromgr.service.Ctx;
import heromgr.testkit.ApiFailure;
import heromgr.testkit.InMemorySupervisor.Outcome;
import heromgr.testkit.ManagerFixture;
import heromgr.testkit.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency walk of start and stop, on the manager alone: a chain and a diamond start bottom-up, a dependency
 * that fails stops the walk and is named, a stop is refused while dependents run, and a cascade stops dependents of
 * dependents first.
 */
class DependencyWalkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** app → cache → db. */
    @RegisterExtension
    final ManagerFixture chain = new ManagerFixture(ReleasedService.of("app", "cache"), ReleasedService.of("cache", "db"),
            ReleasedService.of("db"));
    /** top → left, right → base. */
    @RegisterExtension
    final ManagerFixture diamond = new ManagerFixture(ReleasedService.of("top", "left", "right"), ReleasedService.of("left", "base"),
            ReleasedService.of("right", "base"), ReleasedService.of("base"));
    /** app → setup, a one-shot. */
    @RegisterExtension
    final ManagerFixture afterSetup = new ManagerFixture(ReleasedService.of("app", "setup"), new Setup("setup"));

    static String state(ManagerFixture fx, String name) {
        return fx.manager.status(name).state();
    }

    /** A start of top with its dependencies, where dependency dep does what outcome says: refused, naming the dependency. */
    static ApiFailure walkFailing(ManagerFixture fx, String dep, Outcome outcome, String top) {
        fx.supervisor.script(dep, outcome);
        ApiFailure f = ApiFailure.of(() -> fx.manager.start(top, true, TIMEOUT, true));
        assertThat(f.code()).isEqualTo(-32006);
        assertThat(f.message()).contains(top + " needs " + dep + ", which did not start");
        return f;
    }

    /** Each service of the diamond once: first, then its two sides in either order (they go in parallel), then last. */
    static void assertDiamondOrder(List<String> order, String first, String last) {
        assertThat(order).hasSize(4);
        assertThat(order.getFirst()).isEqualTo(first);
        assertThat(order.subList(1, 3)).containsExactlyInAnyOrder("left", "right");
        assertThat(order.getLast()).isEqualTo(last);
    }

    @Test
    void aChainStartsFromTheBottomUp() {
        var fx = chain;
        StartResult r = fx.manager.start("app", true, TIMEOUT, true);
        assertThat(r.dependenciesStarted()).containsExactly("db", "cache");
        assertThat(r.started()).containsExactly("server");
        assertThat(r.healthy()).isTrue();
        assertThat(fx.supervisor.calls("start")).containsExactly("db", "cache", "app");

        StartResult again = fx.manager.start("app", true, TIMEOUT, true);
        assertThat(again.dependenciesStarted()).isEmpty();
        assertThat(again.alreadyRunning()).containsExactly("server");
    }

    @Test
    void aDiamondStartsItsBaseOnceFirstAndItsTopLast() {
        var fx = diamond;
        StartResult r = fx.manager.start("top", true, TIMEOUT, true);
        assertThat(r.dependenciesStarted()).containsExactly("base", "left", "right");
        assertDiamondOrder(fx.supervisor.calls("start"), "base", "top");
    }

    @Test
    void aDependencyThatCannotSpawnStopsTheWalkAndIsNamed() {
        var fx = chain;
        ApiFailure f = walkFailing(fx, "db", Outcome.spawnFails("bin/db_server: no such file"), "app");
        assertThat(f.message()).contains("no such file");
        assertThat(fx.supervisor.calls("start")).containsExactly("db");
        assertThat(state(fx, "cache")).isEqualTo("STOPPED");
        assertThat(state(fx, "app")).isEqualTo("STOPPED");
    }

    @Test
    void aDependencyThatCrashesDuringItsStartStopsTheWalkAndTheOnesBeforeItStay() {
        var fx = chain;
        ApiFailure f = walkFailing(fx, "cache", Outcome.crashes(3), "app");
        assertThat(f.message()).contains("exited during start (exit code 3)");
        assertThat(fx.supervisor.calls("start")).containsExactly("db", "cache");
        assertThat(state(fx, "db")).isEqualTo("RUNNING");
        assertThat(state(fx, "app")).isEqualTo("STOPPED");
    }

    @Test
    void aFailingSideOfADiamondKeepsTheTopFromStarting() {
        var fx = diamond;
        walkFailing(fx, "left", Outcome.crashes(1), "top");
        assertThat(fx.supervisor.calls("start")).doesNotContain("top");
    }

    @Test
    void withoutTheWalkAMissingDependencyIsNamed() {
        var fx = chain;
        ApiFailure f = ApiFailure.of(() -> fx.manager.start("cache", true, TIMEOUT, false));
        assertThat(f.code()).isEqualTo(-32006);
        assertThat(f.message()).contains("cache depends on db");
        assertThat(fx.supervisor.calls("start")).isEmpty();
    }

    @Test
    void aDependencyThatRunsButIsJudgedUnhealthyBlocks() {
        var fx = chain;
        fx.supervisor.script("db", Outcome.unhealthy());
        fx.manager.start("db", false, TIMEOUT, false);
        ApiFailure f = ApiFailure.of(() -> fx.manager.start("cache", true, TIMEOUT, true));
        assertThat(f.code()).isEqualTo(-32006);
        assertThat(f.message()).contains("cache depends on db, which is not running and healthy");

        fx.supervisor.turnHealthy("db", "server");
        assertThat(fx.manager.start("cache", true, TIMEOUT, true).started()).containsExactly("server");
    }

    /** A one-shot: runs /bin/true to its end, no health checks. */
    record Setup(String name) implements TestService {
        @Override
        public List<ActionSpec> actions(Ctx ctx) {
            return List.of(new ActionSpec("run", List.of("/bin/true"), Map.of(), ctx.paths().home(), ActionKind.ONESHOT, Signal.TERM,
                    Duration.ofSeconds(10), logDir(ctx).resolve("run.log"), RestartPolicy.onFailure()));
        }
    }

    @Test
    void aOneShotDependencyThatCompletedSatisfiesItsDependent() {
        var fx = afterSetup;
        fx.supervisor.script("setup", Outcome.crashes(1));
        fx.manager.start("setup", false, TIMEOUT, false);
        assertThat(state(fx, "setup")).isEqualTo("BACKOFF");
        assertThat(ApiFailure.of(() -> fx.manager.start("app", true, TIMEOUT, false)).code()).isEqualTo(-32006);

        fx.supervisor.script("setup", Outcome.completes());
        fx.manager.stop("setup", false);
        fx.manager.start("setup", false, TIMEOUT, false);
        assertThat(state(fx, "setup")).isEqualTo("EXITED");
        assertThat(fx.manager.start("app", true, TIMEOUT, false).state()).isEqualTo("RUNNING");
    }

    @Test
    void theWalkRunsAOneShotDependencyToItsSuccessfulEndOnceAndThenStartsTheDependent() {
        var fx = afterSetup;
        fx.supervisor.script("setup", Outcome.completes());
        StartResult r = fx.manager.start("app", true, TIMEOUT, true);
        assertThat(r.dependenciesStarted()).containsExactly("setup");
        assertThat(r.state()).isEqualTo("RUNNING");
        assertThat(state(fx, "setup")).isEqualTo("EXITED");

        fx.manager.stop("app", false);
        fx.manager.start("app", true, TIMEOUT, true);
        assertThat(fx.supervisor.calls("start")).as("the finished setup is not run again").containsExactly("setup", "app", "app");
    }

    @Test
    void aStopIsRefusedWhileDependentsRunAndNamesThem() {
        var fx = chain;
        fx.manager.start("app", true, TIMEOUT, true);
        ApiFailure f = ApiFailure.of(() -> fx.manager.stop("db", false));
        assertThat(f.code()).isEqualTo(-32010);
        assertThat(f.message()).contains("app").contains("cache");
        assertThat(fx.supervisor.calls("stop")).isEmpty();
        assertThat(state(fx, "db")).isEqualTo("RUNNING");
    }

    @Test
    void aCascadeStopsDependentsOfDependentsFirst() {
        var fx = chain;
        fx.manager.start("app", true, TIMEOUT, true);
        StopResult r = fx.manager.stop("db", true);
        assertThat(r.dependentsStopped()).containsExactly("app", "cache");
        assertThat(r.stopped()).containsExactly("server");
        assertThat(fx.supervisor.calls("stop")).containsExactly("app", "cache", "db");
        for (String name : List.of("app", "cache", "db")) assertThat(state(fx, name)).as(name).isEqualTo("STOPPED");
    }

    @Test
    void aCascadeThroughADiamondStopsItsTopFirstAndItsBaseLast() {
        var fx = diamond;
        fx.manager.start("top", true, TIMEOUT, true);
        StopResult r = fx.manager.stop("base", true);
        assertThat(r.dependentsStopped()).hasSize(3).startsWith("top");
        assertDiamondOrder(fx.supervisor.calls("stop"), "top", "base");
    }

    @Test
    void stoppedDependentsDoNotBlockAStop() {
        var fx = chain;
        fx.manager.start("app", true, TIMEOUT, true);
        fx.manager.stop("app", false);
        StopResult r = fx.manager.stop("cache", false);
        assertThat(r.dependentsStopped()).isEmpty();
        assertThat(fx.supervisor.calls("stop")).containsExactly("app", "cache");
        assertThat(state(fx, "db")).isEqualTo("RUNNING");
    }
}

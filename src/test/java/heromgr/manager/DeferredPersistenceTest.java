package heromgr.manager;

import heromgr.testkit.ManagerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stops of a batch wait for the state file once, at its end; a stop on its own still waits for its own write. */
class DeferredPersistenceTest {
    static final Duration LONG = Duration.ofSeconds(10);

    @RegisterExtension
    final ManagerFixture fx = new ManagerFixture(ReleasedService.of("a"), ReleasedService.of("b"), ReleasedService.of("c"));

    @Test
    void stopsInsideADeferralWaitOnceAtItsEnd() {
        for (String n : List.of("a", "b", "c")) fx.manager.start(n, true, LONG, false);
        int before = fx.supervisor.calls("awaitPersisted").size();
        DeferredPersistence deferred = fx.manager.deferredPersistence(3);
        assertThat(fx.supervisor.calls("waveBegins")).as("the state writer paces itself for the wave").hasSize(1);
        for (String n : List.of("a", "b", "c")) deferred.run(() -> fx.manager.stop(n, false));
        assertThat(fx.supervisor.calls("stop")).hasSize(3);
        assertThat(fx.supervisor.calls("awaitPersisted")).as("no stop waited on its own").hasSize(before);
        deferred.await();
        assertThat(fx.supervisor.calls("waveEnds")).as("and no longer once it ends").hasSize(1);
        assertThat(fx.supervisor.calls("awaitPersisted")).as("one wait for all three").hasSize(before + 1);
    }

    @Test
    void aDeferralWithNothingToPersistDoesNotWait() {
        int before = fx.supervisor.calls("awaitPersisted").size();
        DeferredPersistence deferred = fx.manager.deferredPersistence(3);
        deferred.run(() -> fx.manager.stop("a", false)); // not running: nothing changed
        deferred.await();
        assertThat(fx.supervisor.calls("awaitPersisted")).hasSize(before);
    }

    @Test
    void aStopOutsideADeferralWaitsForItsOwnWrite() {
        fx.manager.start("a", true, LONG, false);
        int before = fx.supervisor.calls("awaitPersisted").size();
        fx.manager.stop("a", false);
        assertThat(fx.supervisor.calls("awaitPersisted")).hasSize(before + 1);
    }
}

package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.ServiceSpec;
import heromgr.proc.Signal;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stop records the exit of the run it ends itself (the exit's handler leaves it to the stop, see ActionRunner.stopping);
 * a stop that gives up (interrupted) leaves the exit to the handler, and nothing is lost or restarted either way.
 */
class StopRecordsTheExitTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private final EmbeddedSupervisor sup = fixture.supervisor();

    private ServiceSpec sleeper(String name) {
        return new ServiceSpec(name, List.of(ActionSpec.process("main", List.of("/bin/sleep", "1000"), Map.of(), tmp,
                tmp.resolve("logs").resolve(name + ".log"))));
    }

    @Test
    void manyStopsAtOnceEachRecordTheirRequestedExit() throws InterruptedException {
        var names = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        for (String n : names) fixture.killAfter(sup.start(sleeper(n)).getFirst().pid());
        var threads = new ArrayList<Thread>();
        for (String n : names) threads.add(Thread.ofVirtual().start(() -> sup.stop(n)));
        for (Thread t : threads) t.join(BOUND);
        for (String n : names) {
            ActionStatus s = sup.status(n).getFirst();
            assertThat(s.state()).as(n).isEqualTo(ActionState.STOPPED);
            assertThat(s.lastExit().requested()).as(n).isTrue();
            assertThat(s.lastExit().signal()).as(n).isEqualTo(15);
        }
    }

    @Test
    void anInterruptedStopLeavesTheExitToItsHandler() throws Exception {
        Path log = tmp.resolve("logs/main.log");
        var stubborn = ActionSpec.process("main", List.of("/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"),
                Map.of(), tmp, log).withStop(Signal.TERM, Duration.ofMinutes(1));
        long pid = fixture.killAfter(sup.start(new ServiceSpec("web", List.of(stubborn))).getFirst().pid());
        await().atMost(BOUND).until(() -> Files.exists(log) && Files.readString(log).contains("ready"));
        var failure = new AtomicReference<Throwable>();
        Thread stopper = Thread.ofVirtual().start(() -> {
            try {
                sup.stop("web");
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        await().atMost(BOUND).until(() -> sup.status("web").getFirst().state() == ActionState.STOPPING);
        stopper.interrupt();
        stopper.join(BOUND);
        assertThat(failure.get()).hasMessageContaining("interrupted while stopping");

        PosixSignals.killGroup(pid, 9);
        await().atMost(BOUND).until(() -> sup.status("web").getFirst().state() == ActionState.STOPPED);
        assertThat(sup.status("web").getFirst().lastExit().requested()).isTrue();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> sup.status("web").getFirst().pid() == 0);
    }
}

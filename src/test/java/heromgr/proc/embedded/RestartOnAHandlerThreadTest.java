package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A restart runs on a thread that no longer waits for exits (its spawn may wait on a hung file system, and every other
 * exit must still be noticed meanwhile): the thread that noticed the exit hands the waiting on first (ExitWatcher) and
 * is named for the exit while it handles it. A run that left processes in its cgroup has them killed and
 * waited for on its handler thread while another service's exit is handled meanwhile; the restart that follows runs
 * (its leaf made anew: ControlGroup.makeFresh).
 */
class RestartOnAHandlerThreadTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final RestartPolicy AT_ONCE = RestartPolicy.always().withBackoff(Duration.ZERO, 1.0, Duration.ZERO, 0)
            .withStablePeriod(Duration.ZERO).withStartLimit(0, Duration.ZERO);

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private final EmbeddedSupervisor sup = fixture.supervisor(tmp.resolve("state/runtime.json"));
    /** The thread each service's first restart was heard RUNNING on. */
    private final Map<String, String> restartedOn = new ConcurrentHashMap<>();

    {
        sup.onActionChange((service, status) -> {
            if (status.state() == ActionState.RUNNING && status.restartCount() == 1) {
                restartedOn.putIfAbsent(service, Thread.currentThread().getName());
            }
        });
    }

    private long start(String service, String script) {
        var spec = ActionSpec.process("main", List.of("/bin/sh", "-c", script), Map.of(), tmp,
                tmp.resolve("logs/" + service + ".log")).withRestart(AT_ONCE);
        return fixture.killAfter(sup.start(new ServiceSpec(service, List.of(spec))).getFirst().pid());
    }

    private ActionStatus restarted(String service, long old) {
        ActionStatus s = await().atMost(BOUND).until(() -> sup.status(service).getFirst(),
                st -> st.state() == ActionState.RUNNING && st.pid() != 0 && st.pid() != old);
        fixture.killAfter(s.pid());
        return s;
    }

    @Test
    void aRunThatLeftNothingRestartsOnAHandlerThreadNotTheWatchers() {
        long old = start("web", "exec sleep 1000");
        PosixSignals.kill(old, 9);

        assertThat(restarted("web", old).restartCount()).isEqualTo(1);
        assertThat(restartedOn.get("web")).startsWith("exit-web/main-");
    }

    @Test
    void aRunThatLeftProcessesInItsCgroupHasThemKilledAndItsRestartStays() throws Exception {
        assumeThat(sup.controlGroup("left", "main")).as("cgroup v2 with the right to make cgroups").isPresent();
        long leftMain = start("left", "sleep 1000 & echo $! > " + tmp.resolve("child.pid") + "; exec sleep 1000");
        long plainMain = start("plain", "exec sleep 1000");
        Path childPid = tmp.resolve("child.pid");
        await().atMost(BOUND).until(() -> Files.exists(childPid) && !Files.readString(childPid).isBlank());
        long child = fixture.killAfter(Long.parseLong(Files.readString(childPid).strip()));

        PosixSignals.kill(leftMain, 9);
        PosixSignals.kill(plainMain, 9);

        long successor = restarted("left", leftMain).pid();
        restarted("plain", plainMain);
        // its leaf was emptied by cgroup.kill, after which this kernel kills a child cloned into it at birth (ControlGroup.makeFresh)
        await().during(Duration.ofMillis(500)).atMost(BOUND).until(() -> sup.status("left").getFirst(),
                st -> st.pid() == successor && st.state() == ActionState.RUNNING);
        assertThat(restartedOn.get("left")).as("its leftover is killed and waited for first").startsWith("exit-left/main-");
        assertThat(restartedOn.get("plain")).startsWith("exit-plain/main-");
        assertThat(ProcFs.running(child)).as("the leftover went with its run").isFalse();
    }
}

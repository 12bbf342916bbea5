package heromgr.proc.embedded;

import heromgr.fs.JsonCodec;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.Job;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.Signal;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.ProcTable;
import heromgr.proc.state.RuntimeState;
import heromgr.proc.state.RuntimeStateStore;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A supervisor on a state file, closed without stopping its processes, and a new one on the same file: re-adoption. */
class AdoptionTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int SERVICES = 20;

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();

    private Path stateFile() {
        return tmp.resolve("state/runtime.json");
    }

    private EmbeddedSupervisor supervisor() {
        return fixture.supervisor(stateFile());
    }

    private ServiceSpec sleeper(String name) {
        return new ServiceSpec(name, List.of(ActionSpec.process("main", List.of("/bin/sleep", "1000"), Map.of(), tmp,
                tmp.resolve("logs/" + name + ".log"))));
    }

    private ActionStatus status(EmbeddedSupervisor sup, String service) {
        ActionStatus s = sup.status(service).getFirst();
        fixture.killAfter(s.pid());
        return s;
    }

    private List<Long> startSleepers(EmbeddedSupervisor sup) {
        var pids = new ArrayList<Long>();
        for (int i = 0; i < SERVICES; i++) pids.add(fixture.killAfter(sup.start(sleeper("svc" + i)).getFirst().pid()));
        return pids;
    }

    @Test
    void twentyRunningServicesAreAdoptedWithTheirPidsAndNoneRestarted() {
        EmbeddedSupervisor first = supervisor();
        List<Long> pids = startSleepers(first);
        first.close(false);

        // how long it takes is bench/readopt_bench.py's to say, not a timed test's (it failed once at load 20)
        EmbeddedSupervisor second = supervisor();
        for (int i = 0; i < SERVICES; i++) {
            ActionStatus s = status(second, "svc" + i);
            assertThat(s.state()).isEqualTo(ActionState.RUNNING);
            assertThat(s.pid()).isEqualTo(pids.get(i));
            assertThat(s.restartCount()).isZero();
            assertThat(s.jobs()).singleElement().satisfies(j -> assertThat(j.end()).isNull());
            assertThat(ProcFs.running(s.pid())).isTrue();
        }
        // idempotent: a start of an adopted service spawns nothing
        ActionStatus again = second.start(sleeper("svc0")).getFirst();
        assertThat(again.pid()).isEqualTo(pids.getFirst());
        assertThat(again.restartCount()).isZero();
    }

    @Test
    void anAdoptedProcessThatDiesIsNoticedAtOnceAndRestartedByItsPolicy() {
        EmbeddedSupervisor first = supervisor();
        long pid = fixture.killAfter(first.start(sleeper("web")).getFirst().pid());
        first.close(false);
        EmbeddedSupervisor second = supervisor();
        assertThat(status(second, "web").pid()).isEqualTo(pid);

        PosixSignals.kill(pid, Signal.KILL);

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> status(second, "web").state() == ActionState.RUNNING && status(second, "web").pid() != pid);
        ActionStatus s = status(second, "web");
        assertThat(s.restartCount()).isEqualTo(1);
        // both supervisors live in this JVM, so the adopted process is still its child and waitid tells how it
        // ended; after a real daemon restart it is not, and the status is unknown (DaemonAdoptionTest)
        assertThat(s.lastExit().describe()).isEqualTo("killed by signal 9");
        assertThat(s.jobs()).hasSize(2);
        assertThat(s.jobs().getFirst().reason()).isEqualTo("killed by signal 9");
        assertThat(ProcFs.pgid(s.pid())).isEqualTo(s.pid());
    }

    @Test
    void aRestartTheStateFileNeverRecordedIsRecognizedByItsMarkerAndAdoptedNotStartedTwice() throws IOException {
        EmbeddedSupervisor first = supervisor();
        long recorded = fixture.killAfter(first.start(sleeper("web")).getFirst().pid());
        first.awaitPersisted();
        byte[] beforeTheRestart = Files.readAllBytes(stateFile());
        PosixSignals.kill(recorded, Signal.KILL);
        await().atMost(Duration.ofSeconds(5)).until(() -> status(first, "web").pid() != recorded
                && status(first, "web").state() == ActionState.RUNNING);
        long unrecorded = status(first, "web").pid();
        first.close(false);
        // the daemon "died" before writing the restart: the file still names the killed run
        Files.write(stateFile(), beforeTheRestart);

        EmbeddedSupervisor second = supervisor();

        ActionStatus s = status(second, "web");
        assertThat(s.state()).isEqualTo(ActionState.RUNNING);
        assertThat(s.pid()).isEqualTo(unrecorded);
        assertThat(s.jobs().getLast().pid()).isEqualTo(unrecorded);
        assertThat(ProcFs.running(unrecorded)).isTrue();
        assertThat(second.status("web")).hasSize(1);
    }

    @Test
    void aMarkedProcessOfAnotherStateFileIsNotAdopted() throws IOException {
        EmbeddedSupervisor elsewhere = fixture.supervisor(tmp.resolve("other/runtime.json"));
        long foreign = fixture.killAfter(elsewhere.start(sleeper("web")).getFirst().pid());
        EmbeddedSupervisor first = supervisor();
        long recorded = fixture.killAfter(first.start(sleeper("web")).getFirst().pid());
        first.close(true);
        assertThat(ProcFs.running(recorded)).isFalse();
        // the file says web should run, its process is gone: the same service of another state file is not ours
        Files.writeString(stateFile(), Files.readString(stateFile()).replace("\"state\":\"STOPPED\"", "\"state\":\"RUNNING\""));

        EmbeddedSupervisor second = supervisor();

        await().atMost(Duration.ofSeconds(5)).until(() -> status(second, "web").state() == ActionState.RUNNING);
        assertThat(status(second, "web").pid()).isNotEqualTo(foreign);
        assertThat(ProcFs.running(foreign)).isTrue();
    }

    @Test
    void anAdoptedProcessIsStoppedThroughItsGroup() {
        EmbeddedSupervisor first = supervisor();
        long pid = fixture.killAfter(first.start(sleeper("web")).getFirst().pid());
        first.close(false);
        EmbeddedSupervisor second = supervisor();

        ActionStatus stopped = second.stop("web").getFirst();

        assertThat(stopped.state()).isEqualTo(ActionState.STOPPED);
        assertThat(ProcFs.running(pid)).isFalse();
        assertThat(stopped.jobs().getLast().reason()).isEqualTo("stopped by request");
        // and the next supervisor sees it stopped, with nothing to adopt
        second.close(false);
        assertThat(status(supervisor(), "web").state()).isEqualTo(ActionState.STOPPED);
    }

    @Test
    void aPidNowHeldByAnotherProcessIsNeitherAdoptedNorSignalled() throws IOException {
        Process stranger = new ProcessBuilder("/bin/sleep", "1000").start();
        fixture.killAfter(stranger.pid());
        long ticks = ProcTable.stat(stranger.pid()).orElseThrow().startTicks();
        ActionSpec always = sleeper("a").actions().getFirst();
        ActionSpec never = always.withRestart(RestartPolicy.never());
        // what a previous daemon would have saved had its process been this pid, started at another time
        writeState(new RuntimeState.Service("restarted", List.of(running(always, stranger.pid(), ticks - 1))),
                new RuntimeState.Service("failed", List.of(running(never, stranger.pid(), ticks + 1))));

        EmbeddedSupervisor sup = supervisor();

        await().atMost(BOUND).until(() -> status(sup, "restarted").state() == ActionState.RUNNING
                && status(sup, "restarted").pid() != stranger.pid());
        ActionStatus failed = status(sup, "failed");
        assertThat(failed.state()).isEqualTo(ActionState.FAILED);
        assertThat(failed.pid()).isZero();
        assertThat(failed.reason()).isEqualTo("process gone while the daemon was down");
        assertThat(status(sup, "restarted").jobs().getFirst().reason()).isEqualTo("gone while the daemon was down");
        sup.close(true);
        assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void theStateFileFollowsSpawnsAndExitsAndAnUnreadableOneIsSetAside() throws IOException {
        EmbeddedSupervisor sup = supervisor();
        long pid = fixture.killAfter(sup.start(sleeper("web")).getFirst().pid());
        await().atMost(BOUND).until(() -> Files.exists(stateFile()) && readState().services().getFirst().actions().getFirst().pid() == pid);
        RuntimeState.Action saved = readState().services().getFirst().actions().getFirst();
        assertThat(saved.startTicks()).isEqualTo(ProcTable.stat(pid).orElseThrow().startTicks());
        assertThat(saved.pgid()).isEqualTo(pid);
        assertThat(saved.fingerprint()).isEqualTo(RuntimeStateStore.fingerprint(saved.spec()));
        sup.stop("web");
        await().atMost(BOUND).until(() -> readState().services().getFirst().actions().getFirst().state() == ActionState.STOPPED);
        sup.close(false);

        Files.writeString(stateFile(), "{ not json");
        EmbeddedSupervisor next = supervisor();
        assertThat(next.status("web")).isEmpty();
        try (var kept = Files.list(stateFile().getParent())) {
            assertThat(kept.map(f -> f.getFileName().toString())).anyMatch(f -> f.startsWith("runtime.json.damaged-"));
        }
    }

    @Test
    void withADamagedStateFileAStartAdoptsTheMarkedRunInsteadOfSpawningASecond() throws IOException {
        EmbeddedSupervisor first = supervisor();
        long pid = fixture.killAfter(first.start(sleeper("web")).getFirst().pid());
        first.close(false);
        Files.writeString(stateFile(), "{\"version\":1,\"services\":[{\"na");

        EmbeddedSupervisor next = supervisor();
        // nobody handed it the specs (adoptUnsaved): the start of the service brings its own, and adopts
        ActionStatus started = next.start(sleeper("web")).getFirst();
        assertThat(started.pid()).isEqualTo(pid);
        assertThat(started.state()).isEqualTo(ActionState.RUNNING);
        assertThat(started.restartCount()).isZero();
    }

    @Test
    void aCrashLoopOfTwentyServicesCostsAFewWritesASecondNotOnePerExit() {
        EmbeddedSupervisor sup = supervisor();
        RestartPolicy spin = RestartPolicy.always().withBackoff(Duration.ZERO, 1.0, Duration.ZERO, 0).withStartLimit(0, Duration.ZERO);
        for (int i = 0; i < SERVICES; i++) {
            sup.start(new ServiceSpec("spin" + i, List.of(ActionSpec.process("main", List.of("/bin/true"), Map.of(), tmp,
                    tmp.resolve("logs/spin.log")).withRestart(spin))));
        }
        long t0 = System.nanoTime();
        long writesBefore = sup.stateWrites();
        await().atMost(Duration.ofSeconds(30)).until(() -> totalRestarts(sup) >= 100);
        // the writes and the time they had, read together while the loop still runs: the stops below take seconds on a
        // busy machine, and what they write is no part of the crash loop
        long writes = sup.stateWrites() - writesBefore;
        long elapsedMs = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
        int restarts = totalRestarts(sup);
        for (int i = 0; i < SERVICES; i++) sup.stop("spin" + i);

        // each change (spawn, exit) marks the file dirty; one write per spacing (20 ms) at most, plus the one in flight
        assertThat(writes).as("%d writes for %d restarts in %d ms", writes, restarts, elapsedMs)
                .isLessThanOrEqualTo(elapsedMs / RuntimeStateStore.SPACING.toMillis() + 2)
                .isLessThan(restarts);
    }

    private static int totalRestarts(EmbeddedSupervisor sup) {
        int n = 0;
        for (int i = 0; i < SERVICES; i++) n += sup.status("spin" + i).getFirst().restartCount();
        return n;
    }

    /** One adoption beforehand, on another file: the timing is about adopting, not about loading classes on a busy machine. */

    private static RuntimeState.Action running(ActionSpec spec, long pid, long ticks) {
        var job = new Job(1, pid, Instant.now(), null, null, null, null);
        return new RuntimeState.Action(spec, RuntimeStateStore.fingerprint(spec), ActionState.RUNNING, pid, pid, ticks, 0, null, null, List.of(job));
    }

    private void writeState(RuntimeState.Service... services) throws IOException {
        Files.createDirectories(stateFile().getParent());
        Files.write(stateFile(), JsonCodec.MAPPER.writeValueAsBytes(new RuntimeState(RuntimeState.VERSION, List.of(services))));
    }

    @Test
    void anImmediateRestartTellsItsChangesInOrderOnceTheNewProcessRunsAndTheStateFileGetsItsPid() throws IOException {
        EmbeddedSupervisor sup = supervisor();
        RestartPolicy atOnce = RestartPolicy.always().withBackoff(Duration.ZERO, 1.0, Duration.ZERO, 0)
                .withStablePeriod(Duration.ZERO).withStartLimit(0, Duration.ZERO);
        ServiceSpec spec = new ServiceSpec("web", List.of(ActionSpec.process("main", List.of("/bin/sleep", "1000"), Map.of(), tmp,
                tmp.resolve("logs/web.log")).withRestart(atOnce)));
        long first = fixture.killAfter(sup.start(spec).getFirst().pid());
        await().atMost(BOUND).until(() -> Files.exists(stateFile()) && readState().services().getFirst().actions().getFirst().pid() == first);
        var told = new ArrayList<ActionStatus>();
        var runningWhenTold = new ArrayList<Boolean>();
        sup.onActionChange((service, s) -> {
            synchronized (told) {
                told.add(s);
                runningWhenTold.add(sup.status("web").getFirst().state() == ActionState.RUNNING);
            }
        });

        PosixSignals.kill(first, 9);
        await().atMost(BOUND).until(() -> status(sup, "web").pid() != first && status(sup, "web").state() == ActionState.RUNNING);
        long second = status(sup, "web").pid();

        await().atMost(BOUND).until(() -> readState().services().getFirst().actions().getFirst().pid() == second);
        synchronized (told) {
            assertThat(told).extracting(ActionStatus::state).containsExactly(ActionState.BACKOFF, ActionState.STARTING, ActionState.RUNNING);
            assertThat(told.getFirst().lastExit().signal()).isEqualTo(9);
            assertThat(told.getLast().pid()).isEqualTo(second);
            assertThat(told.getLast().restartCount()).isEqualTo(1);
            // held back until the spawn: even the exit is told only once its successor runs
            assertThat(runningWhenTold).containsOnly(true);
        }
    }

    private RuntimeState readState() throws IOException {
        return JsonCodec.MAPPER.readValue(Files.readAllBytes(stateFile()), RuntimeState.class);
    }
}

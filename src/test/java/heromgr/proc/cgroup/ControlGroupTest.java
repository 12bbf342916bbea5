package heromgr.proc.cgroup;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.SupervisorException;
import heromgr.proc.embedded.EmbeddedSupervisor;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.ProcTable;
import heromgr.proc.reclaim.Reclaimer;
import heromgr.testkit.DaemonizingFixture;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A cgroup per action: a helper that double-forked away from the service's group and tree (reparented to pid 1,
 * ignoring SIGTERM) still goes with a stop, with the end of the run that left it, and the daemon's cgroups go with it.
 * Needs cgroup v2 and the right to make cgroups (root here); the fallback test needs neither.
 */
class ControlGroupTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private final List<EmbeddedSupervisor> supervisors = new ArrayList<>();

    @AfterEach
    void removeLeaves() {
        // a failed test may have left processes in them: gone once these kills took effect
        fixture.closeAndKillAll();
        for (EmbeddedSupervisor s : supervisors) {
            s.controlGroup("web", "main").ifPresent(leaf -> await().atMost(BOUND).ignoreExceptions().until(() -> {
                Files.deleteIfExists(leaf);
                Files.deleteIfExists(leaf.getParent());
                return true;
            }));
        }
    }

    private EmbeddedSupervisor supervisor(Path stateFile) {
        var s = fixture.supervisor(stateFile);
        supervisors.add(s);
        assumeThat(s.controlGroup("any", "main")).as("cgroup v2 with the right to make cgroups").isPresent();
        return s;
    }

    private ServiceSpec daemonizing(Integer mainExit) throws IOException {
        Path script = DaemonizingFixture.write(tmp, mainExit);
        return new ServiceSpec("web", List.of(ActionSpec.process("main", List.of("/bin/sh", script.toString(), tmp.toString()),
                Map.of(), tmp, tmp.resolve("logs/main.log")).withRestart(RestartPolicy.never())));
    }

    /** Starts the fixture, waits until the main process sits in its cgroup, lets it daemonize; the helper's pid. */
    private long startAndDaemonize(EmbeddedSupervisor sup, ServiceSpec spec) throws IOException {
        long main = fixture.killAfter(sup.start(spec).getFirst().pid());
        Path procs = sup.controlGroup("web", "main").orElseThrow().resolve("cgroup.procs");
        await().atMost(BOUND).until(() -> Files.exists(procs) && ProcFs.read(procs).lines().anyMatch(l -> l.equals(Long.toString(main))));
        Files.createFile(tmp.resolve("go"));
        await().atMost(BOUND).until(() -> DaemonizingFixture.grandchild(tmp) != 0);
        long helper = fixture.killAfter(DaemonizingFixture.grandchild(tmp));
        // escaped: not a descendant of the main process, not in its group
        await().atMost(BOUND).until(() -> DaemonizingFixture.parent(helper) != main);
        assertThat(ProcFs.pgid(helper)).isNotEqualTo(main);
        assertThat(ProcFs.read(procs)).contains(Long.toString(helper));
        return helper;
    }

    @Test
    void aStopKillsADoubleForkedHelperThatIgnoresTheStopSignal() throws IOException {
        EmbeddedSupervisor sup = supervisor(null);
        long helper = startAndDaemonize(sup, daemonizing(null));
        long ticks = DaemonizingFixture.startTicks(helper);

        sup.stop("web");

        // pid and start time: a recycled pid cannot pass for the helper
        assertThat(DaemonizingFixture.gone(helper, ticks)).isTrue();
        assertThat(sup.status("web").getFirst().state()).isEqualTo(ActionState.STOPPED);
        assertThat(sup.controlGroup("web", "main").orElseThrow()).as("an empty leaf is removed at the stop").doesNotExist();
    }

    @Test
    void aHelperDaemonizedInTheServicesFirstMillisecondsIsInsideAndGoesWithTheStop() throws IOException {
        assumeThat(CgroupSpawn.available()).as("heromgr-spawn built (mvn compile, needs gcc)").isTrue();
        EmbeddedSupervisor sup = supervisor(null);
        // no wait for a signal: the script daemonizes as soon as it runs, far inside the ~11 ms a move after the exec
        // takes here (a cgroup.procs write waits for an RCU grace period), so only a service born inside keeps it
        Files.createFile(tmp.resolve("go"));
        long main = fixture.killAfter(sup.start(daemonizing(null)).getFirst().pid());
        await().atMost(BOUND).until(() -> DaemonizingFixture.grandchild(tmp) != 0);
        long helper = fixture.killAfter(DaemonizingFixture.grandchild(tmp));
        long ticks = DaemonizingFixture.startTicks(helper);
        assertThat(DaemonizingFixture.parent(main)).as("the daemon's child, not the spawn helper's").isEqualTo(ProcessHandle.current().pid());
        assertThat(ProcFs.read(sup.controlGroup("web", "main").orElseThrow().resolve("cgroup.procs")))
                .contains(Long.toString(main), Long.toString(helper));

        sup.stop("web");

        assertThat(DaemonizingFixture.gone(helper, ticks)).isTrue();
    }

    @Test
    void aRunBornInsideIsSignalledFirstAndAStrayOutsideItsGroupStillGetsTheStopSignal() throws IOException {
        assumeThat(CgroupSpawn.available()).as("heromgr-spawn built (mvn compile, needs gcc)").isTrue();
        EmbeddedSupervisor sup = supervisor(null);
        // the stray (setsid: a group of its own) is found among the cgroup's members after the group's signal, and the
        // main process waits for it to record its SIGTERM before it exits (a stray still there then gets SIGKILL)
        Path script = tmp.resolve("stray.sh");
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                "dir=$1",
                "setsid /bin/sh -c 'trap \"echo term > $0/stray.term; exit 0\" TERM; echo $$ > $0/stray.pid; while :; do sleep 0.05; done' \"$dir\" &",
                "trap 'while [ ! -e \"$dir/stray.term\" ]; do sleep 0.02; done; exit 0' TERM",
                "while :; do sleep 0.05; done",
                ""));
        var spec = new ServiceSpec("web", List.of(ActionSpec.process("main", List.of("/bin/sh", script.toString(), tmp.toString()),
                Map.of(), tmp, tmp.resolve("logs/main.log")).withRestart(RestartPolicy.never())));
        long main = fixture.killAfter(sup.start(spec).getFirst().pid());
        await().atMost(BOUND).until(() -> Files.exists(tmp.resolve("stray.pid")));
        long stray = fixture.killAfter(Long.parseLong(Files.readString(tmp.resolve("stray.pid")).strip()));
        assertThat(ProcFs.pgid(stray)).isNotEqualTo(main);

        sup.stop("web");

        assertThat(tmp.resolve("stray.term")).as("the stray's SIGTERM handler ran").hasContent("term");
        assertThat(ProcFs.running(stray)).isFalse();
        assertThat(sup.status("web").getFirst().state()).isEqualTo(ActionState.STOPPED);
    }

    @Test
    void anExecFailureThroughTheSpawnHelperIsReportedAsWithoutIt() throws IOException {
        assumeThat(CgroupSpawn.available()).as("heromgr-spawn built (mvn compile, needs gcc)").isTrue();
        EmbeddedSupervisor sup = supervisor(null);
        Path garbage = tmp.resolve("not-a-program");
        Files.write(garbage, new byte[] {0, 1, 2, 3});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
        var spec = new ServiceSpec("web", List.of(ActionSpec.process("main", List.of(garbage.toString()), Map.of(), tmp,
                tmp.resolve("logs/main.log")).withRestart(RestartPolicy.never())));

        assertThatThrownBy(() -> sup.start(spec)).isInstanceOf(SupervisorException.class)
                .hasMessageContaining("cannot start " + garbage).hasMessageContaining("Exec format error");
        assertThat(sup.status("web").getFirst().state()).isEqualTo(ActionState.FAILED);
    }

    @Test
    void aLeafRemovedBehindTheDaemonsBackIsMadeAgainAndTheHelperStaysInUse() throws IOException {
        assumeThat(CgroupSpawn.available()).as("heromgr-spawn built (mvn compile, needs gcc)").isTrue();
        EmbeddedSupervisor sup = supervisor(null);
        var spec = new ServiceSpec("web", List.of(ActionSpec.process("main", List.of("/bin/sleep", "60"), Map.of(), tmp,
                tmp.resolve("logs/main.log")).withRestart(RestartPolicy.never())));
        long first = fixture.killAfter(sup.start(spec).getFirst().pid());
        Path leaf = sup.controlGroup("web", "main").orElseThrow();
        PosixSignals.kill(first, 9);
        await().atMost(BOUND).until(() -> sup.status("web").getFirst().state() == ActionState.FAILED);
        Files.delete(leaf); // empty now: anyone with the right may remove it, as another daemon's clean-up could

        long second = fixture.killAfter(sup.start(spec).getFirst().pid());

        assertThat(ProcFs.read(leaf.resolve("cgroup.procs"))).contains(Long.toString(second));
        assertThat(CgroupSpawn.available()).as("a missing leaf does not turn the helper off").isTrue();
    }

    @Test
    void aLeafKilledJustBeforeItsDaemonDiedIsMadeAnewBeforeTheNextDaemonsSpawn() throws IOException {
        assumeThat(CgroupSpawn.available()).as("heromgr-spawn built (mvn compile, needs gcc)").isTrue();
        Path state = tmp.resolve("state/runtime.json");
        EmbeddedSupervisor first = supervisor(state);
        var spec = new ServiceSpec("web", List.of(ActionSpec.process("main", List.of("/bin/sleep", "60"), Map.of(), tmp,
                tmp.resolve("logs/main.log")).withRestart(RestartPolicy.never())));
        long old = fixture.killAfter(first.start(spec).getFirst().pid());
        Path leaf = first.controlGroup("web", "main").orElseThrow();
        first.close(false);
        // the daemon's last act before it died: the end of a run that left processes behind (Linux kills at birth
        // every child later cloned into a leaf that cgroup.kill was written to)
        Files.writeString(leaf.resolve("cgroup.kill"), "1");
        await().atMost(BOUND).until(() -> !ProcFs.running(old) && ProcFs.read(leaf.resolve("cgroup.procs")).isBlank());

        EmbeddedSupervisor second = supervisor(state);
        long pid = fixture.killAfter(second.start(spec).getFirst().pid());

        await().during(Duration.ofMillis(500)).atMost(BOUND).until(() -> ProcFs.running(pid)
                && second.status("web").getFirst().state() == ActionState.RUNNING);
        assertThat(ProcFs.read(leaf.resolve("cgroup.procs")).strip()).as("born in the leaf made anew").isEqualTo(Long.toString(pid));
    }

    @Test
    void aSetUpFailureThroughTheSpawnHelperNamesTheServiceNotTheHelper() throws IOException {
        assumeThat(CgroupSpawn.available()).as("heromgr-spawn built (mvn compile, needs gcc)").isTrue();
        EmbeddedSupervisor sup = supervisor(null);
        Files.createDirectories(tmp.resolve("logs/main.log")); // the log cannot be opened for writing: EISDIR
        var spec = new ServiceSpec("web", List.of(ActionSpec.process("main", List.of("/bin/sleep", "60"), Map.of(), tmp,
                tmp.resolve("logs/main.log")).withRestart(RestartPolicy.never())));

        assertThatThrownBy(() -> sup.start(spec)).isInstanceOf(SupervisorException.class)
                // the log is named as the cause (docs/reliability.md §3), before the helper or the program is blamed
                .hasMessageContaining("cannot write the log file " + tmp.resolve("logs/main.log") + ": Is a directory")
                .hasMessageNotContaining("heromgr-spawn").hasMessageNotContaining("cannot start /bin/sleep");
    }

    @Test
    void whenTheMainProcessExitsOnItsOwnTheHelpersItLeftAreKilledBeforeAnyRestart() throws IOException {
        EmbeddedSupervisor sup = supervisor(null);
        long helper = startAndDaemonize(sup, daemonizing(3));
        long ticks = DaemonizingFixture.startTicks(helper);

        Files.createFile(tmp.resolve("exit"));
        await().atMost(BOUND).until(() -> sup.status("web").getFirst().state() == ActionState.FAILED);

        // killed when the run ended, not at some later stop
        assertThat(DaemonizingFixture.gone(helper, ticks)).isTrue();
        assertThat(sup.status("web").getFirst().lastExit().code()).isEqualTo(3);
    }

    @Test
    void anAdoptedRunIsStoppedWithTheHelperItLeftInItsCgroup() throws IOException {
        Path state = tmp.resolve("state/runtime.json");
        EmbeddedSupervisor first = supervisor(state);
        long helper = startAndDaemonize(first, daemonizing(null));
        long ticks = DaemonizingFixture.startTicks(helper);
        long main = first.status("web").getFirst().pid();
        first.close(false);
        Path leaf = first.controlGroup("web", "main").orElseThrow();
        assertThat(leaf).as("processes still inside: kept for the next daemon").isDirectory();

        EmbeddedSupervisor second = supervisor(state);
        assertThat(second.controlGroup("web", "main")).contains(leaf);
        assertThat(second.status("web").getFirst().pid()).isEqualTo(main);
        second.stop("web");

        assertThat(DaemonizingFixture.gone(helper, ticks)).isTrue();
        assertThat(ProcFs.running(main)).isFalse();
        second.close(false);
        assertThat(leaf.getParent()).as("the daemon's cgroup directory goes when the daemon does").doesNotExist();
    }

    @Test
    void aDaemonThatRanNothingLeavesNoCgroupDirectoryBehind() {
        EmbeddedSupervisor sup = supervisor(tmp.resolve("state/runtime.json"));
        Path dir = sup.controlGroup("web", "main").orElseThrow().getParent();
        assertThat(dir).isDirectory();
        sup.close(false);
        assertThat(dir).doesNotExist();
    }

    @Test
    void withoutACgroupV2DirectoryStartsAndStopsWorkAsBeforeByProcessGroup() throws IOException {
        // a plain directory, and one that looks like cgroup v2 but where the daemon's directory cannot be made
        Path state = tmp.resolve("state/runtime.json");
        Path fake = Files.createDirectories(tmp.resolve("fake"));
        Files.writeString(fake.resolve("cgroup.controllers"), "");
        Path blocked = fake.resolve(ControlGroups.directoryName(state.toAbsolutePath().normalize().toString()));
        Files.writeString(blocked, "not a directory");
        for (Path parent : List.of(tmp, fake)) {
            var sup = fixture.closeAfter(
                    new EmbeddedSupervisor(state, Reclaimer.standard(), owner -> ControlGroups.under(parent, owner)));
            supervisors.add(sup);
            assertThat(sup.controlGroup("web", "main")).isEmpty();
            // a helper that left the group by setsid and ignores SIGTERM: reached by the group stop's tree walk as before
            String script = "setsid sh -c \"trap '' TERM; sleep 1000 & wait\" & wait";
            long pid = fixture.killAfter(sup.start(new ServiceSpec("web", List.of(ActionSpec.process("main",
                    List.of("/bin/sh", "-c", script), Map.of(), tmp, tmp.resolve("logs/main.log"))))).getFirst().pid());
            await().atMost(BOUND).until(() -> descendants(pid).size() == 2);
            List<Long> strays = descendants(pid);
            strays.forEach(fixture::killAfter);

            List<ActionStatus> stopped = sup.stop("web");

            assertThat(stopped.getFirst().state()).isEqualTo(ActionState.STOPPED);
            assertThat(ProcFs.running(pid)).isFalse();
            await().atMost(BOUND).until(() -> strays.stream().noneMatch(ProcFs::running));
        }
        assertThat(blocked).isRegularFile();
    }

    private static List<Long> descendants(long pid) {
        List<Long> all = new ArrayList<>(ProcTable.children(pid));
        for (int i = 0; i < all.size(); i++) all.addAll(ProcTable.children(all.get(i)));
        return all;
    }
}

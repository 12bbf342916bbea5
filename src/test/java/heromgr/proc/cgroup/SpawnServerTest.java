package heromgr.proc.cgroup;

import heromgr.proc.ActionSpec;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.SupervisorException;
import heromgr.proc.embedded.EmbeddedSupervisor;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.PosixSpawn;
import heromgr.proc.os.ProcTable;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * heromgr-spawn as a spawn server (SpawnServer): services born in their cgroup through it, in their own session with
 * fds 0-2 only, the daemon's children; a server killed between two spawns replaced at the next one; a failing set-up
 * or exec reported as a plain posix_spawn reports it. Needs cgroup v2, the right to make cgroups, and the helper built.
 */
class SpawnServerTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final long SELF = ProcessHandle.current().pid();

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();

    private EmbeddedSupervisor supervisor() {
        var s = fixture.supervisor();
        assumeThat(s.controlGroup("any", "main")).as("cgroup v2 with the right to make cgroups").isPresent();
        assumeThat(CgroupSpawn.available()).as("heromgr-spawn built (mvn compile, needs gcc)").isTrue();
        return s;
    }

    private ServiceSpec sleeper(String name) {
        return new ServiceSpec(name, List.of(ActionSpec.process("main", List.of("/bin/sleep", "60"), Map.of(), tmp,
                tmp.resolve("logs/" + name + ".log")).withRestart(RestartPolicy.never())));
    }

    private long start(EmbeddedSupervisor sup, String name) {
        return fixture.killAfter(sup.start(sleeper(name)).getFirst().pid());
    }

    @Test
    void aServiceIsBornThroughTheServerInItsCgroupAndSessionWithItsLogsOnFdsOneAndTwoAndNothingElse() throws IOException {
        EmbeddedSupervisor sup = supervisor();

        long pid = start(sup, "web");

        long server = CgroupSpawn.serverPids().getFirst();
        assertThat(ProcTable.arguments(server)).endsWith("--serve");
        assertThat(ProcFs.stat(server)[4]).as("the server is the daemon's child").isEqualTo(Long.toString(SELF));
        assertThat(ProcFs.stat(pid)[4]).as("so is the service, not the server's").isEqualTo(Long.toString(SELF));
        assertThat(ProcFs.stat(pid)[6]).as("its own session").isEqualTo(Long.toString(pid));
        assertThat(ProcFs.read(sup.controlGroup("web", "main").orElseThrow().resolve("cgroup.procs"))).contains(Long.toString(pid));
        // the start answers once the child is in its cgroup and session, which may be just before its exec: until then
        // it still holds the server's descriptors, which close on the exec
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcTable.arguments(pid).equals(List.of("/bin/sleep", "60")));
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (var list = Files.list(fds)) {
            assertThat(list.map(fd -> fd.getFileName().toString()).sorted()).as("no descriptor of the daemon's or the server's")
                    .containsExactly("0", "1", "2");
        }
        assertThat(Files.readSymbolicLink(fds.resolve("0"))).isEqualTo(Path.of("/dev/null"));
        assertThat(Files.readSymbolicLink(fds.resolve("1"))).isEqualTo(tmp.resolve("logs/web.log"));
        assertThat(Files.readSymbolicLink(fds.resolve("2"))).isEqualTo(tmp.resolve("logs/web.err.log"));
    }

    @Test
    void aServerKilledBetweenTwoSpawnsIsReapedAndReplacedByOneNewServerAndTheNextSpawnWorks() throws IOException {
        EmbeddedSupervisor sup = supervisor();
        start(sup, "web");
        List<Long> servers = CgroupSpawn.serverPids();
        long killed = servers.getFirst(); // the one that served last serves next

        PosixSignals.kill(killed, 9);
        await().atMost(BOUND).until(() -> !ProcFs.running(killed));
        long pid = start(sup, "api");

        assertThat(ProcFs.running(pid)).isTrue();
        assertThat(ProcFs.read(sup.controlGroup("api", "main").orElseThrow().resolve("cgroup.procs")))
                .contains(Long.toString(pid));
        List<Long> now = CgroupSpawn.serverPids();
        assertThat(now).as("one new server in its place").hasSameSizeAs(servers).doesNotContain(killed);
        assertThat(Path.of("/proc", Long.toString(killed))).as("reaped, not left a zombie").doesNotExist();
        assertThat(ProcTable.children(SELF).stream().filter(c -> ProcTable.arguments(c).contains("--serve")))
                .as("no other server").containsExactlyInAnyOrderElementsOf(now);
    }

    @Test
    void anIdleServerThatDiesIsReapedAtOnceNotLeftAZombieUntilTheNextSpawn() throws IOException {
        EmbeddedSupervisor sup = supervisor();
        start(sup, "web");
        long killed = CgroupSpawn.serverPids().getFirst();

        PosixSignals.kill(killed, 9);

        await().atMost(BOUND).untilAsserted(() -> assertThat(Path.of("/proc", Long.toString(killed))).as("reaped").doesNotExist());
        assertThat(CgroupSpawn.serverPids()).doesNotContain(killed);
        long pid = start(sup, "api");
        assertThat(ProcFs.read(sup.controlGroup("api", "main").orElseThrow().resolve("cgroup.procs"))).contains(Long.toString(pid));
    }

    @Test
    void aServerThatDiesAfterItsCloneAndBeforeItsAnswerLeavesOneServiceTheSpawnsPidNotASecondOne() throws Exception {
        EmbeddedSupervisor sup = supervisor();
        start(sup, "web");
        Path leaf = sup.controlGroup("web", "main").orElseThrow().resolveSibling("lost");
        Files.createDirectory(leaf);
        // the child opens its log before its exec: on a FIFO without a reader that open waits, and so does its server
        Path fifo = tmp.resolve("logs/lost.log");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        var request = new PosixSpawn.Request(Path.of("/bin/sleep"), List.of("sleep", "60"), Map.of(), tmp, fifo);
        var thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
        try {
            var spawned = thread.submit(() -> CgroupSpawn.spawn(request, leaf));
            await().atMost(BOUND).until(() -> !ProcFs.read(leaf.resolve("cgroup.procs")).isBlank());
            String child = ProcFs.read(leaf.resolve("cgroup.procs")).strip(); // a copy of its server until its exec
            List<Long> busy = ProcTable.children(SELF).stream().filter(c -> ProcTable.arguments(c).contains("--serve"))
                    .filter(c -> !CgroupSpawn.serverPids().contains(c) && !child.equals(Long.toString(c))).toList();
            assertThat(busy).as("the server waiting for the child's exec").hasSize(1);

            PosixSignals.kill(busy.getFirst(), 9);

            // the child holds a copy of the server's socket until its exec: the spawn sees the server gone only then
            try (var reader = new RandomAccessFile(fifo.toFile(), "rw")) { // O_RDWR: a FIFO's open that never waits
                long pid = fixture.killAfter(spawned.get(BOUND.toSeconds(), TimeUnit.SECONDS).orElseThrow());
                assertThat(Long.toString(pid)).as("the child it made").isEqualTo(child);
                assertThat(ProcTable.arguments(pid)).isEqualTo(List.of("sleep", "60"));
                assertThat(ProcFs.stat(pid)[4]).as("the daemon's child").isEqualTo(Long.toString(SELF));
                assertThat(ProcFs.read(leaf.resolve("cgroup.procs")).lines()).as("not started twice").containsExactly(child);
            }
        } finally {
            new RandomAccessFile(fifo.toFile(), "rw").close(); // a child still waiting in its open goes on
            thread.shutdown();
            for (String member : ProcFs.read(leaf.resolve("cgroup.procs")).split("\n")) {
                if (!member.isBlank()) PosixSignals.kill(Long.parseLong(member.strip()), 9);
            }
            await().atMost(BOUND).ignoreExceptions().until(() -> {
                Files.deleteIfExists(leaf); // a cgroup's rmdir: refused (EBUSY) until the kernel has let go of its members
                return !Files.exists(leaf);
            });
        }
    }

    @Test
    void spawnsAtOnceShareAFewServersEachServiceInItsOwnCgroup() throws Exception {
        EmbeddedSupervisor sup = supervisor();
        var names = IntStream.range(0, 12).mapToObj(i -> "s" + i).toList();

        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var started : threads.invokeAll(names.stream().<Callable<Long>>map(n -> () -> start(sup, n)).toList())) {
                assertThat(ProcFs.running(started.get())).isTrue();
            }
        }

        for (String name : names) {
            long pid = sup.status(name).getFirst().pid();
            assertThat(ProcFs.read(sup.controlGroup(name, "main").orElseThrow().resolve("cgroup.procs"))).contains(Long.toString(pid));
        }
        assertThat(CgroupSpawn.serverPids()).hasSizeBetween(1, SpawnServerPool.SIZE);
    }

    @Test
    void aMissingProgramWorkDirOrLogDirIsReportedAsAPlainPosixSpawnReportsIt() throws IOException {
        EmbeddedSupervisor sup = supervisor();
        start(sup, "web");
        Path leaf = sup.controlGroup("web", "main").orElseThrow();
        Path log = tmp.resolve("logs/other.log");
        var failing = List.of(
                new PosixSpawn.Request(tmp.resolve("no-such-program"), List.of("ghost"), Map.of(), tmp, log),
                new PosixSpawn.Request(Path.of("/bin/sleep"), List.of("sleep", "60"), Map.of(), tmp.resolve("no-such-dir"), log),
                new PosixSpawn.Request(Path.of("/bin/sleep"), List.of("sleep", "60"), Map.of(), tmp, tmp.resolve("no-such-dir/x.log")));
        for (PosixSpawn.Request request : failing) {
            String plain = catchMessage(() -> PosixSpawn.spawn(request));
            assertThatThrownBy(() -> CgroupSpawn.spawn(request, leaf)).isInstanceOf(SupervisorException.class).hasMessage(plain);
        }
        assertThat(ProcFs.read(leaf.resolve("cgroup.procs")).lines()).as("the failed children are gone").hasSize(1);
    }

    @Test
    void aRequestTooLargeForTheServerFailsThatSpawnAloneAsAPlainPosixSpawnWouldAndTheNextGoesThroughTheServer() throws IOException {
        EmbeddedSupervisor sup = supervisor();
        start(sup, "web");
        Path leaf = sup.controlGroup("web", "main").orElseThrow();
        // over the server's 4 MiB for one request, and over what execve takes: both say E2BIG
        var huge = new PosixSpawn.Request(Path.of("/bin/sleep"), List.of("sleep", "60"), Map.of("HUGE", "x".repeat(5 << 20)), tmp,
                tmp.resolve("logs/huge.log"));
        String plain = catchMessage(() -> PosixSpawn.spawn(huge));

        assertThatThrownBy(() -> CgroupSpawn.spawn(huge, leaf)).isInstanceOf(SupervisorException.class).hasMessage(plain);

        assertThat(CgroupSpawn.available()).as("the helper is not given up for one request it refused").isTrue();
        long pid = start(sup, "api");
        assertThat(ProcFs.read(sup.controlGroup("api", "main").orElseThrow().resolve("cgroup.procs"))).contains(Long.toString(pid));
    }

    private static String catchMessage(Runnable spawn) {
        try {
            spawn.run();
        } catch (SupervisorException e) {
            return e.getMessage();
        }
        throw new AssertionError("the plain spawn did not fail");
    }
}

package heromgr.proc.embedded;

import heromgr.proc.ActionKind;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ActionStatus;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.Signal;
import heromgr.proc.SupervisorException;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.ProcTable;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
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
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class EmbeddedSupervisorTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private final EmbeddedSupervisor sup = fixture.supervisor();

    // ---- helpers

    private ActionSpec process(String name, String... argv) {
        return ActionSpec.process(name, List.of(argv), Map.of(), tmp, tmp.resolve("logs").resolve(name + ".log"));
    }

    private ActionSpec oneshot(String name, RestartPolicy restart, String... argv) {
        return new ActionSpec(name, List.of(argv), Map.of(), tmp, ActionKind.ONESHOT, Signal.TERM,
                Duration.ofSeconds(10), tmp.resolve("logs").resolve(name + ".log"), restart);
    }

    private static ServiceSpec service(String name, ActionSpec... actions) {
        return new ServiceSpec(name, List.of(actions));
    }

    private ActionStatus status(String service) {
        ActionStatus s = sup.status(service).getFirst();
        fixture.killAfter(s.pid());
        return s;
    }

    private ActionStatus awaitState(String service, ActionState state) {
        await().atMost(BOUND).until(() -> status(service).state() == state);
        return status(service);
    }

    private long awaitRunningPid(String service) {
        await().atMost(BOUND).until(() -> status(service).state() == ActionState.RUNNING && status(service).pid() != 0);
        return status(service).pid();
    }

    private void awaitLog(Path log, String text) {
        await().atMost(BOUND).until(() -> Files.exists(log) && Files.readString(log).contains(text));
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true) || !ProcFs.running(pid);
    }

    // ---- start / stop

    @Test
    void aServiceGetsOnlyStdinFromDevNullAndItsLogsAsStdoutAndStderrInANewSessionWithDefaultSignals() throws IOException {
        // /proc/self is the shell itself: exec keeps the pid, so these lines describe what the service was handed
        sup.start(service("fds", process("fds", "/bin/sh", "-c",
                "ls /proc/self/fd; readlink /proc/self/fd/0; grep -E '^(SigIgn|SigBlk)' /proc/self/status; "
                        + "echo sid=$(cut -d' ' -f6 /proc/self/stat) pid=$$; echo err >&2; exec sleep 60")));
        long pid = awaitRunningPid("fds");
        Path log = tmp.resolve("logs/fds.log");
        // stderr has a file of its own beside the log, so the two streams stay apart without a pipe
        awaitLog(tmp.resolve("logs/fds.err.log"), "err");
        awaitLog(log, "sid=");
        List<String> lines = Files.readAllLines(log);
        // ls lists 0 1 2 and its own directory fd (3): nothing of the JVM's leaked through
        assertThat(lines.subList(0, lines.indexOf("/dev/null"))).containsExactly("0", "1", "2", "3");
        assertThat(lines).contains("SigBlk:\t0000000000000000", "sid=" + pid + " pid=" + pid).doesNotContain("err");
        // no signal a service uses is ignored; glibc's posix_spawn leaves its own internal signals 32 and 33 ignored
        long ignored = Long.parseLong(lines.stream().filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow().substring(8), 16);
        assertThat(ignored & ~0x180000000L).isZero();
    }

    @Test
    void startRunsTheProcessAsItsOwnGroupLeaderAndIsIdempotent() {
        List<ActionStatus> started = sup.start(service("web", process("main", "/bin/sleep", "1000")));
        assertThat(started).hasSize(1);
        long pid = started.getFirst().pid();
        fixture.killAfter(pid);
        assertThat(started.getFirst().state()).isEqualTo(ActionState.RUNNING);
        assertThat(pid).isPositive();
        assertThat(ProcFs.running(pid)).isTrue();
        assertThat(ProcFs.pgid(pid)).isEqualTo(pid);
        // setsid execs in place (no extra fork): the pid we got becomes sleep itself
        await().atMost(BOUND).until(() -> "sleep".equals(ProcFs.stat(pid)[2]));

        List<ActionStatus> again = sup.start(service("web", process("main", "/bin/sleep", "1000")));
        assertThat(again.getFirst().pid()).isEqualTo(pid);
        assertThat(again.getFirst().restartCount()).isZero();
        await().atMost(BOUND).until(() -> status("web").uptimeMs() > 0);
    }

    @Test
    void stopEndsTheProcessAndNothingRestartsIt() {
        long pid = sup.start(service("web", process("main", "/bin/sleep", "1000"))).getFirst().pid();
        fixture.killAfter(pid);

        List<ActionStatus> stopped = sup.stop("web");

        assertThat(gone(pid)).isTrue();
        assertThat(stopped.getFirst().state()).isEqualTo(ActionState.STOPPED);
        assertThat(stopped.getFirst().pid()).isZero();
        assertThat(stopped.getFirst().lastExit().requested()).isTrue();
        assertThat(stopped.getFirst().lastExit().signal()).isEqualTo(15);
        // the restart delay is 100 ms: hold for several times that
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> status("web").state() == ActionState.STOPPED && status("web").pid() == 0);
    }

    @Test
    void stopEscalatesToSigkillAfterTheTimeout() {
        Path log = tmp.resolve("logs/main.log");
        ActionSpec stubborn = process("main", "/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done")
                .withStop(Signal.TERM, Duration.ofMillis(500));
        long pid = sup.start(service("web", stubborn)).getFirst().pid();
        fixture.killAfter(pid);
        awaitLog(log, "ready"); // the trap is in place

        long t0 = System.nanoTime();
        List<ActionStatus> stopped = sup.stop("web");
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).isGreaterThanOrEqualTo(500);
        assertThat(gone(pid)).isTrue();
        assertThat(stopped.getFirst().state()).isEqualTo(ActionState.STOPPED);
        assertThat(stopped.getFirst().lastExit().signal()).isEqualTo(9);
        await().atMost(BOUND).until(() -> ProcFs.liveMembers(pid).isEmpty());
    }

    @Test
    void stopTakesTheGrandchildrenWithIt() {
        long pid = sup.start(service("web", process("main", "/bin/sh", "-c", "sleep 1000 & sleep 1000 & wait")))
                .getFirst().pid();
        fixture.killAfter(pid);
        await().atMost(BOUND).until(() -> ProcFs.liveMembers(pid).size() == 3);

        sup.stop("web");

        await().atMost(BOUND).until(() -> ProcFs.liveMembers(pid).isEmpty());
        assertThat(status("web").state()).isEqualTo(ActionState.STOPPED);
    }

    @Test
    void grandchildrenThatIgnoreTheStopSignalAreKilledOnceTheMainProcessIsGone() {
        String script = "(trap '' TERM; exec sleep 1000) & (trap '' TERM; exec sleep 1000) & wait";
        long pid = sup.start(service("web", process("main", "/bin/sh", "-c", script))).getFirst().pid();
        fixture.killAfter(pid);
        await().atMost(BOUND).until(() -> ProcFs.liveMembers(pid).size() == 3);

        long t0 = System.nanoTime();
        sup.stop("web");
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).as("the main shell obeys SIGTERM, so no 10 s escalation").isLessThan(5_000);
        assertThat(status("web").lastExit().signal()).isEqualTo(15);
        await().atMost(BOUND).until(() -> ProcFs.liveMembers(pid).isEmpty());
    }

    @Test
    void descendantsThatLeftTheGroupAndIgnoreTheStopSignalAreKilledToo() {
        // the helper calls setsid: a session and group of its own, out of reach of a signal to the service's group;
        // it and the sleep it forks ignore SIGTERM (an ignored signal stays ignored across fork and exec)
        String script = "setsid sh -c \"trap '' TERM; sleep 1000 & wait\" & wait";
        long pid = sup.start(service("web", process("main", "/bin/sh", "-c", script))).getFirst().pid();
        fixture.killAfter(pid);
        await().atMost(BOUND).until(() -> descendants(pid).size() == 2);
        List<Long> strays = descendants(pid);
        strays.forEach(fixture::killAfter);
        assertThat(strays).allSatisfy(stray -> assertThat(ProcFs.pgid(stray)).isNotEqualTo(pid));

        sup.stop("web");

        await().atMost(BOUND).until(() -> strays.stream().allMatch(EmbeddedSupervisorTest::gone));
        assertThat(status("web").state()).isEqualTo(ActionState.STOPPED);
    }

    private static List<Long> descendants(long pid) {
        List<Long> all = new ArrayList<>(ProcTable.children(pid));
        for (int i = 0; i < all.size(); i++) all.addAll(ProcTable.children(all.get(i)));
        return all;
    }

    @Test
    void stopOfAnUnknownServiceIsANoOp() {
        assertThat(sup.stop("nope")).isEmpty();
        assertThat(sup.status("nope")).isEmpty();
    }

    // ---- exits and restarts

    @Test
    void aCrashedProcessIsRestarted() {
        long first = sup.start(service("web", process("main", "/bin/sleep", "1000"))).getFirst().pid();
        fixture.killAfter(first);

        assertThat(PosixSignals.kill(first, Signal.KILL)).isTrue();

        await().atMost(BOUND).until(() -> {
            ActionStatus s = status("web");
            return s.state() == ActionState.RUNNING && s.pid() != 0 && s.pid() != first;
        });
        ActionStatus s = status("web");
        assertThat(s.restartCount()).isEqualTo(1);
        assertThat(s.lastExit().signal()).isEqualTo(9);
        assertThat(s.lastExit().code()).isEqualTo(137);
        assertThat(s.lastExit().requested()).isFalse();
        assertThat(ProcFs.pgid(s.pid())).isEqualTo(s.pid());
    }

    @Test
    void aStopDuringBackoffCancelsThePendingRestart() {
        ActionSpec slowRestart = process("main", "/bin/sleep", "1000")
                .withRestart(new RestartPolicy(RestartPolicy.Mode.ALWAYS, Duration.ofMillis(400)));
        long first = sup.start(service("web", slowRestart)).getFirst().pid();
        fixture.killAfter(first);
        // the first crash is restarted at once; the second, before the run was stable, waits 400 ms
        PosixSignals.kill(first, Signal.KILL);
        await().atMost(BOUND).until(() -> status("web").pid() != first && status("web").state() == ActionState.RUNNING);
        PosixSignals.kill(status("web").pid(), Signal.KILL);
        awaitState("web", ActionState.BACKOFF);

        assertThat(sup.stop("web").getFirst().state()).isEqualTo(ActionState.STOPPED);

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> status("web").state() == ActionState.STOPPED && status("web").pid() == 0);
    }

    @Test
    void policyNeverLeavesAFailedProcessDown() {
        ActionSpec failing = process("main", "/bin/sh", "-c", "exit 3").withRestart(RestartPolicy.never());
        sup.start(service("web", failing));

        ActionStatus s = awaitState("web", ActionState.FAILED);

        assertThat(s.lastExit().code()).isEqualTo(3);
        assertThat(s.lastExit().signal()).isZero();
        assertThat(s.pid()).isZero();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> status("web").state() == ActionState.FAILED && status("web").pid() == 0);
        assertThat(status("web").restartCount()).isZero();
    }

    @Test
    void aOneshotThatSucceedsEndsExited() {
        sup.start(service("job", oneshot("init", RestartPolicy.always(), "/bin/true")));

        ActionStatus s = awaitState("job", ActionState.EXITED);

        assertThat(s.lastExit().success()).isTrue();
        assertThat(s.restartCount()).isZero();
        assertThat(s.pid()).isZero();
    }

    @Test
    void aFailingOneshotIsRetriedOnFailure() {
        sup.start(service("job", oneshot("init", new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, Duration.ofMillis(20)),
                "/bin/sh", "-c", "exit 1")));

        await().atMost(BOUND).until(() -> status("job").restartCount() >= 2);
        assertThat(status("job").lastExit().code()).isEqualTo(1);

        sup.stop("job"); // may catch a run in flight (then its exit is the requested SIGTERM) or a pending retry
        int count = status("job").restartCount();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> status("job").state() == ActionState.STOPPED && status("job").restartCount() == count);
    }

    // ---- environment, working dir, logs

    @Test
    void envAndWorkDirReachTheProcessAndOutputGoesToTheLog() throws IOException {
        Path work = Files.createDirectory(tmp.resolve("work")).toRealPath();
        Path log = tmp.resolve("logs/deep/init.log");
        ActionSpec a = new ActionSpec("init", List.of("/bin/sh", "-c", "echo FOO=$FOO; pwd; echo oops >&2"),
                Map.of("FOO", "bar"), work, ActionKind.ONESHOT, Signal.TERM, Duration.ofSeconds(5), log, RestartPolicy.never());
        sup.start(service("job", a));

        awaitState("job", ActionState.EXITED);

        String text = Files.readString(log);
        assertThat(text).contains("FOO=bar").contains(work.toString()).doesNotContain("oops");
        assertThat(tmp.resolve("logs/deep/init.err.log")).hasContent("oops");
        assertThat(sup.tail("job", "init", 10)).containsExactly("FOO=bar", work.toString(), "oops");
        assertThat(sup.tail("job", "init", 1)).containsExactly("oops");
    }

    @Test
    void logsAreAppendedAcrossRuns() {
        Path log = tmp.resolve("logs/init.log");
        ServiceSpec job = service("job", oneshot("init", RestartPolicy.never(), "/bin/echo", "hello"));
        sup.start(job);
        awaitState("job", ActionState.EXITED);
        sup.start(job);
        await().atMost(BOUND).until(() -> Files.readString(log).equals("hello\nhello\n"));
    }

    @Test
    void tailOfAllActionsFollowsSpecOrder() {
        sup.start(service("job",
                oneshot("b", RestartPolicy.never(), "/bin/sh", "-c", "echo b1; echo b2"),
                oneshot("a", RestartPolicy.never(), "/bin/sh", "-c", "echo a1; echo a2")));
        await().atMost(BOUND).until(() -> sup.status("job").stream().allMatch(s -> s.state() == ActionState.EXITED));

        assertThat(sup.tail("job", null, 1)).containsExactly("b2", "a2");
        assertThat(sup.tail("job", null, 5)).containsExactly("b1", "b2", "a1", "a2");
        assertThat(sup.tail("nope", null, 5)).isEmpty();
    }

    @Test
    void multipleActionsAreStoppedTogether() {
        List<ActionStatus> started = sup.start(service("web",
                process("db", "/bin/sleep", "1000"), process("app", "/bin/sleep", "1000")));
        assertThat(started).extracting(ActionStatus::name).containsExactly("db", "app");
        var pids = new ArrayList<Long>();
        for (ActionStatus s : started) pids.add(s.pid());
        pids.forEach(fixture::killAfter);

        List<ActionStatus> stopped = sup.stop("web");

        assertThat(stopped).extracting(ActionStatus::state).containsOnly(ActionState.STOPPED);
        assertThat(pids).allMatch(EmbeddedSupervisorTest::gone);
    }

    @Test
    void anActionDroppedFromTheSpecRunsOnUntilTheServiceStopsThenGoes() {
        List<ActionStatus> first = sup.start(service("web",
                process("db", "/bin/sleep", "1000"), process("app", "/bin/sleep", "1000")));
        first.forEach(s -> fixture.killAfter(s.pid()));
        long app = first.get(1).pid();

        List<ActionStatus> second = sup.start(service("web", process("db", "/bin/sleep", "1000")));

        assertThat(second).extracting(ActionStatus::name, ActionStatus::pid)
                .containsExactly(tuple("db", first.getFirst().pid()), tuple("app", app));
        assertThat(sup.status("web")).extracting(ActionStatus::name).containsExactly("db", "app");

        List<ActionStatus> stopped = sup.stop("web");

        assertThat(stopped).extracting(ActionStatus::name, ActionStatus::state).containsExactly(tuple("db", ActionState.STOPPED));
        assertThat(sup.status("web")).extracting(ActionStatus::name).containsExactly("db");
        assertThat(gone(app)).isTrue();
    }

    @Test
    void anActionDroppedFromTheSpecThatNoLongerRunsGoesAtTheStart() {
        sup.start(service("job", process("main", "/bin/sleep", "1000"), oneshot("init", RestartPolicy.never(), "/bin/true")));
        fixture.killAfter(sup.status("job").getFirst().pid());
        await().atMost(BOUND).until(() -> sup.status("job").get(1).state() == ActionState.EXITED);

        List<ActionStatus> started = sup.start(service("job", process("main", "/bin/sleep", "1000")));

        assertThat(started).extracting(ActionStatus::name).containsExactly("main");
        assertThat(sup.status("job")).extracting(ActionStatus::name).containsExactly("main");
    }

    // ---- refused specs

    @Test
    void aMissingBinaryIsReportedBeforeSpawning() {
        assertThatThrownBy(() -> sup.start(service("web", process("main", "/nonexistent/x"))))
                .isInstanceOf(SupervisorException.class)
                .hasMessageContaining("main")
                .hasMessageContaining("/nonexistent/x");
        assertThatThrownBy(() -> sup.start(service("web", process("main", "no-such-program-here"))))
                .isInstanceOf(SupervisorException.class)
                .hasMessageContaining("main")
                .hasMessageContaining("no-such-program-here");
        assertThat(sup.status("web")).allMatch(s -> s.pid() == 0);
    }

    @Test
    void aMissingWorkDirIsReported() {
        Path missing = tmp.resolve("no-such-dir");
        ActionSpec a = ActionSpec.process("main", List.of("/bin/sleep", "1000"), Map.of(), missing, tmp.resolve("main.log"));
        assertThatThrownBy(() -> sup.start(service("web", a)))
                .isInstanceOf(SupervisorException.class)
                .hasMessageContaining("main")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void bareNamesAreFoundOnTheActionsOwnPath() throws IOException {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path prog = bin.resolve("hello-prog");
        Files.writeString(prog, "#!/bin/sh\necho hello from prog\n");
        Files.setPosixFilePermissions(prog, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = tmp.resolve("logs/init.log");
        ActionSpec a = new ActionSpec("init", List.of("hello-prog"), Map.of("PATH", bin + ":/usr/bin:/bin"), tmp,
                ActionKind.ONESHOT, Signal.TERM, Duration.ofSeconds(5), log, RestartPolicy.never());

        sup.start(service("job", a));

        awaitState("job", ActionState.EXITED);
        assertThat(sup.tail("job", "init", 5)).containsExactly("hello from prog");
    }

    // ---- close

    @Test
    void closeWithoutStopAllLeavesProcessesRunning() {
        long pid = sup.start(service("web", process("main", "/bin/sleep", "1000"))).getFirst().pid();
        fixture.killAfter(pid);

        sup.close(false);

        assertThat(ProcFs.running(pid)).isTrue();
        assertThatThrownBy(() -> sup.start(service("other", process("main", "/bin/sleep", "1000"))))
                .isInstanceOf(SupervisorException.class);
        // the fixture's close(true) and pid kill end it
    }
}

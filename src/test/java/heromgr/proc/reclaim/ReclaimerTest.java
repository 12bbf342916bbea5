package heromgr.proc.reclaim;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.Job;
import heromgr.proc.Reclaim;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.SupervisorException;
import heromgr.proc.cgroup.ControlGroups;
import heromgr.proc.embedded.EmbeddedSupervisor;
import heromgr.testkit.ForeignListener;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** kill_other against real holders: python3 processes listening on a Unix socket or a loopback TCP port. */
class ReclaimerTest {
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final Path PYTHON = ForeignListener.PYTHON;

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private Path script;
    private EmbeddedSupervisor sup;

    @BeforeEach
    void setUp() throws IOException {
        assumeThat(Files.isExecutable(PYTHON)).as("needs " + PYTHON).isTrue();
        script = ForeignListener.script(tmp);
    }

    // ---- helpers

    /** A holder started by the test, in its own group as a supervised process would be. */
    private long startHolder(String kind, String where) throws IOException {
        return fixture.killAfter(ForeignListener.start(tmp, true, kind, where).pid());
    }

    private ActionSpec action(Reclaim reclaim, String... argv) {
        return ActionSpec.process("server", List.of(argv), Map.of(), tmp, tmp.resolve("server.log"))
                .withRestart(RestartPolicy.never()).withReclaim(reclaim);
    }

    private long startService(ActionSpec action) {
        return startService(sup, action);
    }

    private long startService(EmbeddedSupervisor supervisor, ActionSpec action) {
        return fixture.killAfter(supervisor.start(new ServiceSpec("hero_echo", List.of(action))).getFirst().pid());
    }

    private static boolean answers(Path socket) {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<Long> holdersOfPort(int port) throws IOException {
        return SocketTable.holders(SocketTable.tcpListenInodes(port));
    }

    // ---- Unix sockets

    @Test
    void aSocketFileNobodyListensOnIsRemovedAndTheActionBindsIt() throws IOException {
        sup = fixture.supervisor();
        Path sock = tmp.resolve("rpc.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
        } // closing leaves the file behind, as a crashed server does
        assertThat(sock).exists();

        long pid = startService(action(Reclaim.sockets(sock), PYTHON.toString(), script.toString(), "unix", sock.toString()));

        await().atMost(BOUND).until(() -> answers(sock));
        assertThat(SocketTable.holders(SocketTable.unixInodes(sock))).containsExactly(pid);
    }

    @Test
    void aLiveHolderRunningTheActionsOwnBinaryIsKilledAndTheActionStarts() throws IOException {
        sup = fixture.supervisor();
        Path sock = tmp.resolve("rpc.sock");
        long stale = startHolder("unix", sock.toString());

        long pid = startService(action(Reclaim.sockets(sock), PYTHON.toString(), script.toString(), "unix", sock.toString()));

        assertThat(ProcFs.running(stale)).as("stale holder killed").isFalse();
        await().atMost(BOUND).until(() -> answers(sock) && SocketTable.holders(SocketTable.unixInodes(sock)).equals(List.of(pid)));
    }

    @Test
    void aForeignHolderIsLeftAloneAndTheStartFailsNamingIt() throws IOException {
        sup = fixture.supervisor();
        Path sock = tmp.resolve("rpc.sock");
        long holder = startHolder("unix", sock.toString());

        assertThatThrownBy(() -> startService(action(Reclaim.sockets(sock), "/bin/sleep", "60")))
                .isInstanceOf(SupervisorException.class)
                .hasMessageContaining(sock + " is held by pid " + holder + " (" + PYTHON + " " + script + " unix " + sock + ")")
                .hasMessageContaining("which is not a hero_echo process; refusing to kill it");
        assertThat(ProcFs.running(holder)).isTrue();
        assertThat(answers(sock)).isTrue();
        assertThat(sup.status("hero_echo").getFirst().state()).isEqualTo(ActionState.FAILED);
    }

    @Test
    void aHelperLeftBehindByARunInThePersistedJobHistoryIsKilledAfterADaemonRestart() throws IOException {
        Path sock = tmp.resolve("rpc.sock");
        Path state = tmp.resolve("runtime.json");
        // the run's shell exits at once; the listener it started stays behind in the run's group, running python,
        // which is not the service's binary: only the job history says it is ours. A daemon with a cgroup per action
        // kills it when the run ends; one without (no cgroup v2, or an older daemon) leaves it: that one is first here
        EmbeddedSupervisor first = fixture.closeAfter(
                new EmbeddedSupervisor(state, Reclaimer.standard(), owner -> ControlGroups.under(tmp, owner)));
        long run = startService(first, action(Reclaim.none(), "/bin/sh", "-c",
                PYTHON + " " + script + " unix " + sock + " & exit 3"));
        await().atMost(BOUND).until(() -> answers(sock) && first.status("hero_echo").getFirst().state() == ActionState.FAILED);
        long helper = SocketTable.holders(SocketTable.unixInodes(sock)).getFirst();
        fixture.killAfter(helper);
        assertThat(ProcFs.pgid(helper)).isEqualTo(run);
        first.close(false);

        sup = fixture.supervisor(state);
        long pid = startService(action(Reclaim.sockets(sock), "/bin/sleep", "60"));

        assertThat(ProcFs.running(helper)).as("stale helper killed").isFalse();
        assertThat(ProcFs.running(pid)).isTrue();
    }

    @Test
    void aPidOrGroupOfAnEarlierRunIsOursOnlyIfTheProcessStartedWhileThatRunLived() throws IOException {
        long holder = startHolder("unix", tmp.resolve("rpc.sock").toString());
        Instant now = Instant.now();
        Job living = new Job(1, holder, now.minusSeconds(60), null, null, null, null);
        Job endedBeforeItStarted = new Job(2, holder, now.minusSeconds(600), now.minusSeconds(300), 0, null, "exited");
        Job otherPid = new Job(3, holder + 1, now.minusSeconds(60), null, null, null, null);

        assertThat(Reclaimer.fromOwnRun(holder, List.of(living))).isTrue();
        // the same pid, but the process started after that run ended: a recycled pid, not ours
        assertThat(Reclaimer.fromOwnRun(holder, List.of(endedBeforeItStarted))).isFalse();
        assertThat(Reclaimer.fromOwnRun(holder, List.of(otherPid))).isFalse();
        assertThat(Reclaimer.fromOwnRun(holder, List.of())).isFalse();
    }

    @Test
    void aHolderRunningOneOfTheServicesOwnBinariesIsKilled() throws IOException {
        Path sock = tmp.resolve("rpc.sock");
        long holder = startHolder("unix", sock.toString());
        sup = fixture.closeAfter(new EmbeddedSupervisor(new Reclaimer(Set.of(PYTHON))));

        startService(action(Reclaim.sockets(sock), "/bin/sleep", "60"));

        assertThat(ProcFs.running(holder)).isFalse();
    }

    @Test
    void aPathThatIsNotASocketIsNeverRemoved() throws IOException {
        sup = fixture.supervisor();
        Path notSocket = Files.writeString(tmp.resolve("rpc.sock"), "data");

        assertThatThrownBy(() -> startService(action(Reclaim.sockets(notSocket), "/bin/sleep", "60")))
                .isInstanceOf(SupervisorException.class)
                .hasMessageContaining(notSocket + " exists and is not a socket; refusing to remove it");
        assertThat(notSocket).hasContent("data");
    }

    // ---- TCP ports

    @Test
    void aTcpPortHeldByTheActionsOwnBinaryIsFreed() throws IOException {
        sup = fixture.supervisor();
        int port = freePort();
        long stale = startHolder("tcp", Integer.toString(port));
        assertThat(holdersOfPort(port)).containsExactly(stale);

        long pid = startService(action(Reclaim.ports(port), PYTHON.toString(), script.toString(), "tcp", Integer.toString(port)));

        assertThat(ProcFs.running(stale)).isFalse();
        await().atMost(BOUND).until(() -> holdersOfPort(port).equals(List.of(pid)));
    }

    @Test
    void aTcpPortHeldByAForeignProcessFailsTheStart() throws IOException {
        sup = fixture.supervisor();
        int port = freePort();
        long holder = startHolder("tcp", Integer.toString(port));

        assertThatThrownBy(() -> startService(action(Reclaim.ports(port), "/bin/sleep", "60")))
                .isInstanceOf(SupervisorException.class)
                .hasMessageContaining("TCP port " + port + " is held by pid " + holder + " (" + PYTHON + " " + script + " tcp " + port + ")")
                .hasMessageContaining("refusing to kill it");
        assertThat(ProcFs.running(holder)).isTrue();
    }

    @Test
    void aFreePortNeedsNothing() throws IOException {
        sup = fixture.supervisor();
        int port = freePort();
        long pid = startService(action(Reclaim.ports(port), "/bin/sleep", "60"));
        assertThat(ProcFs.running(pid)).isTrue();
    }

    @Test
    void badPortsAreRefusedNamingThem() {
        assertThatThrownBy(() -> Reclaim.ports(0)).hasMessageContaining("TCP port out of range 1..65535: 0");
        assertThatThrownBy(() -> Reclaim.ports(70000)).hasMessageContaining("70000");
    }
}

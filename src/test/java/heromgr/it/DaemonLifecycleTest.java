package heromgr.it;

import heromgr.proc.os.PosixSignals;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The daemon as a separate process: one per socket, stale sockets replaced, SIGTERM shuts it down cleanly. */
class DaemonLifecycleTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void aSecondDaemonOnTheSameSocketRefusesToStart() throws Exception {
        Path home = daemons.root().resolve("home");
        try (DaemonProcess first = daemons.startProcess(home); DaemonProcess second = daemons.launch(home)) {
            assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.exitValue()).isEqualTo(1);
            assertThat(second.stderrText()).contains("another heromgr daemon is already running on " + first.socket);
            assertThat(first.answers()).isTrue();
        }
    }

    @Test
    void aSecondDaemonOnTheSameHomeRefusesToStartWhateverItsSocket() throws Exception {
        Path home = daemons.root().resolve("home");
        Path other = daemons.root().resolve("other.sock");
        try (DaemonProcess first = daemons.startProcess(home);
             DaemonProcess second = daemons.launch(home, Map.of(), List.of("--socket", other.toString()))) {
            assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.exitValue()).isEqualTo(1);
            assertThat(second.stderrText()).contains("another heromgr daemon is already running on " + first.socket + " for " + home);
            assertThat(other).as("it never served").doesNotExist();
            assertThat(first.answers()).isTrue();
        }
    }

    @Test
    void aForgeTimeoutThatIsNoNumberOfMillisecondsIsNamedAtStart() throws Exception {
        Path home = daemons.root().resolve("home");
        try (DaemonProcess d = daemons.launch(home, Map.of("HEROMGR_FORGE_TIMEOUT_MS", "5s"))) {
            assertThat(d.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(d.process.exitValue()).isEqualTo(1);
            assertThat(d.stderrText()).contains("HEROMGR_FORGE_TIMEOUT_MS must be a positive whole number of milliseconds, not '5s'");
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path home = daemons.root().resolve("home");
        Path socket = home.resolve("var/sockets/heromgr/service.sock");
        Files.createDirectories(socket.getParent());
        // a socket file nobody listens on, as a killed daemon leaves it
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (DaemonProcess d = daemons.startProcess(home)) {
            assertThat(d.answers()).isTrue();
        }
    }

    @Test
    void sigtermShutsDownCleanlyAndRemovesTheSocket() throws Exception {
        Path home = daemons.root().resolve("home");
        try (DaemonProcess d = daemons.startProcess(home)) {
            PosixSignals.kill(d.process.pid(), 15);
            await().atMost(Duration.ofSeconds(20)).until(() -> !d.process.isAlive());
            assertThat(d.process.exitValue()).isZero();
            assertThat(d.socket).doesNotExist();
            assertThat(Files.readString(home.resolve("var/log/heromgr/heromgr.log"))).contains("serving on").contains("stopped");
        }
    }
}

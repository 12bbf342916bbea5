package heromgr.it;

import heromgr.proc.os.PosixSignals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The daemon as a separate process: one per socket, stale sockets replaced, SIGTERM shuts it down cleanly. */
class DaemonLifecycleTest {
    Path root;

    @BeforeEach
    void up() throws IOException {
        root = Files.createTempDirectory("heromgr-life-");
    }

    @AfterEach
    void down() throws IOException {
        TestDaemon.deleteTree(root);
    }

    @Test
    void aSecondDaemonOnTheSameSocketRefusesToStart() throws Exception {
        Path home = root.resolve("home");
        try (DaemonProcess first = DaemonProcess.start(home); DaemonProcess second = DaemonProcess.launch(home)) {
            assertThat(second.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.exitValue()).isEqualTo(1);
            assertThat(second.stderrText()).contains("another heromgr daemon is already running on " + first.socket);
            assertThat(first.answers()).isTrue();
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path home = root.resolve("home");
        Path socket = home.resolve("var/sockets/heromgr/service.sock");
        Files.createDirectories(socket.getParent());
        // a socket file nobody listens on, as a killed daemon leaves it
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (DaemonProcess d = DaemonProcess.start(home)) {
            assertThat(d.answers()).isTrue();
        }
    }

    @Test
    void sigtermShutsDownCleanlyAndRemovesTheSocket() throws Exception {
        Path home = root.resolve("home");
        try (DaemonProcess d = DaemonProcess.start(home)) {
            PosixSignals.kill(d.process.pid(), 15);
            await().atMost(Duration.ofSeconds(20)).until(() -> !d.process.isAlive());
            assertThat(d.process.exitValue()).isZero();
            assertThat(d.socket).doesNotExist();
            assertThat(Files.readString(home.resolve("var/log/heromgr/heromgr.log"))).contains("serving on").contains("stopped");
        }
    }
}

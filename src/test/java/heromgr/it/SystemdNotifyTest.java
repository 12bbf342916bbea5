package heromgr.it;

import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import heromgr.testkit.NotifySocket;
import heromgr.testkit.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real `heromgr daemon` JVM under systemd's notify protocol, with the test holding NOTIFY_SOCKET as systemd would:
 * READY=1 only once the daemon answers on its socket, WATCHDOG=1 again and again while WATCHDOG_USEC is set,
 * STOPPING=1 on SIGTERM; the services it runs do not see systemd's variables and outlive its stop.
 */
class SystemdNotifyTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void readyOnceAnsweringThenTheWatchdogThenStoppingOnSigterm() throws Throwable {
        try (var systemd = NotifySocket.bind(daemons.root().resolve("notify.sock").toString())) {
            DaemonProcess d = daemons.launch(daemons.root().resolve("home"),
                    Map.of("NOTIFY_SOCKET", systemd.address, "WATCHDOG_USEC", "400000"));
            String ready = systemd.awaitLine("READY=1", BOUND);
            // the first word from the daemon: by then it must answer
            assertThat(d.answers()).isTrue();
            assertThat(ready).contains("MAINPID=" + d.process.pid()).contains("STATUS=serving on " + d.socket);
            for (int i = 0; i < 3; i++) systemd.awaitLine("WATCHDOG=1", Duration.ofSeconds(10));

            d.result("service.create", Map.of("name", "sleeper", "argv", List.of("/bin/sleep", "600")));
            long sleeper = daemons.killAtEnd(d.result("service.status", Map.of("name", "sleeper")).at("/actions/0/pid").asLong());
            String environ = new String(Files.readAllBytes(Path.of("/proc/" + sleeper + "/environ")), StandardCharsets.UTF_8);
            assertThat(environ).doesNotContain("NOTIFY_SOCKET=").doesNotContain("WATCHDOG_USEC=").contains("HEROMGR_ACTION=");

            d.process.destroy();
            systemd.awaitLine("STOPPING=1", BOUND);
            assertThat(d.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(d.process.exitValue()).isZero();
            assertThat(ProcFs.running(sleeper)).as("the service outlives the daemon's stop").isTrue();
        }
    }

    @Test
    void anAbstractNotifySocketIsReachedToo() throws Throwable {
        try (var systemd = NotifySocket.bind("@heromgr-test-" + UUID.randomUUID())) {
            DaemonProcess d = daemons.launch(daemons.root().resolve("home"), Map.of("NOTIFY_SOCKET", systemd.address));
            systemd.awaitLine("READY=1", BOUND);
            assertThat(d.answers()).isTrue();
        }
    }
}

package heromgr.cli;

import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A download that cannot reach the forge names the URL and the variable that sets it, through the real CLI. */
class CliNetworkErrorTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void anUnreachableForgeIsNamedWithItsVariable() throws IOException {
        String forge = "http://127.0.0.1:" + closedPort();
        TestDaemon d = daemons.start(Services.all(), Map.of("FORGEJO_URL", forge));

        CliRun r = CliRun.of(Map.of("HEROMGR_SOCKET", d.socket().toString()), "service", "install", "hero_echo", "--mode", "download");

        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("cannot connect", "(" + forge + "/api/v1/repos/", "the forge is FORGEJO_URL=" + forge)
                .doesNotContain("java.net.");
    }

    /** A loopback port nothing listens on (bound, then closed). */
    private static int closedPort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

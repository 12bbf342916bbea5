package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.ForeignListener;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.Reclaim;
import heromgr.services.Services;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** service.troubleshoot names who holds a stopped service's socket or port: a real python3 process the test starts. */
class TroubleshootHintsTest {
    private static final Path PYTHON = ForeignListener.PYTHON;

    @TempDir
    Path tmp;
    TestDaemon d;
    final List<Process> holders = new ArrayList<>();

    @BeforeEach
    void needsPython() {
        assumeThat(Files.isExecutable(PYTHON)).as("needs " + PYTHON).isTrue();
    }

    @AfterEach
    void down() throws Exception {
        try {
            if (d != null) d.close();
        } finally {
            for (Process p : holders) {
                PosixSignals.kill(p.pid(), 9);
                p.waitFor();
            }
        }
    }

    Process holder(String kind, String where) throws IOException {
        Process p = ForeignListener.start(tmp, false, kind, where);
        holders.add(p);
        return p;
    }

    List<String> hints(String name) {
        JsonNode r = d.result("service.troubleshoot", Map.of("name", name));
        List<String> out = new ArrayList<>();
        r.get("hints").forEach(h -> out.add(h.asText()));
        return out;
    }

    @Test
    void aForeignProcessOnTheServicesSocketIsNamedWithItsPidAndCommandLine() throws IOException {
        d = TestDaemon.start();
        Path socket = d.paths.serviceSocketDir("hero_echo").resolve("rpc.sock");
        Files.createDirectories(socket.getParent());
        Process p = holder("unix", socket.toString());
        assertThat(hints("hero_echo")).anySatisfy(h -> assertThat(h)
                .startsWith("socket " + socket + " held by pid " + p.pid() + " (" + PYTHON + " " + tmp.resolve("holder.py") + " unix ")
                .contains("stale hero_echo process"));
    }

    @Test
    void aForeignProcessOnTheServicesDeclaredPortIsNamed() throws IOException {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process p = holder("tcp", Integer.toString(port));
        d = TestDaemon.start(List.of(CommandService.of("web", "/bin/sleep", "1000").shaped((ctx, a) -> a.withReclaim(Reclaim.ports(port)))),
                Map.of());
        assertThat(hints("web")).anySatisfy(h -> assertThat(h)
                .startsWith("TCP port " + port + " held by pid " + p.pid() + " (" + PYTHON + " ")
                .endsWith("free the port"));
    }

    @Test
    void aSocketFileNobodyListensOnIsCalledStale() throws IOException {
        d = TestDaemon.start(Services.all(), Map.of());
        Path socket = d.paths.serviceSocketDir("hero_echo").resolve("rpc.sock");
        Files.createDirectories(socket.getParent());
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(hints("hero_echo")).contains("socket " + socket + " is a stale file (nothing listens on it): the next start removes it");
    }
}

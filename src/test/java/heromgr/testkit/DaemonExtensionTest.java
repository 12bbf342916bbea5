package heromgr.testkit;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extension's clean-up, called by hand: a service whose daemon was killed outlives it, and the clean-up still finds
 * it by its spawn marker and kills it, then removes the temp dirs.
 */
class DaemonExtensionTest {

    @Test
    void aServiceLeftRunningByAKilledDaemonIsKilledAndTheHomeRemoved() throws Exception {
        var daemons = new DaemonExtension();
        long pid;
        Path root = daemons.root();
        Path inProcessHome;
        try {
            DaemonProcess d = daemons.startProcess(root.resolve("home"));
            d.result("service.create", Map.of("name", "orphan", "argv", List.of("/bin/sleep", "1000")));
            pid = d.result("service.status", Map.of("name", "orphan")).at("/actions/0/pid").asLong();
            d.close();
            inProcessHome = daemons.start().home;
            assertThat(ProcFs.running(pid)).as("a service outlives its killed daemon").isTrue();
        } finally {
            daemons.afterAll(null);
        }
        assertThat(ProcFs.running(pid)).isFalse();
        assertThat(root).doesNotExist();
        assertThat(inProcessHome).doesNotExist();
    }

    @Test
    void aStepOfTheTestRunsOnceTheProcessesAreGone() throws Exception {
        var daemons = new DaemonExtension();
        TestDaemon d = daemons.start();
        d.result("service.create", Map.of("name", "sleeper", "argv", List.of("/bin/sleep", "1000")));
        long pid = d.result("service.status", Map.of("name", "sleeper")).at("/actions/0/pid").asLong();
        var seen = new boolean[1];
        daemons.atEnd(() -> seen[0] = !ProcFs.running(pid) && Files.exists(d.home));
        daemons.afterAll(null);
        assertThat(seen[0]).as("after the kill, before the dir goes").isTrue();
        assertThat(d.home).doesNotExist();
    }
}

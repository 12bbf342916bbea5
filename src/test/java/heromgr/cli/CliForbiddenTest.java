package heromgr.cli;

import heromgr.testkit.FileTree;
import heromgr.testkit.UnixResponder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A call the daemon refuses as forbidden (the caller may only read) exits 7 with the daemon's words and code. */
class CliForbiddenTest {
    @Test
    void theCliExitsSevenWhenTheDaemonForbidsTheCall() throws Exception {
        Path dir = Files.createTempDirectory("heromgr-forbidden-");
        Path socket = dir.resolve("service.sock");
        String refusal = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32012,\"message\":\"forbidden: service.stop changes "
                + "something, and user 'bin' may only read (viewer access)\"}}";
        try (var daemon = UnixResponder.answering(socket, 200, refusal)) {
            CliRun run = CliRun.of(Map.of("HEROMGR_SOCKET", socket.toString()), "service", "stop", "anything");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FORBIDDEN);
            assertThat(run.err()).contains("forbidden: service.stop changes something", "(code -32012)");
        } finally {
            FileTree.delete(dir);
        }
    }
}

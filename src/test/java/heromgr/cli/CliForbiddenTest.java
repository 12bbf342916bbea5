package heromgr.cli;

import heromgr.testkit.FileTree;
import heromgr.testkit.UnixResponder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A call the daemon refuses as forbidden (the caller may only read) exits 7 with the daemon's words and code. */
class CliForbiddenTest {
    @Test
    void theCliExitsSevenWhenTheDaemonForbidsTheCall() throws Exception {
        Refused run = refused("service.stop", "service", "stop", "anything");
        assertThat(run.cli().exitCode()).as(run.cli().err()).isEqualTo(ExitCode.FORBIDDEN);
        assertThat(run.cli().err()).contains("forbidden: service.stop changes something", "(code -32012)");
    }

    @Test
    void aViewerIsToldThatOpeningTheAdminUisListenerNeedsOperateAccess() throws Exception {
        // every request gets the refusal: GET /health names no listener, so `ui` asks for one with rpc.http
        Refused run = refused("rpc.http", "ui");
        assertThat(run.cli().exitCode()).as(run.cli().err()).isEqualTo(ExitCode.FORBIDDEN);
        assertThat(run.cli().err()).contains("forbidden: rpc.http changes something", "(code -32012)", "needs operate access");
        assertThat(run.cli().out()).isEmpty();
        assertThat(run.requests()).anyMatch(request -> request.startsWith("POST /rpc"));
    }

    private record Refused(CliRun cli, List<String> requests) {
    }

    /** The CLI run against a socket whose every answer refuses method as forbidden. */
    private static Refused refused(String method, String... args) throws Exception {
        Path dir = Files.createTempDirectory("heromgr-forbidden-");
        Path socket = dir.resolve("service.sock");
        String refusal = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32012,\"message\":\"forbidden: " + method + " changes "
                + "something, and user 'bin' may only read (viewer access)\"}}";
        try (var daemon = UnixResponder.answering(socket, 200, refusal)) {
            CliRun run = CliRun.of(Map.of("HEROMGR_SOCKET", socket.toString()), args);
            return new Refused(run, List.copyOf(daemon.requests()));
        } finally {
            FileTree.delete(dir);
        }
    }
}

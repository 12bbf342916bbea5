package heromgr.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The warm-up's threads (RpcClient.prepareSocket without the native library): they end by themselves, and a call after them works as without. */
class RpcClientWarmUpTest {
    @Test
    void warmUpThreadsEndOnTheirOwnAndTheCallStillReportsItsSocket() {
        RpcClient.prepareSocket();
        var printed = new StringWriter();
        var terminal = new Terminal(new PrintWriter(printed, true), new PrintWriter(printed, true),
                Map.of("HEROMGR_SOCKET", "/nonexistent/heromgr.sock"), false);
        assertThat(BareStatusCommand.run(new String[] {"status", "hero_echo"}, terminal)).contains(ExitCode.UNREACHABLE);
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("heromgr-warm-up")));
        assertThat(printed.toString()).contains("/nonexistent/heromgr.sock");
    }
}

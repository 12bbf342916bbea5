package heromgr.cli;

import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `heromgr logs -f` whose daemon stops: the follow ends, and says which service's stream ended and why. */
class LogsFollowEndTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void aFollowTheDaemonEndsSaysSo() throws Exception {
        TestDaemon d = daemons.start(List.of(), Map.of());
        d.result("service.create", Map.of("name", "t_said", "argv", List.of("/bin/sh", "-c", "echo said; exec sleep 300")));
        var env = Map.of("HEROMGR_SOCKET", d.socket().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> CliRun.of(env, "logs", "t_said").out().contains("said"));
        var out = new StringWriter();
        var err = new StringWriter();
        var terminal = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), env, false);
        var exit = new CompletableFuture<Integer>();
        Thread.ofVirtual().start(() -> exit.complete(Main.execute(new String[] {"logs", "t_said", "-f"}, terminal)));
        // the past lines are printed once the stream is live
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("said"));

        d.close();

        exit.get(30, TimeUnit.SECONDS);
        assertThat(err.toString()).startsWith("heromgr: following t_said ended: ");
    }
}

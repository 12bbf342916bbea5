package heromgr.cli;

import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `heromgr logs` against a real daemon: an action's lines, and an action the service does not have named as the mistake. */
class LogsCommandTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    @BeforeAll
    static void aServiceThatSaysHello() {
        d.result("service.create", Map.of("name", "t_hello", "argv", List.of("/bin/sh", "-c", "echo hello; exec sleep 300")));
    }

    @AfterAll
    static void deleteIt() {
        d.result("service.delete", Map.of("name", "t_hello"));
    }

    @Test
    void theLinesOfTheActionNamed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> CliRun.of(env, "logs", "t_hello", "--action", "main").out().contains("hello"));
    }

    @Test
    void anActionTheServiceDoesNotHaveIsAnErrorNotAnEmptyLog() {
        CliRun run = CliRun.of(env, "logs", "t_hello", "--action", "nosuch");
        assertThat(run.exitCode()).isEqualTo(ExitCode.NO_SUCH_SERVICE);
        assertThat(run.err()).contains("t_hello has no action nosuch (its actions: main)");
        assertThat(run.out()).isEmpty();
    }
}

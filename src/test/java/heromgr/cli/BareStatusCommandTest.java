package heromgr.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which command lines skip picocli; CliAgainstDaemonTest holds their output to picocli's. */
class BareStatusCommandTest {
    private final StringWriter printed = new StringWriter();
    private final Terminal terminal = new Terminal(new PrintWriter(printed, true), new PrintWriter(printed, true),
            Map.of("HEROMGR_SOCKET", "/nonexistent/heromgr.sock"), false);

    @Test
    void runsStatusOfOneNameAsTyped() {
        assertThat(BareStatusCommand.run(new String[] {"status", "hero_echo"}, terminal)).contains(ExitCode.UNREACHABLE);
        assertThat(BareStatusCommand.run(new String[] {"service", "status", "Hero-Echo.2"}, terminal)).contains(ExitCode.UNREACHABLE);
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> args : List.of(List.of("status"), List.of("status", "hero_echo", "--json"), List.of("status", "all"),
                List.of("status", "-h"), List.of("status", "@args"), List.of("status", "a", "b"), List.of("service", "status"),
                List.of("service", "status", "a", "b"), List.of("service", "status", "all"), List.of("start", "hero_echo"),
                List.of("service", "start", "hero_echo"), List.of("status", "--socket=/s"),
                List.of("service", "status", "hero_echo@a1"))) {
            assertThat(BareStatusCommand.run(args.toArray(String[]::new), terminal)).as(args.toString()).isEmpty();
        }
        assertThat(printed.toString()).isEmpty();
    }
}

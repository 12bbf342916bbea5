package heromgr.cli;

import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Colors as a person sees them: the real CLI JVM on a real pseudo-terminal (util-linux `script`), against a real
 * daemon. Colored by default; plain for TERM=dumb and NO_COLOR; plain in a pipe. A dumb terminal gets no redrawn screen either.
 */
class TerminalColorTest {
    private static final String ESC = "\u001b[";

    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(), Map.of());
    static final TestDaemon d = daemons.daemon();

    @BeforeAll
    static void aRunningService() {
        d.result("service.create", Map.of("name", "t_color", "argv", List.of("/bin/sleep", "100000")));
    }

    @AfterAll
    static void deleteIt() {
        d.result("service.delete", Map.of("name", "t_color"));
    }

    @Test
    void aTerminalGetsColors() throws Exception {
        assertThat(onTerminal(Map.of("TERM", "xterm-256color"))).contains("healthy").contains(ESC);
    }

    @Test
    void aDumbTerminalGetsNone() throws Exception {
        assertThat(onTerminal(Map.of("TERM", "dumb"))).contains("healthy").doesNotContain(ESC);
    }

    @Test
    void topRedrawsATerminalButPrintsPlainTablesOnADumbOne() throws Exception {
        assertThat(onTerminal(Map.of("TERM", "xterm-256color"), "top", "-n", "1")).contains("t_color").contains(ESC + "?1049h");
        assertThat(onTerminal(Map.of("TERM", "dumb"), "top", "-n", "1")).contains("t_color").doesNotContain(ESC);
    }

    @Test
    void noColorTurnsThemOff() throws Exception {
        assertThat(onTerminal(Map.of("TERM", "xterm-256color", "NO_COLOR", "1"))).contains("healthy").doesNotContain(ESC);
    }

    @Test
    void aPipeGetsNone() throws Exception {
        assertThat(inPipe(List.of())).contains("healthy").doesNotContain(ESC);
    }

    /** bin/heromgr tests the terminal itself (a builtin) and says so in -Dheromgr.terminal: that is what counts. */
    @Test
    void theLaunchersTerminalTestIsTakenAsItSays() throws Exception {
        assertThat(inPipe(List.of("-Dheromgr.terminal=true"))).contains("healthy").contains(ESC);
        assertThat(onTerminal(Map.of("TERM", "xterm-256color"), List.of("-Dheromgr.terminal=false"), "health", "t_color"))
                .contains("healthy").doesNotContain(ESC);
    }

    /** `heromgr health t_color` with its output in a pipe; what it printed. */
    private static String inPipe(List<String> jvmFlags) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(cli(jvmFlags, "health", "t_color")).redirectErrorStream(true);
        builder.environment().put("HEROMGR_SOCKET", d.socket().toString());
        builder.environment().put("TERM", "xterm-256color");
        Process cli = builder.start();
        cli.getOutputStream().close();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** `heromgr health t_color` on a pseudo-terminal that `script` opens; what the terminal showed. */
    private static String onTerminal(Map<String, String> env) throws IOException, InterruptedException {
        return onTerminal(env, List.of(), "health", "t_color");
    }

    private static String onTerminal(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return onTerminal(env, List.of(), args);
    }

    private static String onTerminal(Map<String, String> env, List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        // script runs its command through a shell: each word is single-quoted, and none holds a quote.
        String command = cli(jvmFlags, args).stream().map(w -> "'" + w + "'").collect(Collectors.joining(" "));
        var builder = new ProcessBuilder("script", "-qefc", command, "/dev/null").redirectErrorStream(true);
        builder.environment().remove("NO_COLOR");
        builder.environment().put("HEROMGR_SOCKET", d.socket().toString());
        builder.environment().putAll(env);
        Process script = builder.start();
        script.getOutputStream().close();
        String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(script.exitValue()).as(out).isZero();
        return out;
    }

    private static List<String> cli(List<String> jvmFlags, String... args) {
        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).doesNotContain("'");
        var command = new ArrayList<>(List.of(DaemonProcess.javaBinary(), "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classPath, "heromgr.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }
}

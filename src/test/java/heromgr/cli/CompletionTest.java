package heromgr.cli;

import heromgr.services.HeroEcho;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import heromgr.testkit.FileTree;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Completion against a real daemon with services: the candidates `heromgr __complete` gives, and the bash, zsh and
 * fish scripts run in the real shells, each asking a real `heromgr` (this build, on PATH) for them.
 */
class CompletionTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon(List.of(new HeroEcho()), Map.of());
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());
    static Path bin;

    @BeforeAll
    static void aServiceBesideTheClassesAndAHeromgrOnPath() throws IOException {
        d.result("service.create", Map.of("name", "t_web", "argv", List.of("/bin/sleep", "300"), "start", false));
        bin = Files.createTempDirectory("heromgr-completion");
        Path launcher = bin.resolve("heromgr");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + DaemonProcess.javaBinary() + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
                + System.getProperty("java.class.path") + "' heromgr.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void removeTheLauncher() throws IOException {
        d.result("service.delete", Map.of("name", "t_web"));
        FileTree.delete(bin);
    }

    private static List<String> complete(Map<String, String> env, String... words) {
        var args = new ArrayList<String>(List.of(Completer.COMMAND));
        args.addAll(List.of(words));
        CliRun run = CliRun.of(env, args.toArray(String[]::new));
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).as("a completion never prints an error").isEmpty();
        return run.out().lines().toList();
    }

    @Test
    void commandsAndOptionsComeFromTheCommandTree() {
        assertThat(complete(env, "")).contains("service", "list", "start", "daemon", "completion", "events", "run")
                .doesNotContain(Completer.COMMAND);
        assertThat(complete(env, "st")).containsExactlyInAnyOrder("start", "status", "stop");
        assertThat(complete(env, "service", "re")).containsExactly("restart");
        assertThat(complete(env, "service", "start", "hero_echo", "--no")).containsExactlyInAnyOrder("--no-wait", "--no-deps");
        assertThat(complete(env, "completion", "")).containsExactly("bash", "zsh", "fish");
    }

    @Test
    void serviceAndActionNamesComeFromTheDaemon() {
        assertThat(complete(env, "start", "")).contains("hero_echo", "t_web", "all");
        assertThat(complete(env, "service", "logs", "t_")).containsExactly("t_web");
        assertThat(complete(env, "inspect", "")).contains("hero_echo").doesNotContain("all");
        assertThat(complete(env, "service", "logs", "hero_echo", "--action", "")).containsExactly("server");
        assertThat(complete(Map.of(), "status", "--socket", d.socket().toString(), "t_")).containsExactly("t_web");
        assertThat(complete(env, "service", "start", "hero_echo", "")).as("start takes several").contains("t_web");
        assertThat(complete(env, "inspect", "hero_echo", "")).as("one name is all inspect takes").isEmpty();
    }

    @Test
    void closedValueSetsAreOffered() {
        assertThat(complete(env, "service", "install", "hero_echo", "--mode", "")).containsExactly("source", "download");
        assertThat(complete(env, "events", "--type", "")).containsExactly("operation", "health", "state", "job");
        assertThat(complete(env, "run", "--restart", "on")).containsExactly("on-failure");
        assertThat(complete(env, "run", "--name", "x", "--", "")).as("after -- the command is the user's").isEmpty();
    }

    @Test
    void aDaemonThatIsDownMakesNoNoise() {
        var down = Map.of("HEROMGR_SOCKET", d.socket().resolveSibling("nobody-here.sock").toString());
        assertThat(complete(down, "start", "")).containsExactly("all");
        assertThat(complete(down, "logs", "hero_echo", "--action", "")).isEmpty();
    }

    @Test
    void bashOffersTheCandidates() throws Exception {
        String out = shell("bash", "source " + script("bash") + "; COMP_WORDS=(heromgr start t_); COMP_CWORD=2; _heromgr; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(out.lines()).containsExactly("t_web");
    }

    @Test
    void zshOffersTheCandidates() throws Exception {
        // compadd is zle's; outside an interactive completion a stand-in prints what it is given
        String out = shell("zsh", "source " + script("zsh") + "; compadd() { print -l -- \"$@\"; }; words=(heromgr service sto); CURRENT=3; _heromgr");
        assertThat(out.lines()).containsExactly("--", "stop");
    }

    @Test
    void fishOffersTheCandidates() throws Exception {
        String out = shell("fish", "source " + script("fish") + "; complete -C 'heromgr logs hero_echo --action '");
        assertThat(out.lines().map(l -> l.split("\t")[0])).containsExactly("server");
    }

    private static Path script(String shell) throws IOException {
        CliRun run = CliRun.of(env, "completion", shell);
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path file = bin.resolve("completion." + shell);
        Files.writeString(file, run.out());
        return file;
    }

    private static String shell(String shell, String command) throws Exception {
        var builder = new ProcessBuilder(shell, "-c", command).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("HEROMGR_SOCKET", d.socket().toString());
        builder.environment().put("HOME", bin.toString());
        Process p = builder.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}

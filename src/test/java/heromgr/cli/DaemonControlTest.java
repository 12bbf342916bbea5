package heromgr.cli;

import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `heromgr daemon start|status|stop` with a real detached daemon JVM, started by a real CLI JVM. */
class DaemonControlTest {
    private static final Pattern PID = Pattern.compile("started \\(pid (\\d+)\\)");

    @TempDir
    Path home;
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() throws Exception {
        for (long pid : started) {
            var process = ProcessHandle.of(pid);
            if (process.isPresent()) {
                process.get().destroyForcibly();
                process.get().onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private Map<String, String> env() {
        return Map.of("HERO_HOME", home.resolve("elsewhere").toString());
    }

    @Test
    void startDetachesStatusFindsItStopEndsIt() throws Exception {
        String h = home.toString();
        long pid = startDetached("daemon", "start", "--home", h);
        Path socket = home.resolve("var/sockets/heromgr/service.sock");

        CliRun status = CliRun.of(env(), "daemon", "status", "--home", h);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("pid      " + pid, "socket   " + socket, "home     " + home.toRealPath());
        assertThat(CliRun.of(env(), "list", "--socket", socket.toString()).exitCode()).isZero();
        CliRun again = CliRun.of(env(), "daemon", "start", "--home", h);
        assertThat(again.out()).contains("already running (pid " + pid + ")");
        assertThat(home.resolve("var/log/heromgr/daemon.out")).exists();

        CliRun stop = CliRun.of(env(), "daemon", "stop", "--home", h);
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("gone once stop returns").isNotEqualTo(Optional.of(true));
        CliRun after = CliRun.of(env(), "daemon", "status", "--home", h);
        assertThat(after.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(after.out()).contains("not running");
    }

    @Test
    void theUnreachableHintStartsADaemonOnTheSocketInUse() {
        Path socket = home.resolve("custom.sock");
        CliRun run = CliRun.of(Map.of("HERO_HOME", home.toString(), "HEROMGR_SOCKET", socket.toString()), "list");
        assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).endsWith("Start it with: heromgr daemon start --socket " + socket + System.lineSeparator());

        var plain = Map.of("HERO_HOME", home.toString(), "HERO_SOCKET_DIR", home.resolve("s").toString());
        assertThat(CliRun.of(plain, "list").err()).endsWith("Start it with: heromgr daemon start" + System.lineSeparator());
    }

    @Test
    void aStartTheDaemonRefusesSaysWhy() throws Exception {
        String h = home.toString();
        startDetached("daemon", "start", "--home", h);
        Path socket = home.resolve("var/sockets/heromgr/service.sock");

        CliExit second = cli("daemon", "start", "--home", h, "--socket", home.resolve("other.sock").toString());

        assertThat(second.code()).as(second.out()).isEqualTo(ExitCode.FAILED);
        assertThat(second.out()).contains("the daemon exited (code 1) before it answered: another heromgr daemon is already running on " + socket);
    }

    /** A CLI JVM running `args`, as bin/heromgr runs it; returns the pid of the daemon it started. */
    private long startDetached(String... args) throws Exception {
        CliExit run = cli(args);
        Matcher m = PID.matcher(run.out());
        if (m.find()) started.add(Long.parseLong(m.group(1)));
        assertThat(run.code()).as(run.out()).isZero();
        assertThat(m.find(0)).as(run.out()).isTrue();
        return started.getLast();
    }

    /** What a CLI JVM printed (stdout and stderr) and its exit code. */
    private record CliExit(int code, String out) {
    }

    /** A CLI JVM running `args`, as bin/heromgr runs it. */
    private CliExit cli(String... args) throws Exception {
        var command = new ArrayList<>(List.of(DaemonProcess.javaBinary(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "heromgr.cli.Main"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("HEROMGR_SOCKET");
        // the test class path (Selenium's jars and all) in the environment, not in argv: the JDK reads a process's
        // arguments only from a short enough /proc/PID/cmdline, and `daemon start` copies its own arguments
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process cli = builder.start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(Duration.ofSeconds(90).toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new CliExit(cli.exitValue(), out);
    }
}

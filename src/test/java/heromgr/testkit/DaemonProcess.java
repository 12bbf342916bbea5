package heromgr.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * `heromgr daemon --home DIR` as a real separate JVM process, as a user starts it. Made by
 * {@link DaemonExtension#launch} or {@link DaemonExtension#startProcess}; closing it kills the JVM with SIGKILL
 * (its services keep running, as after a crash: the extension kills them after the test).
 */
public final class DaemonProcess implements AutoCloseable {
    private static final Duration BOUND = Duration.ofSeconds(60); // a start on a loaded CI machine

    public final Process process;
    public final Path home;
    public final Path socket;
    private final Path stderr;
    private final DaemonClient client;

    private DaemonProcess(Process process, Path home, Path stderr) {
        this.process = process;
        this.home = home;
        this.socket = home.resolve("var/sockets/heromgr/service.sock");
        this.stderr = stderr;
        this.client = new DaemonClient(socket);
    }

    /** With these variables added to the daemon's environment; does not wait for it to serve. */
    static DaemonProcess launch(Path home, Map<String, String> env) throws IOException {
        return launch(home, env, List.of());
    }

    /** With these options after `daemon --home HOME` too. */
    static DaemonProcess launch(Path home, Map<String, String> env, List<String> options) throws IOException {
        Files.createDirectories(home);
        Path stderr = Files.createTempFile(home.getParent(), "daemon-", ".err");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                // `daemon` logs as the real one does (server.DaemonLogging: file + stderr), whatever logback-test.xml says
                "-cp", System.getProperty("java.class.path"), "heromgr.cli.Main", "daemon", "--home", home.toString()));
        cmd.addAll(options);
        var pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        pb.environment().putAll(env);
        return new DaemonProcess(pb.start(), home, stderr);
    }

    /** Waits until the daemon answers on its socket; fails with its stderr if it exits first. */
    public DaemonProcess awaitServing() {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!process.isAlive()) throw new AssertionError("daemon exited: " + stderrText());
            return client.answers();
        });
        return this;
    }

    public boolean answers() {
        return client.answers();
    }

    public DaemonClient client() {
        return client;
    }

    /** The result of a call that must succeed. */
    public JsonNode result(String method, Map<String, ?> params) {
        return client.result(method, params);
    }

    public String stderrText() throws IOException {
        return Files.readString(stderr);
    }

    /** The java launcher running this JVM: the daemon runs on the same JDK as the test. */
    public static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin/java").toString());
    }

    /** SIGKILL unless it already exited, then waits until it is gone. */
    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
            await().atMost(BOUND).until(() -> !process.isAlive());
        }
        Files.deleteIfExists(stderr);
    }
}

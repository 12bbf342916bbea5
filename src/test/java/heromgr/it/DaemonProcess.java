package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.proc.os.PosixSignals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** `heromgr daemon --home DIR` as a real separate JVM process, as a user starts it. */
final class DaemonProcess implements AutoCloseable {
    final Process process;
    final Path home;
    final Path socket;
    final Path stderr;

    private DaemonProcess(Process process, Path home, Path stderr) {
        this.process = process;
        this.home = home;
        this.socket = home.resolve("var/sockets/heromgr/service.sock");
        this.stderr = stderr;
    }

    static DaemonProcess launch(Path home) throws IOException {
        return launch(home, Map.of());
    }

    /** With these variables added to the daemon's environment. */
    static DaemonProcess launch(Path home, Map<String, String> env) throws IOException {
        Files.createDirectories(home);
        Path stderr = Files.createTempFile(home.getParent(), "daemon-", ".err");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                // `daemon` logs as the real one does (server.DaemonLogging: file + stderr), whatever logback-test.xml says
                "-cp", System.getProperty("java.class.path"), "heromgr.cli.Main", "daemon", "--home", home.toString()));
        var pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        return new DaemonProcess(p, home, stderr);
    }

    /** Launches and waits until the daemon answers on its socket. */
    static DaemonProcess start(Path home) throws IOException {
        return start(home, Map.of());
    }

    static DaemonProcess start(Path home, Map<String, String> env) throws IOException {
        DaemonProcess d = launch(home, env);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!d.process.isAlive()) throw new AssertionError("daemon exited: " + d.stderrText());
            return d.answers();
        });
        return d;
    }

    boolean answers() {
        try (var c = new UnixHttpClient(socket, Duration.ofSeconds(2))) {
            return c.get("/health").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The result of a call that must succeed, over a connection of its own. */
    JsonNode result(String method, Map<String, ?> params) throws IOException {
        ObjectNode req = JsonCodec.MAPPER.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", 1);
        req.put("method", method);
        req.set("params", JsonCodec.MAPPER.valueToTree(params));
        try (var c = new UnixHttpClient(socket, Duration.ofMinutes(5))) {
            UnixHttpClient.Response r = c.post("/rpc", "application/json", req.toString().getBytes(StandardCharsets.UTF_8));
            JsonNode answer = JsonCodec.MAPPER.readTree(r.body());
            if (answer.has("error")) throw new AssertionError(method + " failed: " + answer.get("error"));
            return answer.get("result");
        }
    }

    String stderrText() throws IOException {
        return Files.readString(stderr);
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin/java").toString());
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            PosixSignals.kill(process.pid(), 9);
            await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
        }
        Files.deleteIfExists(stderr);
    }
}

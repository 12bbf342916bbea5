package heromgr.training;

import heromgr.cli.Main;
import heromgr.cli.Terminal;
import heromgr.http.UnixHttpClient;
import sun.misc.Signal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run for the daemon's AOT cache (bin/heromgr-train, target/heromgr-daemon.aot): runs the real
 * `heromgr daemon` command in this JVM on a throwaway home, sends it the calls a daemon serves in its first
 * seconds and in the benchmarks (a batch of creates, status, list, inspect, logs, stop, delete, the error paths,
 * the GET routes), then stops it with a real SIGTERM, so start-up, the request path and shutdown are all in the cache.
 * Its services are /bin/sleep, stopped when the daemon stops (--stop-services-on-exit); their argument
 * {@code 600.<pid of this JVM>} marks them as this run's.
 */
public final class DaemonAotTraining {
    private static final int SERVICES = 5;
    private static final String SLEEP = "600." + ProcessHandle.current().pid();

    private DaemonAotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("heromgr-daemon-train");
        Path socket = dir.resolve("service.sock");
        String[] daemonArgs = {"daemon", "--home", dir.resolve("home").toString(), "--socket", socket.toString(),
            "--stop-services-on-exit"};
        int[] exit = {-1};
        Thread daemon = Thread.ofPlatform().name("training-daemon")
                .start(() -> exit[0] = Main.execute(daemonArgs, Terminal.system()));
        try (var client = new UnixHttpClient(socket, Duration.ofSeconds(30))) {
            awaitAnswer(client, daemon);
            for (int round = 0; round < 3; round++) workload(client, round);
        } finally {
            // the daemon's own SIGTERM handler stops it, as in production
            Signal.raise(new Signal("TERM"));
            daemon.join(Duration.ofSeconds(60));
            removeTree(dir);
        }
        if (exit[0] != 0) throw new IllegalStateException("the training daemon exited with " + exit[0]);
    }

    private static void awaitAnswer(UnixHttpClient client, Thread daemon) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            try {
                if (client.get("/health").status() == 200) return;
            } catch (IOException notYet) {
                client.close();
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the training daemon did not answer within 60 s");
    }

    private static void workload(UnixHttpClient client, int round) throws IOException {
        String prefix = "train" + round + "_";
        var creates = new StringBuilder("[");
        for (int i = 0; i < SERVICES; i++) {
            if (i > 0) creates.append(',');
            creates.append(call(i, "service.create", "{\"name\":\"" + prefix + i + "\","
                    + "\"argv\":[\"/bin/sleep\",\"" + SLEEP + "\"],"
                    + "\"restart\":\"always\",\"restart_tuning\":{\"stable_ms\":0,\"start_limit\":0}}"));
        }
        String created = rpc(client, creates.append(']').toString());
        // a training whose services never started would train a cache without the spawn path, and say nothing
        if (created.contains("\"error\"")) throw new IllegalStateException("training creates failed: " + created);
        String one = "{\"name\":\"" + prefix + "0\"}";
        for (int i = 0; i < 200; i++) {
            rpc(client, call(i, "service.status", one));
            if (i % 20 == 0) rpc(client, call(i, "service.list", null));
        }
        for (String method : new String[] {"service.inspect", "service.health", "service.logs", "service.stop",
            "service.start", "service.restart"}) {
            rpc(client, call(1, method, one));
        }
        errorPaths(client);
        for (String path : new String[] {"/openrpc.json", "/.well-known/heroservice.json", "/nowhere"}) client.get(path);
        var deletes = new StringBuilder("[");
        for (int i = 0; i < SERVICES; i++) {
            deletes.append(i > 0 ? "," : "").append(call(i, "service.delete", "{\"name\":\"" + prefix + i + "\"}"));
        }
        rpc(client, deletes.append(']').toString());
    }

    /**
     * Refusals a client meets: bad JSON, an unknown method, an unknown service, params our own checks refuse (a
     * work_dir that is no directory). None the schema refuses: that would put the JSON Schema validator's ~250 classes
     * in the cache, which loads them all into every daemon at start, where params that fit never need them.
     */
    private static void errorPaths(UnixHttpClient client) throws IOException {
        rpc(client, "{\"jsonrpc\":\"2.0\",");
        rpc(client, call(1, "service.nothing", null));
        rpc(client, call(1, "service.status", "{\"name\":\"missing\"}"));
        rpc(client, call(1, "service.create", "{\"name\":\"refused\",\"argv\":[\"/bin/true\"],\"work_dir\":\"/nonexistent\"}"));
    }

    private static String call(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    private static String rpc(UnixHttpClient client, String body) throws IOException {
        return client.post("/rpc", "application/json", body.getBytes(StandardCharsets.UTF_8)).text();
    }

    private static void removeTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}

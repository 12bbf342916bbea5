package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.HeroPaths;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;
import heromgr.server.Daemon;
import heromgr.service.HeroService;
import heromgr.services.Services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A real daemon in this JVM on a temporary HERO_HOME, with a client on its real socket. Closing removes everything. */
public final class TestDaemon implements AutoCloseable {
    private static final String CARGO_TARGET = "cargo-target";

    public final Path home;
    public final HeroPaths paths;
    /** Replaced by {@link #restart()}. */
    public volatile Daemon daemon;
    private final List<HeroService> services;
    private final Map<String, String> env;
    private volatile UnixHttpClient client;

    private TestDaemon(Path home, HeroPaths paths, List<HeroService> services, Map<String, String> env) throws IOException {
        this.home = home;
        this.paths = paths;
        this.services = services;
        this.env = env;
        this.daemon = Daemon.start(paths, null, services, env);
        this.client = new UnixHttpClient(daemon.socket(), Duration.ofMinutes(5));
    }

    /** Closes the daemon (as SIGTERM would) and starts a new one on the same HERO_HOME, as after a daemon restart. */
    public void restart() throws IOException {
        client.close();
        daemon.close();
        daemon = Daemon.start(paths, null, services, env);
        client = new UnixHttpClient(daemon.socket(), Duration.ofMinutes(5));
    }

    public static TestDaemon start() throws IOException {
        return start(Services.all(), Map.of());
    }

    public static TestDaemon start(List<HeroService> services, Map<String, String> extraEnv) throws IOException {
        return start(services, extraEnv, false);
    }

    /** The class-defined services, with cargo building into {@link #cargoTarget()} (removed with the home). */
    public static TestDaemon startBuilding() throws IOException {
        return start(Services.all(), Map.of(), true);
    }

    private static TestDaemon start(List<HeroService> services, Map<String, String> extraEnv, boolean ownCargoTarget)
            throws IOException {
        Path home = Files.createTempDirectory("heromgr-test-");
        Path code = home.resolve("code");
        var env = new HashMap<>(System.getenv());
        env.put("CODEROOT", code.toString());
        if (ownCargoTarget) env.put("CARGO_TARGET_DIR", home.resolve(CARGO_TARGET).toString());
        env.putAll(extraEnv);
        HeroPaths paths = new HeroPaths(home, home.resolve("var/sockets"), code);
        return new TestDaemon(home, paths, services, Map.copyOf(env));
    }

    public Path socket() {
        return daemon.socket();
    }

    /** Where cargo builds for a daemon made by {@link #startBuilding()}. */
    public Path cargoTarget() {
        return home.resolve(CARGO_TARGET);
    }

    /** The whole JSON-RPC answer (result or error). */
    public JsonNode call(String method, Map<String, ?> params) {
        ObjectNode req = JsonCodec.MAPPER.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", 1);
        req.put("method", method);
        if (params != null) req.set("params", JsonCodec.MAPPER.valueToTree(params));
        return postRpc(req.toString());
    }

    /** The result of a call that must succeed. */
    public JsonNode result(String method, Map<String, ?> params) {
        JsonNode answer = call(method, params);
        if (answer.has("error")) throw new AssertionError(method + " failed: " + answer.get("error"));
        return answer.get("result");
    }

    public JsonNode postRpc(String body) {
        try {
            UnixHttpClient.Response r = client.post("/rpc", "application/json", body.getBytes(StandardCharsets.UTF_8));
            return r.status() == 204 ? null : JsonCodec.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public UnixHttpClient.Response http(String method, String path, byte[] body) throws IOException {
        return client.exchange(method, path, body == null ? null : "application/json", body);
    }

    @Override
    public void close() throws IOException {
        client.close();
        daemon.close();
        deleteTree(home);
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

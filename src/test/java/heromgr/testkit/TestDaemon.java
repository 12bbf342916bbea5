package heromgr.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.HeroPaths;
import heromgr.http.UnixHttpClient;
import heromgr.server.Daemon;
import heromgr.service.HeroService;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real daemon in this JVM on a temporary HERO_HOME, with a client on its real socket. Made by a
 * {@link DaemonExtension}, which removes the home and whatever the daemon left running after the test.
 */
public final class TestDaemon implements AutoCloseable {
    static final String CARGO_TARGET = "cargo-target";

    public final Path home;
    public final HeroPaths paths;
    /** Set by the start, replaced by {@link #restart()}. */
    public volatile Daemon daemon;
    private final List<HeroService> services;
    private final Map<String, String> env;
    private final DaemonClient client;

    /** Not started yet: {@link #start()}. */
    TestDaemon(HeroPaths paths, List<HeroService> services, Map<String, String> env) {
        this.home = paths.home();
        this.paths = paths;
        this.services = services;
        this.env = env;
        this.client = new DaemonClient(paths.managerSocket());
    }

    TestDaemon start() throws IOException {
        daemon = Daemon.start(paths, null, services, env);
        return this;
    }

    /** Closes the daemon (as SIGTERM would) and starts a new one on the same HERO_HOME, as after a daemon restart. */
    public void restart() throws IOException {
        daemon.close();
        daemon = Daemon.start(paths, null, services, env);
    }

    public Path socket() {
        return client.socket();
    }

    /** Where cargo builds for a daemon made by {@link DaemonExtension#withBuildingDaemon()}. */
    public Path cargoTarget() {
        return home.resolve(CARGO_TARGET);
    }

    public DaemonClient client() {
        return client;
    }

    /** The whole JSON-RPC answer (result or error). */
    public JsonNode call(String method, Map<String, ?> params) {
        return client.call(method, params);
    }

    /** The result of a call that must succeed. */
    public JsonNode result(String method, Map<String, ?> params) {
        return client.result(method, params);
    }

    public JsonNode postRpc(String body) {
        return client.postRpc(body);
    }

    public UnixHttpClient.Response http(String method, String path, byte[] body) throws IOException {
        return client.http(method, path, body);
    }

    /** Stops the daemon, which stops its services; the extension removes the home afterwards. */
    @Override
    public void close() {
        if (daemon != null) daemon.close();
    }
}

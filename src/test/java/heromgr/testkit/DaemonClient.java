package heromgr.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.JsonCodec;
import heromgr.http.UnixHttpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A test's JSON-RPC and HTTP client for a daemon's socket. Each call opens a connection of its own, so calls from several
 * threads never share one and a daemon that was killed or restarted between two calls costs nothing but the next connect.
 */
public final class DaemonClient {
    /** A build or a cargo-backed install may take minutes. */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);

    private final Path socket;

    public DaemonClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
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

    /** A raw body posted to /rpc; null for an answer without content (notifications only). */
    public JsonNode postRpc(String body) {
        try {
            UnixHttpClient.Response r = http("POST", "/rpc", body.getBytes(StandardCharsets.UTF_8));
            return r.status() == 204 ? null : JsonCodec.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One HTTP exchange; a body is sent as JSON. */
    public UnixHttpClient.Response http(String method, String path, byte[] body) throws IOException {
        try (var c = new UnixHttpClient(socket, CALL_TIMEOUT)) {
            return c.exchange(method, path, body == null ? null : "application/json", body);
        }
    }

    /** Whether a daemon serves on the socket (GET /health answers 200). */
    public boolean answers() {
        try (var c = new UnixHttpClient(socket, Duration.ofSeconds(2))) {
            return c.get("/health").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}

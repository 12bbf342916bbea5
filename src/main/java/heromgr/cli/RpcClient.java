package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.api.ApiException;
import heromgr.http.NativeUnixSocket;
import heromgr.http.UnixHttpClient;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.Set;

/**
 * One JSON-RPC 2.0 call to the daemon over its Unix socket. Thin on purpose: the CLI makes exactly one call per
 * run, so there is no id bookkeeping, batching or connection reuse.
 */
public final class RpcClient {
    /** The top-level commands that call the daemon (a hint for {@link #prepareSocket}, nothing more). */
    static final Set<String> COMMANDS = Set.of("service", "rpc", "list", "status", "start", "stop", "restart", "logs", "health", "inspect", "top",
            "up", "down");

    private final Path socket;
    private final Duration timeout;

    public RpcClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /**
     * Sends the call and returns its result.
     * @throws DaemonUnreachableException nothing listens on the socket
     * @throws ApiException the daemon answered with a JSON-RPC error (its data, when sent, as a JsonNode)
     * @throws IOException the exchange broke down after connecting (timeout, malformed answer)
     */
    public JsonNode call(String method, JsonNode params) throws DaemonUnreachableException, IOException {
        return call(method, params, null);
    }

    /** With requestId (null: 1) as the call's JSON-RPC id: the daemon names it in the events of the operation. */
    public JsonNode call(String method, JsonNode params, String requestId) throws DaemonUnreachableException, IOException {
        // Checked up front so the commonest failure (daemon not started) costs no connect.
        if (!Files.exists(socket)) throw new DaemonUnreachableException(socket, "no such socket");
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
        if (requestId == null) request.put("id", 1);
        else request.put("id", requestId);
        request.put("method", method);
        if (params != null) request.set("params", params);
        UnixHttpClient.Response response;
        try (var http = new UnixHttpClient(socket, timeout)) {
            response = http.post("/rpc", "application/json", JsonText.compact(request).getBytes(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new DaemonUnreachableException(socket, "connection refused");
        } catch (SocketException e) {
            if (isConnectFailure(e)) throw new DaemonUnreachableException(socket, lowerFirst(e.getMessage()));
            throw e;
        }
        return resultOf(response);
    }

    private static JsonNode resultOf(UnixHttpClient.Response response) throws IOException {
        JsonNode answer;
        try {
            answer = JsonText.read(response.body());
        } catch (IOException e) {
            throw new IOException("HTTP " + response.status() + " from the daemon with no JSON-RPC answer");
        }
        // A JSON-RPC error may come with a non-200 status; the body, not the status, is authoritative.
        JsonNode error = answer == null ? null : answer.get("error");
        if (error != null && error.isObject()) {
            JsonNode data = error.get("data");
            throw ApiException.received(error.path("code").asInt(), error.path("message").asText("error"),
                    data == null || data.isNull() ? null : data);
        }
        if (answer == null || !answer.has("result")) {
            throw new IOException("HTTP " + response.status() + " from the daemon with no JSON-RPC result");
        }
        return answer.get("result");
    }

    /**
     * Makes the call's socket quick to open. When the launcher named the native socket library and it loads
     * (NativeUnixSocket), that is all: the calls then never touch the JDK's Unix-socket layer. Otherwise this
     * initializes that layer on other threads while the command line is being parsed. Its first use
     * costs ~20 ms of CPU, mostly a SecureRandom that sun.nio.ch.UnixDomainSockets seeds in its static
     * initializer (the security providers it loads are not in the AOT cache's initialized state); on a second
     * core that overlaps the command's own work instead of following it. Opening a socket without connecting has
     * no effect outside the process; the call later waits for the initialization if it is not done yet.
     * That chain, interpreted, is longer than a bare status's own work, so it is the call's critical path. Its
     * read of the JDK's java.security file (~6 ms) needs nothing before it: a second thread starts it at once,
     * and the chain, when it gets there, waits for the rest of it instead of doing all of it.
     */
    public static void prepareSocket() {
        if (NativeUnixSocket.loadLibrary()) return;
        Thread.ofPlatform().daemon().name("heromgr-warm-up-security").start(RpcClient::loadSecurityProperties);
        Thread.ofPlatform().daemon().name("heromgr-warm-up").start(RpcClient::openUnixSocket);
    }

    private static void loadSecurityProperties() {
        Security.getProperty("securerandom.source");
    }

    private static void openUnixSocket() {
        try (var unused = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // opened and closed: that is all the warm-up there is
        } catch (IOException | RuntimeException e) {
            // the real call reports whatever this was
        }
    }

    /** The socket errors connect() raises: the file vanished meanwhile, or we may not open it. */
    private static boolean isConnectFailure(SocketException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No such file") || m.contains("Permission denied");
    }

    private static String lowerFirst(String s) {
        return s == null || s.isEmpty() ? "connect failed" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}

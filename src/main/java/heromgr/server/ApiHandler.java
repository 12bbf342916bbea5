package heromgr.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import heromgr.metrics.DaemonMetrics;
import heromgr.rpc.Caller;
import heromgr.rpc.JsonRpcProcessor;
import heromgr.rpc.OpenRpcContract;
import heromgr.server.web.Principal;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The Hero service endpoints on service.sock: POST /rpc, GET /openrpc.json, GET /health,
 * GET /.well-known/heroservice.json, GET /events and GET /logs (server-sent events), GET /metrics (Prometheus text),
 * GET /access (who the caller is taken for and what it may call).
 * Everything else is a JSON 404 or 405.
 */
final class ApiHandler extends Handler.Abstract {
    /** Larger bodies are refused; a declared length is refused before a byte of the body is read. */
    static final int MAX_BODY = 1024 * 1024;
    private static final String CALLER_ATTRIBUTE = "heromgr.caller";
    private static final String READ_ALREADY_ATTRIBUTE = "heromgr.body-read-already";
    private static final Map<String, String> ALLOWED = Map.of(
            "/rpc", "POST", "/openrpc.json", "GET", "/health", "GET", "/.well-known/heroservice.json", "GET", "/events", "GET",
            "/logs", "GET", "/metrics", "GET", "/access", "GET");

    private final ObjectMapper mapper;
    private final JsonRpcProcessor rpc;
    private final EventStream events;
    private final LogFollow logs;
    private final DaemonMetrics metrics;
    private final RequestDeadline deadline;
    private final OpenRpcContract contract;
    private final byte[] openrpc;
    private final DaemonFacts facts;
    private final byte[] heroservice;

    ApiHandler(ObjectMapper mapper, JsonRpcProcessor rpc, EventStream events, LogFollow logs, DaemonMetrics metrics,
               RequestDeadline deadline, OpenRpcContract contract, DaemonFacts facts, String version, String socket)
            throws IOException {
        this.metrics = metrics;
        this.deadline = deadline;
        this.mapper = mapper;
        this.rpc = rpc;
        this.events = events;
        this.logs = logs;
        this.contract = contract;
        this.openrpc = contract.raw();
        this.facts = facts;
        this.heroservice = mapper.writeValueAsBytes(Map.of(
                "name", "heromgr", "service_id", "heromgr_service", "version", version, "protocol", "openrpc",
                "socket", socket, "openrpc", "/openrpc.json", "health", "/health", "rpc", "/rpc", "domain", "service"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback answered) throws Exception {
        String path = Request.getPathInContext(request);
        Callback callback = deadline.admit(request, answered);
        String allowed = ALLOWED.get(path);
        if (allowed == null) {
            return JsonAnswer.refuse(response, callback, HttpStatus.NOT_FOUND_404, "no such path: " + path);
        }
        if (!allowed.equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, allowed);
            return JsonAnswer.refuse(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, path + " accepts " + allowed + " only");
        }
        return switch (path) {
            case "/rpc" -> handleRpc(request, response, callback);
            case "/openrpc.json" -> JsonAnswer.send(response, callback, HttpStatus.OK_200, ByteBuffer.wrap(openrpc));
            case "/health" -> JsonAnswer.send(response, callback, HttpStatus.OK_200, ByteBuffer.wrap(mapper.writeValueAsBytes(facts.health())));
            case "/events" -> events.handle(request, response, callback);
            case "/logs" -> logs.handle(request, response, callback);
            case "/metrics" -> metrics(response, callback);
            case "/access" -> JsonAnswer.send(response, callback, HttpStatus.OK_200, ByteBuffer.wrap(mapper.writeValueAsBytes(access(caller(request)))));
            default -> JsonAnswer.send(response, callback, HttpStatus.OK_200, ByteBuffer.wrap(heroservice));
        };
    }

    private boolean handleRpc(Request request, Response response, Callback callback) throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            return tooLarge(response, callback, "request body of " + declared + " bytes");
        }
        byte[] body = body(request, declared);
        deadline.met(request.getConnectionMetaData().getConnection());
        if (body.length > MAX_BODY) return tooLarge(response, callback, "request body");
        return answer(request, response, callback, body);
    }

    /** The call when body is a quick read, parsed once (see JsonRpcProcessor.quickRead). */
    Optional<JsonNode> quickRead(byte[] body) {
        return rpc.quickRead(body);
    }

    /**
     * A quick read's call, answered on the calling thread (see QuickReadPath): it must not block. The answer is written
     * from the thread's reused buffer.
     */
    boolean answerInPlace(Request request, Response response, Callback answered, JsonNode call) {
        Callback callback = deadline.admit(request, answered);
        deadline.met(request.getConnectionMetaData().getConnection());
        AnswerBuffer out = AnswerBuffer.lend();
        if (!rpc.answer(call, caller(request), out)) {
            out.giveBack();
            return noContent(response, callback);
        }
        return JsonAnswer.send(response, out.returnedAfter(callback), HttpStatus.OK_200, out.bytes());
    }

    /** Tells the handler the body's first bytes, taken from the request before it was handed to a thread that may block. */
    static void readAlready(Request request, byte[] bytes) {
        request.setAttribute(READ_ALREADY_ATTRIBUTE, bytes);
    }

    private static byte[] body(Request request, long declared) throws IOException {
        byte[] already = request.getAttribute(READ_ALREADY_ATTRIBUTE) instanceof byte[] b ? b : new byte[0];
        if (declared >= 0 && already.length == declared) return already;
        try (InputStream in = Content.Source.asInputStream(request)) {
            // a declared length is read into one array of that size: readNBytes(MAX_BODY + 1) would fill a fresh
            // 16 KiB buffer and copy it for every call (half a status call's garbage, a young collection per ~70 calls)
            byte[] rest = in.readNBytes(declared >= 0 ? (int) declared - already.length : MAX_BODY + 1);
            if (already.length == 0) return rest;
            byte[] whole = Arrays.copyOf(already, already.length + rest.length);
            System.arraycopy(rest, 0, whole, already.length, rest.length);
            return whole;
        }
    }

    private boolean answer(Request request, Response response, Callback callback, byte[] body) {
        Optional<byte[]> answer = rpc.process(body, caller(request));
        if (answer.isEmpty()) return noContent(response, callback);
        return JsonAnswer.send(response, callback, HttpStatus.OK_200, ByteBuffer.wrap(answer.get()));
    }

    private static boolean noContent(Response response, Callback callback) {
        response.setStatus(HttpStatus.NO_CONTENT_204);
        callback.succeeded();
        return true;
    }

    private boolean metrics(Response response, Callback callback) throws IOException {
        var text = new ByteArrayOutputStream(16 * 1024);
        metrics.write(text);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, DaemonMetrics.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, text.size());
        response.write(true, ByteBuffer.wrap(text.toByteArray()), callback);
        return true;
    }

    /**
     * Who the daemon takes the caller for and which methods it may call (the document's x-heromgr-access against the
     * caller's grant): the Admin UI disables what would be refused. The dispatcher still decides each call.
     */
    private Map<String, Object> access(Caller caller) {
        return Map.of("caller", caller.user(), "access", caller.access().word(), "may_call", contract.callableWith(caller.access()));
    }

    private boolean tooLarge(Response response, Callback callback, String what) {
        // the unread rest of the body makes the connection unusable: close it after this answer
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        return JsonAnswer.refuse(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, what + " exceeds the limit of " + MAX_BODY + " bytes");
    }

    private Caller caller(Request request) {
        Principal principal = Principal.of(request);
        if (principal != null) return new Caller(principal.name(), principal.access());
        var meta = request.getConnectionMetaData();
        if (meta.getAttribute(CALLER_ATTRIBUTE) instanceof Caller cached) return cached;
        Caller c = meta.getConnector() instanceof PeerCheckingConnector connector
                && meta.getConnection().getEndPoint().getTransport() instanceof SocketChannel channel
                ? connector.callerOf(channel) : PeerCheckingConnector.UNKNOWN;
        meta.setAttribute(CALLER_ATTRIBUTE, c);
        return c;
    }
}

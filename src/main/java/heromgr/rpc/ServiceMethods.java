package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.api.InstallMode;
import heromgr.api.TimeBound;
import heromgr.fs.JsonCodec;
import heromgr.fs.LogStream;
import heromgr.fs.TimedLog;
import heromgr.manager.OperationLog;
import heromgr.manager.RunningOperation;
import heromgr.manager.ServiceManager;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The dispatch table: each service.* method mapped to its manager operation. Params arrive already validated
 * against the OpenRPC document, with the document's defaults in place of those left out, so reading them here
 * needs no checks and no defaults of its own. A param without a default in the document is read as optional (null).
 */
public final class ServiceMethods {
    private ServiceMethods() {
    }

    /** With listener, the daemon's loopback listener that rpc.http opens. */
    public static Map<String, RpcMethod> table(ServiceManager m, OpenRpcContract contract, LoopbackListener listener) {
        Map<String, RpcMethod> t = new LinkedHashMap<>();
        t.put("rpc.discover", (p, c) -> contract.document());
        t.put("rpc.health", (p, c) -> m.daemonHealth());
        t.put("rpc.http", (p, c) -> listener.open(defaulted(p, "address").asText()));
        t.put("service.list", (p, c) -> m.list(flag(p, "usage")));
        t.put("service.inspect", (p, c) -> m.inspect(name(p)));
        t.put("service.status", (p, c) -> m.status(name(p)));
        t.put("service.health", (p, c) -> m.health(name(p)));
        t.put("service.build", tracked(m, "service.build", (p, op) -> m.build(name(p), text(p, "profile"), flag(p, "force"), op)));
        t.put("service.install", tracked(m, "service.install", (p, op) -> m.install(name(p), mode(p), text(p, "version"),
                flag(p, "force"), flag(p, "reset"), op)));
        t.put("service.start", tracked(m, "service.start", (p, op) -> m.start(name(p), new ServiceManager.StartRequest(
                flag(p, "wait"), timeout(p), flag(p, "with_deps"), flag(p, "reset"), text(p, "version")), op)));
        t.put("service.stop", recorded(m, "service.stop", p -> m.stop(name(p), flag(p, "cascade"))));
        t.put("service.up", tracked(m, "service.up", (p, op) -> m.up(names(p), timeout(p), op)));
        t.put("service.down", tracked(m, "service.down", (p, op) -> m.down(names(p), op)));
        t.put("service.restart", recorded(m, "service.restart", p -> m.restart(name(p), timeout(p))));
        t.put("service.upgrade", tracked(m, "service.upgrade", (p, op) -> m.upgrade(name(p), text(p, "version"), timeout(p), op)));
        t.put("service.deploy", tracked(m, "service.deploy", (p, op) -> m.deploy(name(p), mode(p), text(p, "version"), timeout(p), op)));
        t.put("service.troubleshoot", (p, c) -> m.troubleshoot(name(p)));
        t.put("service.ops", (p, c) -> operations(m, p));
        t.put("service.verify", (p, c) -> m.verify(name(p)));
        t.put("service.logs", (p, c) -> m.logs(name(p), text(p, "action"), logQuery(p, Instant.now())));
        t.put("service.create", (p, c) -> m.create(CreateParams.definition(p, m.home()), flag(p, "start"),
                Duration.ofMillis(defaulted(p, "settle_ms").asLong()), timeout(p)));
        t.put("service.delete", (p, c) -> m.delete(name(p), flag(p, "purge_binaries"), flag(p, "cascade")));
        return t;
    }

    /** The operation log; with output_lines, each operation that kept output (a build) carries its last lines as output. */
    private static Object operations(ServiceManager m, JsonNode p) {
        List<OperationLog.Entry> ops = m.operations(text(p, "name"), defaulted(p, "limit").asInt());
        int lines = defaulted(p, "output_lines").asInt();
        if (lines == 0) return ops;
        ArrayNode out = JsonCodec.MAPPER.createArrayNode();
        for (OperationLog.Entry e : ops) {
            ObjectNode op = JsonCodec.MAPPER.valueToTree(e);
            if (e.outputLog() != null) op.set("output", JsonCodec.MAPPER.valueToTree(m.operationOutput(e, lines)));
            out.add(op);
        }
        return out;
    }

    /** A changing operation: it goes into the operation log with its caller and the params it sent. */
    private static RpcMethod recorded(ServiceManager m, String method, Function<JsonNode, Object> op) {
        return tracked(m, method, (p, running) -> op.apply(p));
    }

    /** A changing operation that reports along the way (downloads), naming the running operation. */
    private static RpcMethod tracked(ServiceManager m, String method, BiFunction<JsonNode, RunningOperation, Object> op) {
        return (p, c) -> m.recorded(method, c.sentParams(), c.user(), c.requestId(), running -> op.apply(p, running));
    }

    private static InstallMode mode(JsonNode p) {
        return InstallMode.valueOf(defaulted(p, "mode").asText().toUpperCase(Locale.ROOT));
    }

    private static String name(JsonNode p) {
        return p.path("name").asText();
    }

    private static List<String> names(JsonNode p) {
        List<String> names = new ArrayList<>();
        defaulted(p, "names").forEach(n -> names.add(n.asText()));
        return names;
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null ? null : v.asText();
    }

    /** service.logs' window; the document's patterns let through only what parses, but a 13th month is found here. */
    private static TimedLog.Query logQuery(JsonNode p, Instant now) {
        String stream = text(p, "stream");
        return new TimedLog.Query(defaulted(p, "lines").asInt(), bound(p, "since", now), bound(p, "until", now),
                stream == null ? null : LogStream.ofWire(stream));
    }

    private static Instant bound(JsonNode p, String field, Instant now) {
        String v = text(p, field);
        try {
            return v == null ? null : TimeBound.parseForApi(v, now);
        } catch (DateTimeException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMS, "invalid params: " + field + " '" + v + "' is not a time: " + e.getMessage());
        }
    }

    private static boolean flag(JsonNode p, String field) {
        return defaulted(p, field).asBoolean();
    }

    private static Duration timeout(JsonNode p) {
        return Duration.ofMillis(defaulted(p, "timeout_ms").asLong());
    }

    /** A param the document gives a default: present whether or not the caller sent it. */
    private static JsonNode defaulted(JsonNode p, String field) {
        JsonNode v = p.get(field);
        if (v == null) throw new IllegalStateException("param " + field + " has no default in the OpenRPC document");
        return v;
    }
}

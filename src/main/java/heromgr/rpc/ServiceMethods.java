package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.manager.RunningOperation;
import heromgr.manager.ServiceManager;
import heromgr.service.InstallMode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The dispatch table: each service.* method mapped to its manager operation. Params arrive already
 * validated against the OpenRPC document, so reading them here needs no checks of its own.
 */
public final class ServiceMethods {
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_LOG_LINES = 100;
    static final int DEFAULT_OPS_LIMIT = 50;

    private ServiceMethods() {
    }

    public static Map<String, RpcMethod> table(ServiceManager m, OpenRpcContract contract) {
        Map<String, RpcMethod> t = new LinkedHashMap<>();
        t.put("rpc.discover", (p, c) -> contract.document());
        t.put("service.list", (p, c) -> m.list());
        t.put("service.inspect", (p, c) -> m.inspect(name(p)));
        t.put("service.status", (p, c) -> m.status(name(p)));
        t.put("service.health", (p, c) -> m.health(name(p)));
        t.put("service.build", recorded(m, "service.build",
                p -> m.build(name(p), text(p, "profile"), p.path("force").asBoolean(false))));
        t.put("service.install", tracked(m, "service.install", (p, op) -> m.install(name(p), mode(p), text(p, "version"),
                p.path("force").asBoolean(false), op)));
        t.put("service.start", recorded(m, "service.start", p -> m.start(name(p), p.path("wait").asBoolean(true), timeout(p),
                p.path("with_deps").asBoolean(true))));
        t.put("service.stop", recorded(m, "service.stop", p -> m.stop(name(p), p.path("cascade").asBoolean(false))));
        t.put("service.restart", recorded(m, "service.restart", p -> m.restart(name(p), timeout(p))));
        t.put("service.upgrade", tracked(m, "service.upgrade", (p, op) -> m.upgrade(name(p), text(p, "version"), timeout(p), op)));
        t.put("service.deploy", tracked(m, "service.deploy", (p, op) -> m.deploy(name(p), mode(p), text(p, "version"), timeout(p), op)));
        t.put("service.troubleshoot", (p, c) -> m.troubleshoot(name(p)));
        t.put("service.ops", (p, c) -> m.operations(text(p, "name"), p.path("limit").asInt(DEFAULT_OPS_LIMIT)));
        t.put("service.verify", (p, c) -> m.verify(name(p)));
        t.put("service.logs", (p, c) -> m.logs(name(p), text(p, "action"), p.path("lines").asInt(DEFAULT_LOG_LINES)));
        t.put("service.create", (p, c) -> m.create(CreateParams.definition(p, m.home()), p.path("start").asBoolean(true), timeout(p)));
        t.put("service.delete", (p, c) -> m.delete(name(p), p.path("purge_binaries").asBoolean(false), p.path("cascade").asBoolean(false)));
        return t;
    }

    /** A changing operation: it goes into the operation log with its caller. */
    private static RpcMethod recorded(ServiceManager m, String method, Function<JsonNode, Object> op) {
        return tracked(m, method, (p, running) -> op.apply(p));
    }

    /** A changing operation that reports along the way (downloads), naming the running operation. */
    private static RpcMethod tracked(ServiceManager m, String method, BiFunction<JsonNode, RunningOperation, Object> op) {
        return (p, c) -> m.recorded(method, p, c.user(), c.requestId(), running -> op.apply(p, running));
    }

    private static InstallMode mode(JsonNode p) {
        return InstallMode.valueOf(p.path("mode").asText("source").toUpperCase(Locale.ROOT));
    }

    private static String name(JsonNode p) {
        return p.path("name").asText();
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null ? null : v.asText();
    }

    private static Duration timeout(JsonNode p) {
        JsonNode v = p.get("timeout_ms");
        return v == null ? DEFAULT_START_TIMEOUT : Duration.ofMillis(v.asLong());
    }
}

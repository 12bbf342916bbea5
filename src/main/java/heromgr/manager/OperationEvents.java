package heromgr.manager;

import heromgr.service.BuildOutput;
import heromgr.service.DownloadProgress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "operation" events of the stream, built in one place so they share one shape: each carries the operation's
 * id and method and a phase — start (with the caller, and the JSON-RPC request id when the call had one, so a
 * client can find its own operation), progress (bytes of a download, or a line of build output) and end (outcome,
 * duration).
 */
final class OperationEvents {
    static final String TYPE = "operation";

    private final EventBus events;

    OperationEvents(EventBus events) {
        this.events = events;
    }

    void started(String service, RunningOperation op, String caller, String requestId) {
        Map<String, Object> data = data(op, "start");
        data.put("caller", caller);
        if (requestId != null) data.put("request_id", requestId);
        events.publish(TYPE, service, data);
    }

    void ended(String service, RunningOperation op, String outcome, long durationMs) {
        Map<String, Object> data = data(op, "end");
        data.put("outcome", outcome);
        data.put("duration_ms", durationMs);
        events.publish(TYPE, service, data);
    }

    /** The operation's downloads as progress events (the download already paces its reports). */
    DownloadProgress downloads(String service, RunningOperation op) {
        return (binary, asset, done, total) -> {
            Map<String, Object> data = data(op, "progress");
            data.put("binary", binary);
            data.put("asset", asset);
            data.put("bytes_done", done);
            if (total >= 0) data.put("bytes_total", total);
            events.publish(TYPE, service, data);
        };
    }

    /** The operation's build output, a progress event per line, as cargo writes it. */
    BuildOutput buildOutput(String service, RunningOperation op) {
        return line -> {
            Map<String, Object> data = data(op, "progress");
            data.put("line", line);
            events.publish(TYPE, service, data);
        };
    }

    private static Map<String, Object> data(RunningOperation op, String phase) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", op.id());
        data.put("method", op.method());
        data.put("phase", phase);
        return data;
    }
}

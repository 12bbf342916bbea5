package heromgr.metrics;

import heromgr.api.ErrorCode;
import heromgr.rpc.CallMeter;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * heromgr_rpc_request_duration_seconds{method, code}: every JSON-RPC call, its _count the number of calls. The method
 * label takes only the document's method names ("other" for anything else a client sends), so no client can grow
 * the series without bound. The hot path is an array read and one observation: each (method, code) series is
 * looked up in the tally once, then kept.
 */
final class RpcMetrics implements CallMeter {
    static final String OTHER = "other";
    private static final ErrorCode[] CODES = ErrorCode.values();

    private final Tally tally = new Tally(Buckets.CALLS);
    /** Per method, its series by outcome: index 0 success, 1 + ordinal an error code; filled on first use. */
    private final Map<String, AtomicReferenceArray<Tally.Series>> byMethod = new HashMap<>();
    private final AtomicReferenceArray<Tally.Series> other = new AtomicReferenceArray<>(CODES.length + 1);

    RpcMetrics(Set<String> methods) {
        for (String m : methods) byMethod.put(m, new AtomicReferenceArray<>(CODES.length + 1));
    }

    Exposition.Family family() {
        return Exposition.Family.histogram("heromgr_rpc_request_duration_seconds",
                "JSON-RPC calls by method and outcome (code: ok or the JSON-RPC error code), from parsed call to built answer",
                tally, "method", "code");
    }

    @Override
    public void called(String method, ErrorCode failure, long nanos) {
        var points = method == null ? other : byMethod.getOrDefault(method, other);
        int slot = failure == null ? 0 : failure.ordinal() + 1;
        Tally.Series series = points.get(slot);
        if (series == null) {
            // racing threads get the same series from the tally: whichever is kept, nothing is lost
            series = tally.series(points == other ? OTHER : method, failure == null ? "ok" : String.valueOf(failure.code()));
            points.set(slot, series);
        }
        series.observe(nanos / 1e9);
    }
}

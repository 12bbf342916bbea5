package heromgr.metrics;

import heromgr.api.ErrorCode;
import heromgr.rpc.CallMeter;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * heromgr_rpc_request_duration_seconds{method, code}: every JSON-RPC call, its _count the number of calls. The method
 * label takes only the document's method names ("other" for anything else a client sends), so no client can grow
 * the series without bound. The hot path is an array read and one observation: each (method, code) data point is
 * looked up in the histogram once, then kept.
 */
final class RpcMetrics implements CallMeter {
    static final String OTHER = "other";
    private static final ErrorCode[] CODES = ErrorCode.values();

    private final Histogram histogram;
    /** Per method, its data points by outcome: index 0 success, 1 + ordinal an error code; filled on first use. */
    private final Map<String, AtomicReferenceArray<DistributionDataPoint>> byMethod = new HashMap<>();
    private final AtomicReferenceArray<DistributionDataPoint> other = new AtomicReferenceArray<>(CODES.length + 1);

    RpcMetrics(PrometheusRegistry registry, Set<String> methods) {
        histogram = Histogram.builder().name("heromgr_rpc_request_duration_seconds")
                .help("JSON-RPC calls by method and outcome (code: ok or the JSON-RPC error code), from parsed call to built answer")
                .labelNames("method", "code").classicOnly().classicUpperBounds(Buckets.CALLS).withoutExemplars()
                .register(registry);
        for (String m : methods) byMethod.put(m, new AtomicReferenceArray<>(CODES.length + 1));
    }

    @Override
    public void called(String method, ErrorCode failure, long nanos) {
        var points = method == null ? other : byMethod.getOrDefault(method, other);
        int slot = failure == null ? 0 : failure.ordinal() + 1;
        DistributionDataPoint point = points.get(slot);
        if (point == null) {
            // racing threads get the same data point from the histogram: whichever is kept, nothing is lost
            point = histogram.labelValues(points == other ? OTHER : method, failure == null ? "ok" : String.valueOf(failure.code()));
            points.set(slot, point);
        }
        point.observe(nanos / 1e9);
    }
}

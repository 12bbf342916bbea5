package heromgr.metrics;

import heromgr.manager.Event;
import heromgr.manager.EventBus;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Map;

/**
 * heromgr_operation_duration_seconds{method, outcome}: every changing operation (the operation log's records), its
 * _count the number of operations; counted from the operation's end event, the one place every operation passes.
 */
final class OperationMetrics {
    private OperationMetrics() {
    }

    static void register(PrometheusRegistry registry, EventBus events) {
        Histogram histogram = Histogram.builder().name("heromgr_operation_duration_seconds")
                .help("Changing operations (build, install, start, stop, ...) by method and outcome (ok or error)")
                .labelNames("method", "outcome").classicOnly().classicUpperBounds(Buckets.CALLS).withoutExemplars()
                .register(registry);
        events.listen(e -> ended(e, histogram));
    }

    private static void ended(Event e, Histogram histogram) {
        if (!"operation".equals(e.type()) || !(e.data() instanceof Map<?, ?> data) || !"end".equals(data.get("phase"))) return;
        if (data.get("method") instanceof String method && data.get("outcome") instanceof String outcome
                && data.get("duration_ms") instanceof Number ms) {
            histogram.labelValues(method, outcome).observe(ms.doubleValue() / 1000);
        }
    }
}

package heromgr.metrics;

import heromgr.manager.Event;
import heromgr.manager.EventBus;

import java.util.Map;

/**
 * heromgr_operation_duration_seconds{method, outcome}: every changing operation (the operation log's records), its
 * _count the number of operations; counted from the operation's end event, the one place every operation passes.
 */
final class OperationMetrics {
    private OperationMetrics() {
    }

    static Exposition.Family register(EventBus events) {
        Tally tally = new Tally(Buckets.CALLS);
        events.listen(e -> ended(e, tally));
        return Exposition.Family.histogram("heromgr_operation_duration_seconds",
                "Changing operations (build, install, start, stop, ...) by method and outcome (ok or error)",
                tally, "method", "outcome");
    }

    private static void ended(Event e, Tally tally) {
        if (!"operation".equals(e.type()) || !(e.data() instanceof Map<?, ?> data) || !"end".equals(data.get("phase"))) return;
        if (data.get("method") instanceof String method && data.get("outcome") instanceof String outcome
                && data.get("duration_ms") instanceof Number ms) {
            tally.observe(ms.doubleValue() / 1000, method, outcome);
        }
    }
}

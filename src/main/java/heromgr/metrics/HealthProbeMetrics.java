package heromgr.metrics;

import heromgr.proc.HealthResult;
import heromgr.proc.ProcessSupervisor;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * heromgr_health_probe_duration_seconds{service, kind, target} and heromgr_health_probe_failures_total: each probe
 * of a health check, the monitor's own and those on demand (service.health, a start's readiness wait).
 */
final class HealthProbeMetrics {
    private HealthProbeMetrics() {
    }

    static void register(PrometheusRegistry registry, ProcessSupervisor supervisor) {
        Histogram latency = Histogram.builder().name("heromgr_health_probe_duration_seconds")
                .help("Health probe latency by service and check (kind: http, tcp or exec; target: what it probes)")
                .labelNames("service", "kind", "target").classicOnly().classicUpperBounds(Buckets.PROBES).withoutExemplars()
                .register(registry);
        Counter failures = Counter.builder().name("heromgr_health_probe_failures_total")
                .help("Health probes that failed, by service and check")
                .labelNames("service", "kind", "target").withoutExemplars().register(registry);
        supervisor.onHealthProbe((service, r) -> observe(service, r, latency, failures));
    }

    private static void observe(String service, HealthResult r, Histogram latency, Counter failures) {
        latency.labelValues(service, r.kind(), r.target()).observe(r.latencyMs() / 1000);
        if (!r.ok()) failures.labelValues(service, r.kind(), r.target()).inc();
    }
}

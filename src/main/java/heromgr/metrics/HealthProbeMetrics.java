package heromgr.metrics;

import heromgr.proc.HealthResult;
import heromgr.proc.ProcessSupervisor;

import java.util.List;

/**
 * heromgr_health_probe_duration_seconds{service, kind, target} and heromgr_health_probe_failures_total: each probe
 * of a health check, the monitor's own and those on demand (service.health, a start's readiness wait).
 */
final class HealthProbeMetrics {
    private static final String[] LABELS = {"service", "kind", "target"};

    private HealthProbeMetrics() {
    }

    static List<Exposition.Family> register(ProcessSupervisor supervisor) {
        Tally latency = new Tally(Buckets.PROBES);
        Tally failures = new Tally();
        supervisor.onHealthProbe((service, r) -> observe(service, r, latency, failures));
        return List.of(
                Exposition.Family.histogram("heromgr_health_probe_duration_seconds",
                        "Health probe latency by service and check (kind: http, tcp or exec; target: what it probes)", latency, LABELS),
                Exposition.Family.counter("heromgr_health_probe_failures", "Health probes that failed, by service and check",
                        failures, LABELS));
    }

    private static void observe(String service, HealthResult r, Tally latency, Tally failures) {
        latency.observe(r.latencyMs() / 1000, service, r.kind(), r.target());
        if (!r.ok()) failures.observe(1, service, r.kind(), r.target());
    }
}

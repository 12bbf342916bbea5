package heromgr.metrics;

import heromgr.manager.ServiceManager;
import heromgr.proc.ProcessSupervisor;
import heromgr.rpc.CallMeter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;

/**
 * The daemon's Prometheus metrics, served as GET /metrics in the Prometheus text format. What costs nothing until a
 * scrape (service and action state, health, restarts, uptime; memory, threads) is read when scraped; what happens
 * (RPC calls, operations, health probes) is counted as it happens, each a histogram observation and no lock.
 * Its own registry, not the client library's global one: two daemons in one JVM (tests) keep apart.
 */
public final class DaemonMetrics {
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final RpcMetrics rpc;

    /** @param methods the documented JSON-RPC methods: the only values of the RPC metrics' method label, besides "other" */
    public DaemonMetrics(ServiceManager manager, ProcessSupervisor supervisor, Set<String> methods, String version) {
        registry.register(new ServiceMetrics(manager));
        rpc = new RpcMetrics(registry, methods);
        OperationMetrics.register(registry, manager.events());
        HealthProbeMetrics.register(registry, supervisor);
        ProcessMetrics.register(registry, version);
    }

    /** What the JSON-RPC envelope tells about each call. */
    public CallMeter rpcMeter() {
        return rpc;
    }

    /** Every metric now, in the Prometheus text format (version 0.0.4). */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}

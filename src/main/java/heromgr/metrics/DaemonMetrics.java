package heromgr.metrics;

import heromgr.manager.ServiceManager;
import heromgr.proc.ProcessSupervisor;
import heromgr.rpc.CallMeter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The daemon's Prometheus metrics, served as GET /metrics in the Prometheus text format. What costs nothing until a
 * scrape (service and action state, health, restarts, uptime; memory, threads) is read when scraped; what happens
 * (RPC calls, operations, health probes) is counted as it happens in {@link Tally}s, each an array increment and no
 * lock. The Prometheus client itself ({@link Exposition}) is made by the first scrape: a daemon nobody scrapes never
 * loads its classes (docs/performance.md, "The daemon's memory: thread stacks, compiler arenas, metrics").
 */
public final class DaemonMetrics {
    /** A compile-time constant: javac copies its text here, so reading it loads none of the client's classes. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final ServiceManager manager;
    private final String version;
    private final RpcMetrics rpc;
    private final List<Exposition.Family> counted = new ArrayList<>();
    private Exposition exposition;

    /** @param methods the documented JSON-RPC methods: the only values of the RPC metrics' method label, besides "other" */
    public DaemonMetrics(ServiceManager manager, ProcessSupervisor supervisor, Set<String> methods, String version) {
        this.manager = manager;
        this.version = version;
        rpc = new RpcMetrics(methods);
        counted.add(rpc.family());
        counted.add(OperationMetrics.register(manager.events()));
        counted.addAll(HealthProbeMetrics.register(supervisor));
    }

    /** What the JSON-RPC envelope tells about each call. */
    public CallMeter rpcMeter() {
        return rpc;
    }

    /** Every metric now, in the Prometheus text format (version 0.0.4). */
    public void write(OutputStream out) throws IOException {
        exposition().write(out);
    }

    private synchronized Exposition exposition() {
        if (exposition == null) exposition = new Exposition(manager, version, List.copyOf(counted));
        return exposition;
    }
}

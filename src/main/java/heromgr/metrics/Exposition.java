package heromgr.metrics;

import heromgr.manager.ServiceManager;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Prometheus side of the daemon's metrics, made by the first scrape: its own registry (not the client library's
 * global one: two daemons in one JVM, in tests, keep apart) with what is read at scrape time and the tallies of what
 * was counted since the start, turned into the client's snapshots.
 */
final class Exposition {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    Exposition(ServiceManager manager, String version, List<Family> counted) {
        registry.register(new ServiceMetrics(manager));
        ProcessMetrics.register(registry, version);
        registry.register(collector(counted));
    }

    private static MultiCollector collector(List<Family> counted) {
        return () -> {
            var snapshots = new ArrayList<MetricSnapshot>(counted.size());
            for (Family f : counted) snapshots.add(f.snapshot().get());
            return new MetricSnapshots(snapshots);
        };
    }

    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** A counted metric family, as the scrape reads it. */
    record Family(Supplier<MetricSnapshot> snapshot) {
        static Family histogram(String name, String help, Tally tally, String... labelNames) {
            return new Family(() -> {
                var family = HistogramSnapshot.builder().name(name).help(help);
                double[] bounds = tally.upperBounds();
                tally.all().forEach((values, s) -> family.dataPoint(HistogramDataPointSnapshot.builder()
                        .labels(Labels.of(labelNames, values.toArray(String[]::new)))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, s.counts())).sum(s.sum()).build()));
                return family.build();
            });
        }

        /** @param name without the _total the text adds */
        static Family counter(String name, String help, Tally tally, String... labelNames) {
            return new Family(() -> {
                var family = CounterSnapshot.builder().name(name).help(help);
                tally.all().forEach((values, s) -> family.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(Labels.of(labelNames, values.toArray(String[]::new))).value(s.count()).build()));
                return family.build();
            });
        }
    }
}

package heromgr.metrics;

import heromgr.api.ErrorCode;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The daemon counts calls, operations and probes in tallies from its start and makes the Prometheus client only at
 * the first scrape: what was counted before that scrape is in it, in the text the client's own histograms wrote.
 */
class TallyTest {

    @Test
    void eachValueFallsInTheFirstBucketItFitsAndAboveTheLastInInf() {
        var tally = new Tally(0.1, 1);
        for (double v : new double[] {0.05, 0.1, 0.5, 1, 7}) tally.observe(v, "a");
        Tally.Series series = tally.series("a");
        assertThat(series.counts()).containsExactly(2, 2, 1);
        assertThat(series.count()).isEqualTo(5);
        assertThat(series.sum()).isEqualTo(8.65, offset(1e-9));
        assertThat(tally.upperBounds()).containsExactly(0.1, 1, Double.POSITIVE_INFINITY);
    }

    @Test
    void callsCountedBeforeTheFirstScrapeAreInItAsCumulativeBuckets() throws IOException {
        var rpc = new RpcMetrics(Set.of("service.status"));
        rpc.called("service.status", null, 200_000); // 0.2 ms
        rpc.called("service.status", null, 2_000_000_000L); // 2 s
        rpc.called("service.status", ErrorCode.values()[0], 50_000);
        rpc.called("service.nothing", null, 50_000);

        String text = scrape(rpc.family());

        String ok = "heromgr_rpc_request_duration_seconds_bucket{code=\"ok\",method=\"service.status\",le=\"";
        assertThat(text).contains("# TYPE heromgr_rpc_request_duration_seconds histogram")
                .contains(ok + "1.0E-4\"} 0").contains(ok + "2.5E-4\"} 1").contains(ok + "1.0\"} 1").contains(ok + "2.5\"} 2")
                .contains(ok + "+Inf\"} 2")
                .contains("heromgr_rpc_request_duration_seconds_count{code=\"ok\",method=\"service.status\"} 2")
                .contains("heromgr_rpc_request_duration_seconds_count{code=\"" + ErrorCode.values()[0].code() + "\",method=\"service.status\"} 1")
                .contains("heromgr_rpc_request_duration_seconds_count{code=\"ok\",method=\"other\"} 1")
                .doesNotContain("service.nothing");
    }

    @Test
    void aCounterFamilyCountsObservationsUnderItsTotalName() throws IOException {
        var failures = new Tally();
        failures.observe(1, "web", "http", "/health");
        failures.observe(1, "web", "http", "/health");

        String text = scrape(Exposition.Family.counter("heromgr_health_probe_failures", "Failed probes", failures,
                "service", "kind", "target"));

        assertThat(text).contains("heromgr_health_probe_failures_total{kind=\"http\",service=\"web\",target=\"/health\"} 2.0");
    }

    private static String scrape(Exposition.Family family) throws IOException {
        var out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, MetricSnapshots.of(family.snapshot().get()));
        return out.toString(StandardCharsets.UTF_8);
    }
}

package heromgr.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A classic histogram by label values, counted without the Prometheus client: what happens (calls, operations,
 * probes) is counted from the daemon's start, while the client's classes (~100, ~1 MiB resident through the AOT
 * cache) load only with the first scrape ({@link Exposition}). Each series is one array of bucket counts and a sum.
 */
final class Tally {
    private final double[] upperBounds;
    private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

    /** @param upperBounds the buckets' upper bounds, ascending; +Inf is added */
    Tally(double... upperBounds) {
        this.upperBounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
        this.upperBounds[upperBounds.length] = Double.POSITIVE_INFINITY;
    }

    /** The series of these label values, made on first use and kept: a hot path may hold on to it. */
    Series series(String... labelValues) {
        return series.computeIfAbsent(List.of(labelValues), values -> new Series(upperBounds));
    }

    void observe(double value, String... labelValues) {
        series(labelValues).observe(value);
    }

    /** The upper bounds with +Inf last (a copy). */
    double[] upperBounds() {
        return upperBounds.clone();
    }

    /** Every series by its label values (live: series may be added while it is read). */
    Map<List<String>, Series> all() {
        return series;
    }

    /** One label set's counts; never blocks. */
    static final class Series {
        private final double[] upperBounds;
        private final AtomicLongArray counts;
        private final DoubleAdder sum = new DoubleAdder();

        private Series(double[] upperBounds) {
            this.upperBounds = upperBounds;
            this.counts = new AtomicLongArray(upperBounds.length);
        }

        void observe(double value) {
            int bucket = 0;
            while (value > upperBounds[bucket] && bucket < upperBounds.length - 1) bucket++;
            counts.incrementAndGet(bucket);
            sum.add(value);
        }

        /** Per bucket (not cumulative), in the order of the upper bounds. */
        long[] counts() {
            long[] copy = new long[counts.length()];
            for (int i = 0; i < copy.length; i++) copy[i] = counts.get(i);
            return copy;
        }

        long count() {
            return Arrays.stream(counts()).sum();
        }

        double sum() {
            return sum.sum();
        }
    }
}

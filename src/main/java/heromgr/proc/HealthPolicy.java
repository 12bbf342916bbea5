package heromgr.proc;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an action's health checks are run and judged.
 *
 * @param interval         time between two probe rounds once the action has been healthy (faster before, see HealthMonitor)
 * @param retries          consecutive failed rounds before a healthy action is reported unhealthy
 * @param startPeriod      failures within this time after a run starts do not count (slow starters)
 * @param livenessFailures 0 = off; N = after N consecutive counted failures the process is killed with its
 *                         stop signal and the restart policy applies, as after any unexpected exit
 */
public record HealthPolicy(Duration interval, int retries, Duration startPeriod, int livenessFailures) {
    private static final HealthPolicy DEFAULTS = new HealthPolicy(Duration.ofSeconds(10), 3, Duration.ZERO, 0);

    public HealthPolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(startPeriod, "startPeriod");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("health interval must be positive: " + interval);
        if (retries < 1) throw new IllegalArgumentException("health retries must be at least 1: " + retries);
        if (startPeriod.isNegative()) throw new IllegalArgumentException("health start period must not be negative: " + startPeriod);
        if (livenessFailures < 0) throw new IllegalArgumentException("liveness failures must not be negative (0 = off): " + livenessFailures);
    }

    public static HealthPolicy defaults() {
        return DEFAULTS;
    }

    public HealthPolicy withInterval(Duration newInterval) {
        return copy(c -> c.interval = newInterval);
    }

    public HealthPolicy withLiveness(int failures) {
        return copy(c -> c.livenessFailures = failures);
    }

    public HealthPolicy withStartPeriod(Duration period) {
        return copy(c -> c.startPeriod = period);
    }

    /**
     * This policy with the components {@code change} sets, checked by the canonical constructor like any other: the
     * one place that lists every component, so a with-method names only what it changes (as ActionSpec does).
     */
    private HealthPolicy copy(Consumer<Copy> change) {
        var copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The components of a copy being made, each settable; starts as the policy it copies. */
    private static final class Copy {
        private Duration interval;
        private int retries;
        private Duration startPeriod;
        private int livenessFailures;

        private Copy(HealthPolicy from) {
            interval = from.interval;
            retries = from.retries;
            startPeriod = from.startPeriod;
            livenessFailures = from.livenessFailures;
        }

        private HealthPolicy build() {
            return new HealthPolicy(interval, retries, startPeriod, livenessFailures);
        }
    }
}

package heromgr.proc;

import java.time.Duration;
import java.util.Objects;

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
        return new HealthPolicy(newInterval, retries, startPeriod, livenessFailures);
    }

    public HealthPolicy withLiveness(int failures) {
        return new HealthPolicy(interval, retries, startPeriod, failures);
    }

    public HealthPolicy withStartPeriod(Duration period) {
        return new HealthPolicy(interval, retries, period, livenessFailures);
    }
}

package heromgr.proc;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * When and how fast the supervisor starts an action again after it exited on its own.
 * A stop asked for by a user is never followed by a restart.
 *
 * <p>Delays: the <em>first</em> restart after a run that stayed up for {@code stablePeriod} is immediate (0 ms),
 * because a single crash of a long-running service is usually a one-off and every millisecond of downtime counts
 * (kill -9 → new pid in a few ms). Each further crash that comes before the run was stable backs off:
 * {@code initialDelay}, then × {@code factor} each time, up to {@code maxDelay}, each delay spread by ±{@code jitter}
 * (a fraction) so services that crash together do not restart in lock-step. With the defaults: 0, 100 ms, 200 ms,
 * 400 ms, … 30 s. A run that stays up for {@code stablePeriod} resets the sequence.
 *
 * <p>Start limit: when a restart would make more than {@code startLimit} starts within {@code startLimitWindow},
 * the action goes FAILED instead (a crash loop that backoff alone would keep alive forever). 0 disables the limit.
 * {@link ProcessSupervisor#start} clears FAILED and all counters.
 */
public record RestartPolicy(
        Mode mode,
        Duration initialDelay,
        double factor,
        Duration maxDelay,
        double jitter,
        Duration stablePeriod,
        int startLimit,
        Duration startLimitWindow) {

    public enum Mode { NEVER, ON_FAILURE, ALWAYS }

    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(100);
    public static final double DEFAULT_FACTOR = 2.0;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
    public static final double DEFAULT_JITTER = 0.1;
    public static final Duration DEFAULT_STABLE_PERIOD = Duration.ofSeconds(10);
    public static final int DEFAULT_START_LIMIT = 10;
    public static final Duration DEFAULT_START_LIMIT_WINDOW = Duration.ofSeconds(60);
    /**
     * The crash-loop floor the supervisor enforces whatever the policy says: an action may be restarted CRASH_BURST
     * times in a row at the policy's pace, then no more often than once per CRASH_FLOOR (a token bucket that refills
     * at that rate), so a service that exits at once with a zero delay and no start limit costs the daemon 5
     * spawns a second, not hundreds. A service killed now and then (a restart every few hundred ms at most) never
     * meets it.
     */
    public static final int CRASH_BURST = 5;
    public static final Duration CRASH_FLOOR = Duration.ofMillis(200);

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(stablePeriod, "stablePeriod");
        Objects.requireNonNull(startLimitWindow, "startLimitWindow");
        if (initialDelay.isNegative()) throw new IllegalArgumentException("restart initialDelay must not be negative: " + initialDelay);
        if (!(factor >= 1.0) || Double.isInfinite(factor)) throw new IllegalArgumentException("restart factor must be a number >= 1: " + factor);
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("restart maxDelay " + maxDelay + " must not be below initialDelay " + initialDelay);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) throw new IllegalArgumentException("restart jitter must be within 0..1: " + jitter);
        if (stablePeriod.isNegative()) throw new IllegalArgumentException("restart stablePeriod must not be negative: " + stablePeriod);
        if (startLimit < 0) throw new IllegalArgumentException("restart startLimit must not be negative: " + startLimit);
        if (startLimit > 0 && !startLimitWindow.isPositive()) {
            throw new IllegalArgumentException("restart startLimitWindow must be positive when startLimit is set: " + startLimitWindow);
        }
    }

    /** The given mode and initial delay, every other setting at its default (the cap grows to the delay if needed). */
    public RestartPolicy(Mode mode, Duration initialDelay) {
        this(mode, initialDelay, DEFAULT_FACTOR, max(DEFAULT_MAX_DELAY, initialDelay), DEFAULT_JITTER,
                DEFAULT_STABLE_PERIOD, DEFAULT_START_LIMIT, DEFAULT_START_LIMIT_WINDOW);
    }

    public static RestartPolicy always() {
        return new RestartPolicy(Mode.ALWAYS, DEFAULT_INITIAL_DELAY);
    }

    public static RestartPolicy onFailure() {
        return new RestartPolicy(Mode.ON_FAILURE, DEFAULT_INITIAL_DELAY);
    }

    public static RestartPolicy never() {
        return new RestartPolicy(Mode.NEVER, DEFAULT_INITIAL_DELAY);
    }

    public RestartPolicy withBackoff(Duration initial, double factor, Duration max, double jitter) {
        return copy(c -> {
            c.initialDelay = initial;
            c.factor = factor;
            c.maxDelay = max;
            c.jitter = jitter;
        });
    }

    public RestartPolicy withStablePeriod(Duration period) {
        return copy(c -> c.stablePeriod = period);
    }

    public RestartPolicy withStartLimit(int starts, Duration window) {
        return copy(c -> {
            c.startLimit = starts;
            c.startLimitWindow = window;
        });
    }

    /** Whether an exit with this status, not asked for, calls for a new run. */
    public boolean restartsAfter(ExitStatus exit) {
        return switch (mode) {
            case NEVER -> false;
            case ALWAYS -> true;
            case ON_FAILURE -> !exit.success();
        };
    }

    /**
     * The wait before the next run, given how many crashes came since the last stable run (0 for the first)
     * and a random number in [0, 1) for the jitter.
     */
    public Duration delayBefore(int quickCrashes, double random) {
        if (quickCrashes <= 0) return Duration.ZERO;
        double base = initialDelay.toNanos() * Math.pow(factor, quickCrashes - 1);
        double cap = maxDelay.toNanos();
        double spread = Math.min(base, cap) * (1.0 + jitter * (2.0 * random - 1.0));
        return Duration.ofNanos((long) Math.min(spread, cap));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * This policy with the components {@code change} sets, checked by the canonical constructor like any other: the
     * one place that lists every component, so a with-method names only what it changes (as ActionSpec does).
     */
    private RestartPolicy copy(Consumer<Copy> change) {
        var copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** The components of a copy being made, each settable; starts as the policy it copies. */
    private static final class Copy {
        private Mode mode;
        private Duration initialDelay;
        private double factor;
        private Duration maxDelay;
        private double jitter;
        private Duration stablePeriod;
        private int startLimit;
        private Duration startLimitWindow;

        private Copy(RestartPolicy from) {
            mode = from.mode;
            initialDelay = from.initialDelay;
            factor = from.factor;
            maxDelay = from.maxDelay;
            jitter = from.jitter;
            stablePeriod = from.stablePeriod;
            startLimit = from.startLimit;
            startLimitWindow = from.startLimitWindow;
        }

        private RestartPolicy build() {
            return new RestartPolicy(mode, initialDelay, factor, maxDelay, jitter, stablePeriod, startLimit, startLimitWindow);
        }
    }
}

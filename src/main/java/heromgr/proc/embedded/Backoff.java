package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ExitStatus;
import heromgr.proc.RestartPolicy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One action's restart bookkeeping under its {@link RestartPolicy}: how many quick crashes in a row (for the delay)
 * and when the recent starts happened (for the start limit). Not thread-safe: the action's lock guards it.
 */
final class Backoff {
    private static final long FLOOR_NANOS = RestartPolicy.CRASH_FLOOR.toNanos();

    private final ArrayDeque<Long> starts = new ArrayDeque<>();
    private int quickCrashes;
    /** Restarts that may still go at the policy's pace; below zero: owed, each paid back by a wait of one floor. */
    private double tokens = RestartPolicy.CRASH_BURST;
    private long refilledAt;
    private boolean everRefilled;

    /** A user's start: the slate is clean. */
    void reset() {
        starts.clear();
        quickCrashes = 0;
        tokens = RestartPolicy.CRASH_BURST;
        everRefilled = false;
    }

    void recordStart(long nanos) {
        starts.addLast(nanos);
    }

    /**
     * After an unexpected exit of a run that began at runStartNanos: the wait before the next run,
     * or empty when one more start would exceed the policy's start limit.
     */
    Optional<Duration> next(RestartPolicy policy, long runStartNanos, long nowNanos) {
        if (nowNanos - runStartNanos >= policy.stablePeriod().toNanos()) quickCrashes = 0;
        if (policy.startLimit() > 0) {
            long windowStart = nowNanos - policy.startLimitWindow().toNanos();
            while (!starts.isEmpty() && starts.peekFirst() - windowStart < 0) starts.removeFirst();
            // only the most recent limit-many starts can matter; older ones would be pruned anyway
            while (starts.size() > policy.startLimit()) starts.removeFirst();
            if (starts.size() >= policy.startLimit()) return Optional.empty();
        }
        Duration delay = policy.delayBefore(quickCrashes, ThreadLocalRandom.current().nextDouble());
        quickCrashes++;
        Duration floor = floorWait(nowNanos);
        return Optional.of(floor.compareTo(delay) > 0 ? floor : delay);
    }

    /** Takes a token for this restart: nothing to wait while the burst lasts, else the time until the token is earned. */
    private Duration floorWait(long nowNanos) {
        if (everRefilled) tokens = Math.min(RestartPolicy.CRASH_BURST, tokens + (double) (nowNanos - refilledAt) / FLOOR_NANOS);
        everRefilled = true;
        refilledAt = nowNanos;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens * FLOOR_NANOS));
    }

    /**
     * Whether the policy restarts an action of this spec after this exit (the delay and the limit aside). A run the
     * health monitor killed for failing its liveness check failed, whatever its exit says (it may exit 0 on the stop
     * signal), as a watchdog kill counts for systemd's Restart=on-failure.
     */
    static boolean restartsAfter(ActionSpec spec, ExitStatus exit, boolean livenessKilled) {
        if (livenessKilled && spec.restart().mode() != RestartPolicy.Mode.NEVER) return true;
        return switch (spec.kind()) {
            case PROCESS -> spec.restart().restartsAfter(exit);
            // a one-shot that succeeded is done; "always" cannot mean running it in a loop. An adopted one-shot
            // whose status is unknown most likely finished: running it again could repeat its side effects.
            case ONESHOT -> !exit.success() && exit.code() != ExitStatus.UNKNOWN && spec.restart().mode() != RestartPolicy.Mode.NEVER;
        };
    }

    /** The message a FAILED action shows when the limit stopped it. */
    static String limitReason(RestartPolicy policy, ExitStatus last) {
        return "start limit hit: " + policy.startLimit() + " starts in " + seconds(policy.startLimitWindow())
                + ", last " + last.describe();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}

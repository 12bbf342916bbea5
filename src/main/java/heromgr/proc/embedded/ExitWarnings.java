package heromgr.proc.embedded;

import java.time.Duration;

/**
 * One action's warnings about unexpected exits: each one logged while they are few, then at most FREE per PERIOD,
 * the next logged line saying how many were left out, so a crash loop cannot flood heromgr.log. Not thread-safe:
 * the action's lock guards it.
 */
final class ExitWarnings {
    static final Duration PERIOD = Duration.ofSeconds(10);
    static final int FREE = 3;

    private long periodStart;
    private boolean started;
    private int inPeriod;
    private long leftOut;

    /** The line to log for this warning at nowNanos, or null when it is left out. */
    String admit(String warning, long nowNanos) {
        if (!started || nowNanos - periodStart >= PERIOD.toNanos()) {
            String line = leftOut == 0 ? warning
                    : warning + " (" + leftOut + " more exits since the last one logged, not logged)";
            started = true;
            periodStart = nowNanos;
            inPeriod = 1;
            leftOut = 0;
            return line;
        }
        if (inPeriod < FREE) {
            inPeriod++;
            return warning;
        }
        leftOut++;
        return null;
    }
}

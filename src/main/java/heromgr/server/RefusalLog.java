package heromgr.server;

import org.slf4j.Logger;

import java.time.Duration;

/**
 * Refused connections, logged one line each and at most one line per period: a client retrying in a loop must not
 * fill heromgr.log. The next line logged says how many refusals were left out before it.
 */
final class RefusalLog {
    static final Duration PERIOD = Duration.ofSeconds(10);

    private final Logger log;
    private long lastNanos;
    private boolean logged;
    private long leftOut;

    RefusalLog(Logger log) {
        this.log = log;
    }

    synchronized void refused(String why) {
        long now = System.nanoTime();
        if (logged && now - lastNanos < PERIOD.toNanos()) {
            leftOut++;
            return;
        }
        if (leftOut > 0) log.warn("refused connection {} ({} more refused in the last {} s, not logged)", why, leftOut,
                PERIOD.toSeconds());
        else log.warn("refused connection {}", why);
        logged = true;
        lastNanos = now;
        leftOut = 0;
    }
}

package heromgr.proc.embedded;

import heromgr.proc.ExitStatus;
import heromgr.proc.RestartPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** One action's restart bookkeeping: the delays of its policy, the start limit, and what a FAILED action says. */
class BackoffTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void backoffGrowsWithQuickCrashesAndResetsAfterAStableRun() {
        RestartPolicy p = RestartPolicy.always().withBackoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(30), 0)
                .withStartLimit(0, Duration.ZERO);
        var b = new Backoff();
        long t = 0;
        assertThat(b.next(p, t, t + 1).orElseThrow()).isEqualTo(Duration.ZERO);
        assertThat(b.next(p, t, t + 2).orElseThrow()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next(p, t, t + 3).orElseThrow()).isEqualTo(Duration.ofMillis(200));
        // a run that stayed up for the stable period (10 s) starts the sequence over
        assertThat(b.next(p, t, t + 11 * SECOND).orElseThrow()).isEqualTo(Duration.ZERO);
    }

    @Test
    void moreStartsThanTheLimitWithinTheWindowStopTheRestarts() {
        RestartPolicy p = RestartPolicy.always().withStartLimit(3, Duration.ofSeconds(60));
        var b = new Backoff();
        b.recordStart(0);
        b.recordStart(SECOND);
        assertThat(b.next(p, SECOND, 2 * SECOND)).isPresent();
        b.recordStart(2 * SECOND);
        assertThat(b.next(p, 2 * SECOND, 3 * SECOND)).isEmpty();
        // once the first start has left the window there is room again
        assertThat(b.next(p, 2 * SECOND, 61 * SECOND)).isPresent();
        b.reset();
        assertThat(b.next(p, 0, 1)).isPresent();
    }

    @Test
    void aLoopWithoutDelayOrLimitMeetsTheFloorAfterItsBurst() {
        RestartPolicy p = RestartPolicy.always().withBackoff(Duration.ZERO, 1.0, Duration.ZERO, 0).withStartLimit(0, Duration.ZERO);
        var b = new Backoff();
        long t = 0;
        for (int i = 0; i < RestartPolicy.CRASH_BURST; i++) assertThat(b.next(p, t, t)).contains(Duration.ZERO);
        assertThat(b.next(p, t, t)).contains(RestartPolicy.CRASH_FLOOR);
        // the process ran the floor it waited, and exited again at once: one floor more, never less
        t += RestartPolicy.CRASH_FLOOR.toNanos();
        assertThat(b.next(p, t, t)).contains(RestartPolicy.CRASH_FLOOR);
        // a quiet spell earns the burst back, and no more than the burst
        t += 60 * SECOND;
        for (int i = 0; i < RestartPolicy.CRASH_BURST; i++) assertThat(b.next(p, t, t)).contains(Duration.ZERO);
        assertThat(b.next(p, t, t)).contains(RestartPolicy.CRASH_FLOOR);
        b.reset();
        assertThat(b.next(p, t, t)).as("a user's start restores the burst").contains(Duration.ZERO);
    }

    @Test
    void killsAFewHundredMillisecondsApartNeverMeetTheFloor() {
        // the benchmark's S2: every run counts as stable (restart at once), and is killed 300 ms after it began
        RestartPolicy p = RestartPolicy.always().withStablePeriod(Duration.ZERO).withStartLimit(0, Duration.ZERO);
        var b = new Backoff();
        long t = 0;
        for (int i = 0; i < 50; i++) {
            long runStart = t;
            t += 300_000_000L;
            assertThat(b.next(p, runStart, t)).contains(Duration.ZERO);
        }
    }

    @Test
    void theLimitReasonSaysWhatHappened() {
        ExitStatus exit3 = new ExitStatus(3, 0, Instant.now(), false);
        assertThat(Backoff.limitReason(RestartPolicy.always(), exit3)).isEqualTo("start limit hit: 10 starts in 60 s, last exit code 3");
        ExitStatus killed = new ExitStatus(137, 9, Instant.now(), false);
        assertThat(Backoff.limitReason(RestartPolicy.always().withStartLimit(5, Duration.ofMillis(1500)), killed))
                .isEqualTo("start limit hit: 5 starts in 1500 ms, last killed by signal 9");
    }
}

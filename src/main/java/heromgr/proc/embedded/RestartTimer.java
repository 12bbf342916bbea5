package heromgr.proc.embedded;

import heromgr.proc.os.ExitWatcher;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * An action's one pending restart after a backoff delay. Every schedule and cancel bumps a token: a restart task that
 * lost a race with a stop or start sees a newer token and gives up. Guarded by the action runner's lock.
 */
final class RestartTimer {
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> pending;
    private long token;

    RestartTimer(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Calls due with the schedule's token after delay, on an exit-handler thread; false when the scheduler refused
     * (the supervisor is closing). The task only hands off: taking the runner's lock on the scheduler thread could
     * stall every other restart behind a slow stop.
     */
    boolean schedule(Duration delay, LongConsumer due) {
        long mine = ++token;
        try {
            pending = scheduler.schedule(() -> ExitWatcher.handle(() -> due.accept(mine)), delay.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** A restart made at once, without the timer: any scheduled one is outdated by it. */
    void supersede() {
        token++;
    }

    void cancel() {
        token++;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    boolean isPending() {
        return pending != null;
    }

    /** Whether the task holding this token is still the one due; if so it is no longer pending. */
    boolean claim(long taskToken) {
        if (taskToken != token) return false;
        pending = null;
        return true;
    }
}

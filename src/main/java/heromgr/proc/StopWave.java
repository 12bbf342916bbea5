package heromgr.proc;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The stops of one wave (a JSON-RPC batch of service.stop) send their signals before any of them does its
 * bookkeeping: each stop, right after its first signal, waits until every call of the wave has signalled or returned
 * (at most a bound, should one be held up elsewhere). Otherwise the exits, cgroup removals, state changes and op-log
 * lines of the first stops compete for the CPU with the signals of the last, and the processes of a stop of 1000 went
 * on running for seconds. A stop's own timeout still counts from its signal (see GroupStop).
 */
public final class StopWave {
    private static final ScopedValue<Call> CURRENT = ScopedValue.newInstance();
    public static final Duration MAX_WAIT = Duration.ofSeconds(1);

    private final CountDownLatch unsignalled;
    private final Duration maxWait;

    /** A wave of calls calls, each run through {@link #run}. */
    public StopWave(int calls) {
        this(calls, MAX_WAIT);
    }

    StopWave(int calls, Duration maxWait) {
        this.unsignalled = new CountDownLatch(calls);
        this.maxWait = maxWait;
    }

    /** One call of the wave; it counts as signalled when it returns, whether or not it signalled anything. */
    public <T> T run(Supplier<T> body) {
        var call = new Call(this);
        try {
            return ScopedValue.where(CURRENT, call).call(body::get);
        } finally {
            call.arrive();
        }
    }

    /** A stop just signalled: its call's first signal waits here for the rest of the wave; outside a wave, nothing. */
    public static void signalled() {
        if (!CURRENT.isBound()) return;
        Call call = CURRENT.get();
        if (!call.arrive()) return;
        try {
            call.wave.unsignalled.await(call.wave.maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One call's part: it arrives once (the first signal of a service of several actions; its end otherwise). */
    private static final class Call {
        private final StopWave wave;
        private boolean arrived; // the call's own thread only

        Call(StopWave wave) {
            this.wave = wave;
        }

        /** True the first time. */
        boolean arrive() {
            if (arrived) return false;
            arrived = true;
            wave.unsignalled.countDown();
            return true;
        }
    }
}

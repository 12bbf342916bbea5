package heromgr.proc;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The calls of a wave of stops: every signal before any bookkeeping, yet none held up for long by a call that lags. */
class StopWaveTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private final List<String> steps = new CopyOnWriteArrayList<>();

    /** A stop as the wave sees it: its signal, then its bookkeeping. */
    private String stop(String name) {
        steps.add("signal " + name);
        StopWave.signalled();
        steps.add("bookkeeping " + name);
        return name;
    }

    @Test
    void everyCallSignalsBeforeAnyDoesItsBookkeeping() throws Exception {
        var wave = new StopWave(3, BOUND);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> a = threads.submit(() -> wave.run(() -> stop("a")));
            Future<String> b = threads.submit(() -> wave.run(() -> stop("b")));
            await().atMost(BOUND).until(() -> steps.containsAll(List.of("signal a", "signal b")));
            // the last call comes late: the first two wait for its signal
            Future<String> c = threads.submit(() -> wave.run(() -> stop("c")));
            assertThat(List.of(a.get(), b.get(), c.get())).containsExactly("a", "b", "c");
        }
        assertThat(steps.subList(0, 3)).containsExactlyInAnyOrder("signal a", "signal b", "signal c");
    }

    @Test
    void aCallThatSignalsNothingCountsAsSignalledWhenItReturns() throws Exception {
        var wave = new StopWave(2, Duration.ofMinutes(10));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> stopped = threads.submit(() -> wave.run(() -> stop("a")));
            threads.submit(() -> wave.run(() -> "nothing was running"));
            assertThat(stopped.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("a");
        }
    }

    @Test
    void aCallHeldUpElsewhereKeepsTheOthersWaitingOnlyForTheBound() throws Exception {
        var wave = new StopWave(2, Duration.ofMillis(200));
        var release = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> held = threads.submit(() -> wave.run(() -> {
                awaitQuietly(release);
                return stop("held");
            }));
            assertThat(threads.submit(() -> wave.run(() -> stop("a"))).get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("a");
            assertThat(held.isDone()).isFalse();
            release.countDown();
            assertThat(held.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("held");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void outsideAWaveASignalWaitsForNothing() {
        assertThat(stop("alone")).isEqualTo("alone");
        assertThat(steps).containsExactly("signal alone", "bookkeeping alone");
    }
}

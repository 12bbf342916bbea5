package heromgr.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HeapTidyTest {
    private static final long MIB = 1L << 20;

    private final AtomicLong committed = new AtomicLong(8 * MIB);
    private final AtomicInteger collections = new AtomicInteger();
    /** A full collection shrinks the heap to 12 MiB, as the serial collector does with the launcher's ratios. */
    private final HeapTidy tidy = new HeapTidy(committed::get, () -> {
        collections.incrementAndGet();
        committed.set(12 * MIB);
    });

    @Test
    void collectsOnceWhenTheHeapGrewAndHeldStill() {
        assertThat(tidy.tick()).isFalse();
        committed.set(30 * MIB);
        assertThat(tidy.tick()).as("still growing: the burst may go on").isFalse();
        assertThat(tidy.tick()).as("held still for a tick: the burst is over").isTrue();
        assertThat(committed.get()).isEqualTo(12 * MIB);
        for (int i = 0; i < 5; i++) assertThat(tidy.tick()).isFalse();
        assertThat(collections).hasValue(1);
    }

    @Test
    void smallGrowthIsLeftAlone() {
        committed.set(8 * MIB + HeapTidy.GROWTH - 1);
        for (int i = 0; i < 5; i++) assertThat(tidy.tick()).isFalse();
        assertThat(collections).hasValue(0);
    }

    @Test
    void aHeapThatStaysLargeIsNotCollectedAgainUntilItGrowsFurther() {
        var stubborn = new HeapTidy(committed::get, collections::incrementAndGet);
        committed.set(40 * MIB);
        stubborn.tick();
        assertThat(stubborn.tick()).isTrue();
        for (int i = 0; i < 5; i++) assertThat(stubborn.tick()).isFalse();
        committed.set(40 * MIB + HeapTidy.GROWTH);
        stubborn.tick();
        assertThat(stubborn.tick()).isTrue();
        assertThat(collections).hasValue(2);
    }

    @Test
    void aShrinkOfItsOwnIsTheNewBaseline() {
        committed.set(30 * MIB);
        tidy.tick();
        tidy.tick();
        committed.set(6 * MIB);
        tidy.tick();
        committed.set(6 * MIB + HeapTidy.GROWTH);
        tidy.tick();
        assertThat(tidy.tick()).as("grown by GROWTH from the smaller heap").isTrue();
    }
}

package heromgr.proc.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes are coalesced, yet a caller can wait until its change is on disk. */
class RuntimeStateStoreTest {
    @TempDir
    Path tmp;
    private final AtomicInteger state = new AtomicInteger();
    private Path file;
    /** Its whole content is the number state holds. */
    private RuntimeStateStore store;

    @BeforeEach
    void newStore() {
        file = tmp.resolve("runtime.json");
        store = new RuntimeStateStore(file, () -> List.of(Integer.toString(state.get()).getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void awaitPersistedReturnsOnlyOnceTheFileHoldsEveryEarlierChange() throws IOException {
        state.set(1);
        store.start();
        store.awaitPersisted(Duration.ofSeconds(10));
        assertThat(Files.readString(file)).isEqualTo("1");
        for (int i = 2; i <= 5; i++) {
            // right after a write the writer sleeps out its spacing: without waiting, the file would still say i - 1
            state.set(i);
            store.markDirty();
            store.awaitPersisted(Duration.ofSeconds(10));
            assertThat(Files.readString(file)).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void aWaveIsWrittenAtTheWaveSpacingYetAnAwaitIsWrittenAtOnce() throws Exception {
        state.set(1);
        store.start();
        store.awaitPersisted(Duration.ofSeconds(10));
        long before = store.writes();
        long t0 = System.nanoTime();
        store.paceForWave(true);
        for (int i = 2; i <= 11; i++) {
            // changes further apart than SPACING: outside a wave each would be a write of its own
            state.set(i);
            store.markDirty();
            Thread.sleep(RuntimeStateStore.SPACING.toMillis() + 10);
        }
        long waveWrites = store.writes() - before;
        long elapsed = System.nanoTime() - t0;
        assertThat(waveWrites).as("writes in %d ms of a wave", elapsed / 1_000_000)
                .isLessThanOrEqualTo(1 + elapsed / RuntimeStateStore.WAVE_SPACING.toNanos());
        // the wave's own wait for its changes does not sit out the spacing
        store.awaitPersisted(Duration.ofSeconds(10));
        assertThat(Files.readString(file)).isEqualTo("11");
        store.paceForWave(false);
        state.set(12);
        store.markDirty();
        store.awaitPersisted(Duration.ofSeconds(10));
        assertThat(Files.readString(file)).isEqualTo("12");
    }

    @Test
    void manyWaitersAreAllReleasedByTheWritesThatHoldTheirChanges() throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            store.start();
            List<Future<String>> seen = new ArrayList<>();
            for (int i = 1; i <= 32; i++) {
                int mine = i;
                seen.add(threads.submit(() -> {
                    state.accumulateAndGet(mine, Math::max);
                    store.markDirty();
                    store.awaitPersisted(Duration.ofSeconds(30));
                    return Files.readString(file);
                }));
            }
            for (int i = 0; i < seen.size(); i++) {
                // each waiter returns only once the file holds a state at least as new as its own change
                assertThat(Integer.parseInt(seen.get(i).get(30, TimeUnit.SECONDS))).isGreaterThanOrEqualTo(i + 1);
            }
        }
    }
}

package heromgr.proc.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes are coalesced, yet a caller can wait until its change is on disk. */
class RuntimeStateStoreTest {
    @TempDir
    Path tmp;

    @Test
    void awaitPersistedReturnsOnlyOnceTheFileHoldsEveryEarlierChange() throws IOException {
        Path file = tmp.resolve("runtime.json");
        var state = new AtomicInteger(1);
        var store = new RuntimeStateStore(file, () -> List.of(Integer.toString(state.get()).getBytes(StandardCharsets.UTF_8)));
        try {
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
        } finally {
            store.close();
        }
    }
}

package heromgr.proc.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** One-shot watches: a change is told once, a file that did not change never, an unwatched one no more. */
class InotifyTest {
    @TempDir
    Path tmp;

    @Test
    void aWatchTellsTheFirstChangeOnceAndOnlyOfTheFileThatChanged() throws IOException {
        Path written = Files.writeString(tmp.resolve("a.log"), "a\n");
        Path still = Files.writeString(tmp.resolve("b.log"), "b\n");
        try (Inotify inotify = Inotify.open().orElseThrow()) {
            assertThat(inotify.watch(written)).isTrue();
            assertThat(inotify.watch(still)).isTrue();
            assertThat(inotify.changed()).isEmpty();

            Files.writeString(written, "more\n", StandardOpenOption.APPEND);
            Files.writeString(written, "and more\n", StandardOpenOption.APPEND);
            assertThat(inotify.changed()).containsExactly(written);
            // one-shot: the watch ended with its first change
            Files.writeString(written, "again\n", StandardOpenOption.APPEND);
            assertThat(inotify.changed()).isEmpty();

            inotify.unwatch(still);
            Files.writeString(still, "unwatched\n", StandardOpenOption.APPEND);
            assertThat(inotify.changed()).isEmpty();
        }
    }

    @Test
    void aFileRemovedOrReplacedCountsAsChanged() throws IOException {
        Path removed = Files.writeString(tmp.resolve("gone.log"), "x\n");
        try (Inotify inotify = Inotify.open().orElseThrow()) {
            inotify.watch(removed);
            Files.delete(removed);
            assertThat(inotify.changed()).containsExactly(removed);
            assertThat(inotify.watch(removed)).as("nothing there to watch").isFalse();
        }
    }
}

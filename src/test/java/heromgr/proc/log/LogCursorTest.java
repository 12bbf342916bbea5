package heromgr.proc.log;

import heromgr.proc.LogCursor;
import heromgr.proc.LogRotation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A follower's place and a tail across rotations driven by hand: no byte repeated, none skipped. */
class LogCursorTest {
    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** Never ticks on its own within a test: rotations happen when the test calls rotate. */
    private final LogRotator rotator = new LogRotator(scheduler, List::of, Duration.ofHours(1));
    private int next = 1;

    @AfterEach
    void down() {
        rotator.close();
        scheduler.shutdownNow();
    }

    /** Appends n numbered lines with O_APPEND, as a service's stdout does; returns them. */
    private String append(Path log, int n) throws IOException {
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append("line ").append(next++).append('\n');
        Files.writeString(log, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return sb.toString();
    }

    private static String drain(LogCursor c) {
        var out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        for (int n; (n = c.read(buf)) > 0; ) out.write(buf.array(), 0, n);
        return out.toString();
    }

    @Test
    void aFollowerKeepsItsPlaceAcrossRotations() throws IOException {
        Path log = tmp.resolve("a.log");
        append(log, 5000);
        LogCursor c = rotator.follow(log, 2);
        assertThat(c.lastLines()).containsExactly("line 4999", "line 5000");
        var expected = new StringBuilder();
        var got = new StringBuilder();
        for (int round = 0; round < 4; round++) {
            expected.append(append(log, 3000));
            got.append(drain(c));
            assertThat(rotator.rotate(log, new LogRotation(8192, 10)).collapsed()).isTrue();
            expected.append(append(log, 10));
        }
        got.append(drain(c));
        assertThat(got.toString()).isEqualTo(expected.toString());
    }

    @Test
    void aFollowerThatFellBehindReadsTheRestFromTheRotatedFiles() throws IOException {
        Path log = tmp.resolve("b.log");
        append(log, 100);
        LogCursor c = rotator.follow(log, 0);
        var expected = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            expected.append(append(log, 4000));
            rotator.rotate(log, new LogRotation(4096, 10));
        }
        expected.append(append(log, 7));
        assertThat(drain(c)).isEqualTo(expected.toString());
    }

    @Test
    void bytesDeletedBeyondKeepAreSkippedNotRepeated() throws IOException {
        Path log = tmp.resolve("c.log");
        LogCursor c = rotator.follow(log, 0);
        for (int round = 0; round < 4; round++) {
            append(log, 4000);
            rotator.rotate(log, new LogRotation(4096, 1));
        }
        String tail = append(log, 3);
        String got = drain(c);
        assertThat(got).endsWith(tail);
        // what it got is exactly the kept files and the live one, from the oldest kept byte on
        var kept = new ByteArrayOutputStream();
        for (Path f : LogRotation.chain(log)) kept.write(Files.readAllBytes(f));
        assertThat(got).isEqualTo(kept.toString());
    }

    @Test
    void tailJoinsTheLineARotationSplit() throws IOException {
        Path log = tmp.resolve("d.log");
        append(log, 2000);
        rotator.rotate(log, new LogRotation(4096, 5));
        append(log, 3);
        // the block boundary cut a line in two: its halves end .1 and start the live file
        assertThat(Files.readString(LogRotation.rotated(log, 1))).doesNotEndWith("\n");
        List<String> last = rotator.tail(log, 50);
        assertThat(last).hasSize(50);
        for (int i = 0; i < 50; i++) assertThat(last.get(i)).isEqualTo("line " + (1954 + i));
    }

    @Test
    void onAFilesystemWithoutCollapseTheFallbackRuns() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
        FileStore store = Files.getFileStore(shm);
        assumeTrue(store.type().equals("tmpfs"), "/dev/shm is not tmpfs");
        Path dir = Files.createTempDirectory(shm, "heromgr-rotate");
        try {
            Path log = dir.resolve("e.log");
            String all = append(log, 5000);
            LogRotator.Outcome o = rotator.rotate(log, new LogRotation(4096, 3));
            assertThat(o.collapsed()).isFalse();
            assertThat(o.cut()).isEqualTo(all.length());
            assertThat(Files.size(log)).isZero();
            assertThat(Files.readString(LogRotation.rotated(log, 1))).isEqualTo(all);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(dir);
        }
    }
}

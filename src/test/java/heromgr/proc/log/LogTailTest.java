package heromgr.proc.log;

import heromgr.proc.LogRotation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogTailTest {
    @TempDir
    Path tmp;

    private Path write(String content) throws IOException {
        Path f = tmp.resolve("log");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void lastLinesOfSmallFile() throws IOException {
        Path f = write("one\ntwo\nthree\nfour\nfive\n");
        assertThat(LogTail.last(f, 3)).containsExactly("three", "four", "five");
    }

    @Test
    void askingForMoreLinesThanThereAreGivesAll() throws IOException {
        Path f = write("one\ntwo\n");
        assertThat(LogTail.last(f, 10)).containsExactly("one", "two");
    }

    @Test
    void fileWithoutTrailingNewline() throws IOException {
        Path f = write("a\nb\nc");
        assertThat(LogTail.last(f, 2)).containsExactly("b", "c");
        assertThat(LogTail.last(f, 5)).containsExactly("a", "b", "c");
    }

    @Test
    void emptyLinesAndCrLfAreKept() throws IOException {
        Path f = write("a\r\n\r\nb\r\n\n");
        assertThat(LogTail.last(f, 10)).containsExactly("a", "", "b", "");
    }

    @Test
    void emptyFile() throws IOException {
        assertThat(LogTail.last(write(""), 5)).isEmpty();
    }

    @Test
    void missingFile() {
        assertThat(LogTail.last(tmp.resolve("nope.log"), 5)).isEmpty();
    }

    @Test
    void zeroLines() throws IOException {
        assertThat(LogTail.last(write("a\nb\n"), 0)).isEmpty();
    }

    @Test
    void linesLongerThanOneReadBlock() throws IOException {
        String x = "x".repeat(100_000);
        String y = "y".repeat(150_000);
        Path f = write("first\n" + x + "\n" + y + "\n");
        assertThat(LogTail.last(f, 2)).containsExactly(x, y);
    }

    @Test
    void lastLinesOfLargeFile() throws IOException {
        Path f = tmp.resolve("big.log");
        int n = 0;
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            while (n * 25L < 50L * 1024 * 1024) {
                w.write(String.format("line %08d of the log\n", n++)); // 25 bytes a line
            }
        }
        assertThat(Files.size(f)).isGreaterThan(50L * 1000 * 1000);
        var expected = new ArrayList<String>();
        for (int i = n - 10; i < n; i++) expected.add(String.format("line %08d of the log", i));
        assertThat(LogTail.last(f, 10)).containsExactlyElementsOf(expected);
    }

    @Test
    void rotatedFilesAreReadAsOneStreamOnlyAsFarBackAsNeeded() throws IOException {
        Path live = tmp.resolve("r.log");
        Files.writeString(LogRotation.rotated(live, 2), "one\ntwo\nthr");
        Files.writeString(LogRotation.rotated(live, 1), "ee\nfour\nfi");
        Files.writeString(live, "ve\nsix\n");
        List<Path> chain = LogRotation.chain(live);
        assertThat(chain).containsExactly(LogRotation.rotated(live, 2), LogRotation.rotated(live, 1), live);
        assertThat(LogTail.last(chain, 2, Long.MAX_VALUE)).containsExactly("five", "six");
        assertThat(LogTail.last(chain, 4, Long.MAX_VALUE)).containsExactly("three", "four", "five", "six");
        assertThat(LogTail.last(chain, 100, Long.MAX_VALUE)).containsExactly("one", "two", "three", "four", "five", "six");
        // a follower's cut: only the live file's first 3 bytes count
        assertThat(LogTail.last(chain, 2, 3)).containsExactly("four", "five");
    }

    @Test
    void aMissingRotatedFileIsSkipped() throws IOException {
        Path live = tmp.resolve("m.log");
        Files.writeString(live, "x\ny\n");
        assertThat(LogTail.last(List.of(tmp.resolve("gone.log.1"), live), 5, Long.MAX_VALUE)).containsExactly("x", "y");
    }
}

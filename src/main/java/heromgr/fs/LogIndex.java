package heromgr.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The time index of one log file, kept beside it ({@link LogFiles#indexOf}) by the daemon so that capture stays
 * zero-copy: now and then the daemon notes the file's size and its modification time, "all bytes before offset were
 * written by millis". A line's time is that of the first mark at or after its end, so a mark is exact for the last
 * line written before it and an upper bound for the lines before; bytes beyond the last mark take the file's
 * modification time, exact for the newest line. Text, one mark a line ("offset millis"), appended; at most
 * {@link #MAX_MARKS} marks, then the older half is thinned (older lines get coarser times, the newest stay exact).
 */
public final class LogIndex {
    public static final int MAX_MARKS = 4096;

    /** All bytes before offset were written at millis (epoch) at the latest. */
    public record Mark(long offset, long millis) {
        String line() {
            return offset + " " + millis + "\n";
        }
    }

    private LogIndex() {
    }

    /** The marks of a log file, ascending; empty when it has none. A torn or damaged line ends the list there. */
    public static List<Mark> read(Path file) {
        Path index = LogFiles.indexOf(file);
        // a new log has none yet (two per create, read by the rotator's first sample): an access(2), not a thrown exception
        if (!Files.exists(index)) return List.of();
        List<String> lines;
        try {
            lines = Files.readAllLines(index, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of(); // an unreadable index: every line takes the file's time
        }
        var marks = new ArrayList<Mark>(lines.size());
        for (String line : lines) {
            int space = line.indexOf(' ');
            try {
                Mark m = new Mark(Long.parseLong(line.substring(0, space)), Long.parseLong(line.substring(space + 1)));
                if (!marks.isEmpty() && m.offset() <= marks.getLast().offset()) break;
                marks.add(m);
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                break;
            }
        }
        return marks;
    }

    public static void append(Path file, Mark mark) throws IOException {
        Files.writeString(LogFiles.indexOf(file), mark.line(), StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Replaces the file's index (none at all when marks is empty). */
    public static void write(Path file, List<Mark> marks) throws IOException {
        Path index = LogFiles.indexOf(file);
        if (marks.isEmpty()) {
            Files.deleteIfExists(index);
            return;
        }
        var text = new StringBuilder(marks.size() * 24);
        marks.forEach(m -> text.append(m.line()));
        AtomicFile.replace(index, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Every other mark of the older half dropped: what keeps an index bounded. */
    public static List<Mark> thinned(List<Mark> marks) {
        int half = marks.size() / 2;
        var out = new ArrayList<Mark>(marks.size());
        for (int i = 0; i < half; i++) if (i % 2 == 1) out.add(marks.get(i));
        out.addAll(marks.subList(half, marks.size()));
        return out;
    }

    /** The time of a line ending at byte end: the first mark at or after it, else fallback (the file's mtime). */
    public static long timeAt(List<Mark> marks, long end, long fallback) {
        int i = firstAtOrAfter(marks, end);
        return i < marks.size() ? marks.get(i).millis() : fallback;
    }

    /** Index of the first mark whose offset is ≥ offset (marks.size() if none). */
    static int firstAtOrAfter(List<Mark> marks, long offset) {
        int lo = 0;
        int hi = marks.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (marks.get(mid).offset() < offset) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}

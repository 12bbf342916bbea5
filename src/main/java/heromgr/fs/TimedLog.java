package heromgr.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads an action's log with each line's time and stream: its stdout file and stderr file (each with its rotated
 * files and their {@link LogIndex}), merged by time (stdout first on a tie). Read backwards, newest file first, so
 * the cost depends on the lines asked for; an index narrows --since/--until to the bytes that can hold them.
 * The daemon and `heromgr logs` with the daemon down read the same way.
 */
public final class TimedLog {
    private static final int BLOCK = 64 * 1024;
    /** A log without newlines must not make a read take the whole file into memory. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /** The last lines (at most) written between since and until (null: open), of one stream (null: both). */
    public record Query(int lines, Instant since, Instant until, LogStream stream) {
        public static Query last(int lines) {
            return new Query(lines, null, null, null);
        }

        boolean admits(long millis) {
            return (since == null || millis >= since.toEpochMilli()) && (until == null || millis <= until.toEpochMilli());
        }

        boolean reads(LogStream s) {
            return stream == null || stream == s;
        }
    }

    /** How one stream's files are read: directly, or (the daemon) guarded against a rotation in progress. */
    @FunctionalInterface
    public interface StreamRead {
        List<LogLine> read(Path file, LogStream stream);
    }

    private TimedLog() {
    }

    /** The lines of the action whose stdout log is log (its stderr file beside it), oldest first. */
    public static List<LogLine> read(Path log, Query q) {
        return read(log, q, (file, stream) -> stream(file, stream, q));
    }

    public static List<LogLine> read(Path log, Query q, StreamRead reader) {
        var out = new ArrayList<LogLine>();
        for (LogStream s : LogStream.values()) if (q.reads(s)) out.addAll(reader.read(LogFiles.of(log, s), s));
        // stable: on a tie stdout (added first) stays first
        out.sort(Comparator.comparing(LogLine::time));
        return newest(out, q.lines());
    }

    /** One stream's lines from its live file and, while too few, its rotated files, oldest first. */
    public static List<LogLine> stream(Path live, LogStream stream, Query q) {
        var files = new ArrayList<Path>();
        files.add(live);
        files.addAll(LogFiles.rotatedFiles(live));
        var chunks = new ArrayList<Segment>();
        int need = q.lines();
        for (Path f : files) {
            if (need <= 0) break;
            // the newer file was read from its first byte: this file's last line may be the start of that file's
            // first, one line with it, so one more is read here (counted only if it is one)
            boolean joins = !chunks.isEmpty() && chunks.getLast().fromStart();
            Segment s = segment(f, stream, q, joins ? need + 1 : need);
            if (s == null) continue;
            if (joins && s.openEnd() && !s.lines().isEmpty()) need++;
            chunks.add(s);
            need -= s.lines().size();
            if (s.olderIrrelevant()) break;
            // read from its first byte: its first line may be the end of the older file's last, so read that too
            if (need <= 0 && s.fromStart()) need = 1;
        }
        return newest(joined(chunks.reversed()), q.lines());
    }

    private static List<LogLine> newest(List<LogLine> lines, int n) {
        return lines.size() > n ? List.copyOf(lines.subList(lines.size() - n, lines.size())) : lines;
    }

    /**
     * What one file gave: its lines; whether they begin at its first byte and end with its last byte unfinished
     * (a rotation cuts at a block boundary, inside a line); whether older files cannot hold wanted lines.
     */
    private record Segment(List<LogLine> lines, boolean fromStart, boolean openEnd, boolean olderIrrelevant) {
    }

    /** Segments oldest first, a line cut by a rotation made whole again (it takes the time of its end). */
    private static List<LogLine> joined(List<Segment> segments) {
        var out = new ArrayList<LogLine>();
        boolean open = false;
        for (Segment s : segments) {
            List<LogLine> lines = s.lines();
            if (open && s.fromStart() && !lines.isEmpty() && !out.isEmpty()) {
                LogLine head = out.removeLast();
                out.add(new LogLine(lines.getFirst().time(), head.stream(), head.text() + lines.getFirst().text()));
                lines = lines.subList(1, lines.size());
            }
            out.addAll(lines);
            open = s.openEnd();
        }
        return out;
    }

    private static Segment segment(Path f, LogStream stream, Query q, int need) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        long mtime = attrs.lastModifiedTime().toMillis();
        if (q.since() != null && mtime < q.since().toEpochMilli()) return new Segment(List.of(), false, false, true);
        List<LogIndex.Mark> marks = LogIndex.read(f);
        long from = 0;
        long to = attrs.size();
        for (LogIndex.Mark m : marks) {
            if (q.since() != null && m.millis() < q.since().toEpochMilli()) from = m.offset();
            if (q.until() != null && m.millis() > q.until().toEpochMilli()) {
                to = Math.min(to, previousOffset(marks, m));
                break;
            }
        }
        if (q.until() != null && mtime > q.until().toEpochMilli() && to == attrs.size()) {
            to = marks.isEmpty() ? 0 : Math.min(to, marks.getLast().offset());
        }
        from = Math.min(from, to);
        var lines = new ArrayList<LogLine>();
        boolean fromStart;
        boolean openEnd;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            to = Math.min(to, ch.size());
            long start = startOfLast(ch, from, to, need);
            byte[] bytes = bytes(ch, start, to);
            boolean firstAdmitted = false;
            openEnd = to == attrs.size() && bytes.length > 0 && bytes[bytes.length - 1] != '\n';
            int lineStart = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i < bytes.length && bytes[i] != '\n') continue;
                if (i == bytes.length && lineStart == i) break;
                int end = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
                long endOffset = start + Math.min(i + 1, bytes.length);
                long millis = LogIndex.timeAt(marks, endOffset, mtime);
                if (lineStart == 0) firstAdmitted = q.admits(millis);
                if (q.admits(millis)) {
                    lines.add(new LogLine(Instant.ofEpochMilli(millis), stream, new String(bytes, lineStart, end - lineStart, StandardCharsets.UTF_8)));
                }
                lineStart = i + 1;
            }
            // a line cut at the front is joined to the older file's end only when it was read whole from byte 0
            fromStart = start == 0 && firstAdmitted;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
        return new Segment(lines, fromStart, openEnd, from > 0);
    }

    private static long previousOffset(List<LogIndex.Mark> marks, LogIndex.Mark m) {
        int i = marks.indexOf(m);
        return i == 0 ? 0 : marks.get(i - 1).offset();
    }

    /** Where the last n lines of [from, to) begin: just after the n-th newline back (the one ending the range not counted). */
    private static long startOfLast(FileChannel ch, long from, long to, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        long pos = to;
        int newlines = 0;
        while (pos > from && to - pos < MAX_BYTES) {
            long block = Math.max(from, pos - BLOCK);
            buf.clear().limit((int) (pos - block));
            while (buf.hasRemaining() && ch.read(buf, block + buf.position()) > 0) {
                // fill the block
            }
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) != '\n' || block + i == to - 1) continue;
                if (++newlines == n) return block + i + 1;
            }
            pos = block;
        }
        return pos;
    }

    private static byte[] bytes(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) (to - from));
        while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
            // until the range is read or the file ends (it shrank: use what there is)
        }
        return buf.position() == buf.capacity() ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }
}

package heromgr.proc.log;

import heromgr.proc.LogCursor;
import heromgr.proc.LogRotation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads a log from a position on, across rotations: positions count bytes written to the log (see
 * {@link RotationLedger}), so a rotation that cuts the live file's front moves no reader. A reader that fell behind a
 * rotation reads the rest of those bytes from the rotated file that now holds them; bytes already deleted (beyond
 * keep) are skipped. A live file that shrank without a rotation (truncated or replaced by someone else) is read
 * from its start.
 */
final class RotatedLogCursor implements LogCursor {
    private final Path file;
    private final RotationLedger ledger;
    private final List<String> lastLines;
    private long position;
    private boolean restarted;

    private RotatedLogCursor(Path file, RotationLedger ledger, long position, List<String> lastLines) {
        this.file = file;
        this.ledger = ledger;
        this.position = position;
        this.lastLines = lastLines;
    }

    /** A cursor at the log's current end, with the lines just before it (the newest {@code lines}, oldest first). */
    static RotatedLogCursor atEnd(Path file, RotationLedger ledger, int lines) {
        return ledger.stable(file, e -> {
            long size = sizeOf(file);
            return new RotatedLogCursor(file, ledger, e.base() + size, LogTail.last(LogRotation.chain(file), lines, size));
        });
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public List<String> lastLines() {
        return lastLines;
    }

    @Override
    public boolean restarted() {
        return restarted;
    }

    /** Where one read started and how many bytes it got. */
    private record Step(long from, int bytes, boolean restarted) {
    }

    @Override
    public int read(ByteBuffer buf) {
        Step step = ledger.stable(file, e -> {
            buf.clear();
            Step s = position < e.base() ? readRotated(e, buf) : readLive(e, buf);
            buf.flip();
            return s;
        });
        position = step.from() + step.bytes();
        restarted = step.restarted();
        return step.bytes();
    }

    private Step readLive(RotationLedger.Entry e, ByteBuffer buf) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            boolean shrank = ch.size() < position - e.base();
            long from = shrank ? e.base() : position;
            return new Step(from, Math.max(0, ch.read(buf, from - e.base())), shrank);
        } catch (NoSuchFileException ex) {
            return new Step(position, 0, false);
        }
    }

    /** From the rotated file holding the position; starts are newest first, and each file ends where the newer one starts. */
    private Step readRotated(RotationLedger.Entry e, ByteBuffer buf) throws IOException {
        List<Long> starts = e.starts();
        int i = 0;
        while (i < starts.size() && starts.get(i) > position) i++;
        if (starts.isEmpty()) return new Step(e.base(), 0, false);
        // deleted beyond keep: go on from the oldest byte still kept
        long from = i == starts.size() ? starts.get(--i) : position;
        long segmentEnd = i == 0 ? e.base() : starts.get(i - 1);
        buf.limit((int) Math.min(buf.capacity(), segmentEnd - from));
        try (FileChannel ch = FileChannel.open(LogRotation.rotated(file, i + 1), StandardOpenOption.READ)) {
            int n = ch.read(buf, from - starts.get(i));
            // a rotated file shorter than the ledger says (damaged by hand): go on after it rather than stall
            return n > 0 ? new Step(from, n, false) : new Step(segmentEnd, 0, false);
        } catch (NoSuchFileException ex) {
            return new Step(segmentEnd, 0, false);
        }
    }

    private static long sizeOf(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}

package heromgr.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The end of a log file, found by reading backwards so the cost depends on the lines asked for, not the file size. */
public final class LogTail {
    private static final int BLOCK = 64 * 1024;
    /** A log without newlines must not make a tail read the whole file into memory. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private LogTail() {
    }

    /** The last {@code lines} lines, oldest first; empty for a missing or empty file. Lines lose their "\n" / "\r\n". */
    public static List<String> last(Path file, int lines) {
        return last(file, lines, Long.MAX_VALUE);
    }

    /** The last lines of the file's first {@code end} bytes: a follower reads the rest from end on, so no line is seen twice. */
    public static List<String> last(Path file, int lines, long end) {
        if (lines <= 0) return List.of();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = Math.min(end, ch.size());
            if (size == 0) return List.of();
            long start = startOfLastLines(ch, size, lines);
            return split(read(ch, start, size));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Offset where the wanted lines begin: just after the (lines)th newline counted back from the end. */
    private static long startOfLastLines(FileChannel ch, long size, int lines) throws IOException {
        long floor = Math.max(0, size - MAX_BYTES);
        ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        long end = size;
        int newlines = 0;
        boolean lastByte = true;
        while (end > floor) {
            long from = Math.max(floor, end - BLOCK);
            buf.clear().limit((int) (end - from));
            readFully(ch, buf, from);
            for (int i = (int) (end - from) - 1; i >= 0; i--) {
                if (buf.get(i) != '\n') {
                    lastByte = false;
                    continue;
                }
                // the newline that ends the last line does not start another line
                if (lastByte) {
                    lastByte = false;
                    continue;
                }
                if (++newlines == lines) return from + i + 1;
            }
            end = from;
        }
        return floor;
    }

    private static byte[] read(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) (to - from));
        readFully(ch, buf, from);
        return Arrays.copyOf(buf.array(), buf.limit());
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) break; // the file shrank under us (truncated log): use what there is
            pos += n;
        }
        buf.flip();
    }

    private static List<String> split(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        var out = new ArrayList<String>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int end = nl < 0 ? text.length() : nl;
            int trimmed = end > from && text.charAt(end - 1) == '\r' ? end - 1 : end;
            out.add(text.substring(from, trimmed));
            if (nl < 0) break;
            from = nl + 1;
        }
        return out;
    }
}

package heromgr.proc.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a log, found by reading backwards so the cost depends on the lines asked for, not the file size.
 * A rotated log is several files read as one stream (rotated files oldest first, then the live one); older files
 * are opened only when the newer ones hold too few lines.
 */
final class LogTail {
    private static final int BLOCK = 64 * 1024;
    /** A log without newlines must not make a tail read the whole file into memory. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private LogTail() {
    }

    /** The last {@code lines} lines, oldest first; empty for a missing or empty file. Lines lose their "\n" / "\r\n". */
    static List<String> last(Path file, int lines) {
        return last(List.of(file), lines, Long.MAX_VALUE);
    }

    /** The last lines of the file's first {@code end} bytes: a follower reads the rest from end on, so no line is seen twice. */
    static List<String> last(Path file, int lines, long end) {
        return last(List.of(file), lines, end);
    }

    /**
     * The last lines of files read as one stream (oldest first; missing ones are skipped), of which the last file
     * counts only its first {@code end} bytes.
     */
    static List<String> last(List<Path> files, int lines, long end) {
        if (lines <= 0 || files.isEmpty()) return List.of();
        try (Chain chain = new Chain(files, end)) {
            long start = startOfLastLines(chain, lines);
            return split(chain.read(start));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files.getLast(), e);
        }
    }

    /** Position (≤ 0, counted back from the end) where the wanted lines begin: just after the (lines)th newline back. */
    private static long startOfLastLines(Chain chain, int lines) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        long end = 0;
        int newlines = 0;
        boolean lastByte = true;
        while (true) {
            long from = chain.reach(Math.max(-MAX_BYTES, end - BLOCK));
            if (from >= end) return end;
            buf.clear().limit((int) (end - from));
            chain.read(buf, from);
            for (int i = buf.limit() - 1; i >= 0; i--) {
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

    /**
     * Files as one stream addressed from its end: position -1 is the last byte. Files are opened newest first,
     * each only once a read reaches back into it.
     */
    private static final class Chain implements AutoCloseable {
        private final List<Path> files;
        private final long end;
        private int nextOlder;
        /** Newest first, with their sizes and the position each begins at. */
        private final List<FileChannel> channels = new ArrayList<>();
        private final List<Long> sizes = new ArrayList<>();
        private final List<Long> begins = new ArrayList<>();
        private long opened;

        Chain(List<Path> files, long end) {
            this.files = files;
            this.end = end;
            this.nextOlder = files.size() - 1;
        }

        /** Opens older files until position want is covered (or none are left); the lowest position covered down to want. */
        long reach(long want) throws IOException {
            while (-opened > want && nextOlder >= 0) openNext();
            return Math.max(want, -opened);
        }

        private void openNext() throws IOException {
            boolean newest = nextOlder == files.size() - 1;
            Path p = files.get(nextOlder--);
            FileChannel ch;
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return;
            }
            long size = newest ? Math.min(end, ch.size()) : ch.size();
            channels.add(ch);
            sizes.add(size);
            opened += size;
            begins.add(-opened);
        }

        /** Fills buf from position from on; short only if a file shrank under us (a truncated log: use what there is). */
        void read(ByteBuffer buf, long from) throws IOException {
            long pos = from;
            for (int i = channels.size() - 1; i >= 0 && buf.hasRemaining(); i--) {
                long begin = begins.get(i);
                long stop = begin + sizes.get(i);
                if (pos >= stop) continue;
                int room = buf.limit();
                buf.limit(buf.position() + (int) Math.min(buf.remaining(), stop - pos));
                while (buf.hasRemaining()) {
                    int n = channels.get(i).read(buf, pos - begin);
                    if (n < 0) break;
                    pos += n;
                }
                pos = Math.max(pos, stop);
                buf.limit(room);
            }
            buf.flip();
        }

        byte[] read(long from) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate((int) -from);
            read(buf, from);
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        }

        @Override
        public void close() throws IOException {
            for (FileChannel ch : channels) ch.close();
        }
    }
}

package heromgr.proc.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What readers of a log need to know of its rotations, published by the rotator and read without a lock.
 * Positions are counted in bytes written to the log since this daemon started watching it: {@code base} is the
 * position of the live file's first byte (everything before it was cut to rotated files), {@code starts} the
 * position of the first byte of {@code .1}, {@code .2}, … (newest first). seq is odd while a rotation moves bytes:
 * a reader that saw the same even seq before and after its read read consistent bytes (a seqlock).
 */
final class RotationLedger {
    /** How long a reader waits for a rotation in progress before it reads anyway (a stalled disk). */
    private static final long MAX_WAIT_NANOS = 5_000_000_000L;
    private static final int MAX_TRIES = 50;

    /** One log's rotations so far; {@link #NEVER} for a log never rotated (by this daemon). */
    record Entry(long seq, long base, List<Long> starts) {
        static final Entry NEVER = new Entry(0, 0, List.of());

        Entry {
            starts = List.copyOf(starts);
        }

        boolean rotating() {
            return (seq & 1) == 1;
        }
    }

    /** A read that may fail with an IOException. */
    @FunctionalInterface
    interface Read<T> {
        T run(Entry entry) throws IOException;
    }

    private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();

    private static Path key(Path log) {
        return log.toAbsolutePath().normalize();
    }

    Entry entry(Path log) {
        return entries.getOrDefault(key(log), Entry.NEVER);
    }

    /** A rotation starts moving bytes of log: readers now wait, or retry what they read meanwhile. */
    void begin(Path log) {
        entries.compute(key(log), (_, e) -> {
            Entry cur = e == null ? Entry.NEVER : e;
            return new Entry(cur.seq() + 1, cur.base(), cur.starts());
        });
    }

    /**
     * The rotation is over: cut bytes left the live file's front (0 if it failed) and became {@code .1} when cut > 0;
     * only the newest keep rotated files remain.
     */
    void end(Path log, long cut, int keep) {
        entries.compute(key(log), (_, e) -> {
            Entry cur = e == null ? Entry.NEVER : e;
            if (cut <= 0) return new Entry(cur.seq() + 1, cur.base(), cur.starts());
            var starts = new ArrayList<Long>(cur.starts().size() + 1);
            starts.add(cur.base());
            starts.addAll(cur.starts());
            return new Entry(cur.seq() + 1, cur.base() + cut, starts.subList(0, Math.min(keep, starts.size())));
        });
    }

    /**
     * Runs read until no rotation of log ran meanwhile, so what it read of the live and rotated files fits
     * together. After many retries (a log rotated again and again) the last result is taken as it is.
     */
    <T> T stable(Path log, Read<T> read) {
        try {
            T result = null;
            for (int i = 0; i < MAX_TRIES; i++) {
                Entry before = quiet(log);
                result = read.run(before);
                if (entry(log).seq() == before.seq()) return result;
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** The entry once no rotation is in progress (or after a bounded wait). */
    private Entry quiet(Path log) {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        Entry e = entry(log);
        while (e.rotating() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
            e = entry(log);
        }
        return e;
    }
}

package heromgr.proc.log;

import heromgr.fs.AtomicFile;
import heromgr.fs.LogFiles;
import heromgr.fs.LogLine;
import heromgr.fs.LogStream;
import heromgr.fs.TimedLog;
import heromgr.proc.ActionSpec;
import heromgr.proc.LogCursor;
import heromgr.proc.LogRotation;
import heromgr.proc.os.Fallocate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Rotates the logs of running actions by size without the service's help and without losing a byte. The service
 * appends to its log with O_APPEND straight from the kernel (the daemon copies nothing), so the file cannot be
 * renamed away under it; instead its front is moved out:
 * <ol>
 *   <li>every {@link #CHECK_EVERY} one stat per running action's file (stdout, stderr), which also keeps the file's
 *       time index ({@link TimeIndexer}; a file quiet for a few ticks is watched by inotify instead until it is written
 *       to); a log over its maxBytes is rotated on a worker thread;</li>
 *   <li>its first K bytes (the size rounded down to whole filesystem blocks) are copied kernel-side
 *       (copy_file_range through transferTo) to a temp file, which is fsynced;</li>
 *   <li>{@code .1} … {@code .keep-1} shift up one (the oldest beyond keep is deleted) and the temp file becomes {@code .1};</li>
 *   <li>{@code fallocate(COLLAPSE_RANGE, 0, K)} cuts exactly those bytes from the live file while the service keeps
 *       appending: the kernel orders the cut and the appends under the inode lock.</li>
 * </ol>
 * Where the filesystem cannot collapse (tmpfs, btrfs: EOPNOTSUPP) the rest of the file is copied too, again until
 * it stops growing, and the file is truncated: what the service writes between the last copy and the truncate
 * (microseconds, unless the thread is descheduled right then) is lost. Readers ({@link RotatedLogCursor}, tails) learn of
 * each rotation from the {@link RotationLedger}.
 */
public final class LogRotator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogRotator.class);
    /** Also how often the time index samples a growing log: a line's time is late by at most this (see {@link TimeIndexer}). */
    public static final Duration CHECK_EVERY = Duration.ofMillis(500);
    /** Copy rounds of the fallback before it truncates anyway (a service writing faster than the copy). */
    private static final int FALLBACK_ROUNDS = 8;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** What one rotation did: cut bytes left the live file, by collapsing its front or (fallback) by truncating it. */
    record Outcome(long cut, boolean collapsed) {
        static final Outcome NONE = new Outcome(0, false);
    }

    private final Supplier<List<ActionSpec>> running;
    private final RotationLedger ledger = new RotationLedger();
    private final Set<Path> busy = ConcurrentHashMap.newKeySet();
    private final TimeIndexer indexer = new TimeIndexer();
    /** One platform thread, started at the first rotation: a collapse is a native call that would pin a carrier. */
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("heromgr-logrotate").daemon().factory());
    private final ScheduledFuture<?> tick;
    /** The log files of each running spec at the last tick (a spec is replaced, never changed): no path work per tick. */
    private IdentityHashMap<ActionSpec, List<Path>> filesOf = new IdentityHashMap<>(); // the tick's thread only
    /** Tests switch the collapse off to drive the fallback on a filesystem that has it. */
    volatile boolean collapse = true;

    /** @param running the specs of the actions whose process runs now: only a running process grows its log */
    public LogRotator(ScheduledExecutorService scheduler, Supplier<List<ActionSpec>> running, Duration every) {
        this.running = running;
        tick = scheduler.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** No rotation running or queued. */
    boolean idle() {
        return busy.isEmpty();
    }

    RotationLedger ledger() {
        return ledger;
    }

    /** The last lines of the log, its rotated files included when the live one has fewer. */
    public List<String> tail(Path logFile, int lines) {
        return ledger.stable(logFile, _ -> LogTail.last(LogRotation.chain(logFile), lines, Long.MAX_VALUE));
    }

    /** The lines of the action whose log is logFile (both streams, or the one asked for) with their times. */
    public List<LogLine> read(Path logFile, TimedLog.Query query) {
        return TimedLog.read(logFile, query, (file, stream) -> ledger.stable(file, _ -> TimedLog.stream(file, stream, query)));
    }

    /** A reader of the log from its current end on, with the lines before it, that keeps its place across rotations. */
    public LogCursor follow(Path logFile, int lines) {
        return RotatedLogCursor.atEnd(logFile, ledger, lines);
    }

    private void check() {
        var rotations = new HashMap<Path, LogRotation>();
        var files = new IdentityHashMap<ActionSpec, List<Path>>();
        for (ActionSpec spec : running.get()) {
            List<Path> logs = filesOf.get(spec);
            if (logs == null) logs = Stream.of(LogStream.values()).map(s -> LogFiles.of(spec.logFile(), s).toAbsolutePath().normalize()).toList();
            files.put(spec, logs);
            // actions sharing a log: the first one's rotation settings decide
            for (Path file : logs) rotations.putIfAbsent(file, spec.logRotation());
        }
        filesOf = files;
        Map<Path, Long> sizes = indexer.sample(rotations.keySet(), busy);
        rotations.forEach((file, rotation) -> {
            // a busy file was not sampled (size 0 here): it is being rotated already
            if (sizes.getOrDefault(file, 0L) <= rotation.maxBytes() || !busy.add(file)) return;
            try {
                worker.execute(() -> rotateQuietly(file, rotation));
            } catch (RejectedExecutionException e) {
                busy.remove(file); // closing
            }
        });
    }

    private void rotateQuietly(Path file, LogRotation rotation) {
        try {
            Outcome o = rotate(file, rotation);
            log.debug("rotated {}: {} bytes to {} ({})", file, o.cut(), LogRotation.rotated(file, 1), o.collapsed() ? "collapse" : "copy and truncate");
        } catch (IOException | RuntimeException e) {
            log.warn("cannot rotate {}: {}", file, e.toString());
        } finally {
            busy.remove(file);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // not written yet, or gone: nothing to rotate
        }
    }

    /** Rotates file now if it is over rotation's maxBytes. One rotation of a file at a time (the worker, or a test). */
    Outcome rotate(Path file, LogRotation rotation) throws IOException {
        long size = sizeOf(file);
        if (size <= rotation.maxBytes()) return Outcome.NONE;
        long block = collapse ? blockSize(file) : 0;
        // COLLAPSE_RANGE takes whole blocks and never the file's last byte (EINVAL otherwise)
        long front = block > 0 ? (size - 1) / block * block : 0;
        Path staged = file.resolveSibling("." + file.getFileName() + ".rotating");
        long copied = copy(file, staged, front > 0 ? front : size);
        long mtime = Files.getLastModifiedTime(file).toMillis();
        Path first = LogRotation.rotated(file, 1);
        long cut = 0;
        boolean collapsed = false;
        ledger.begin(file);
        try {
            shift(file, rotation.keep());
            AtomicFile.moveIntoPlace(staged, first);
            collapsed = front > 0 && Fallocate.collapseFront(file, front);
            cut = collapsed ? front : copyRestAndTruncate(file, first, copied);
            // the fallback copied up to the truncate: its bytes were all written by now
            if (cut > 0) indexer.cut(file, cut, collapsed ? mtime : System.currentTimeMillis());
        } finally {
            ledger.end(file, cut, rotation.keep());
        }
        return new Outcome(cut, collapsed);
    }

    /** Copies the first len bytes of file to a fresh target, kernel-side, and makes them durable. */
    private static long copy(Path file, Path target, long len) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            transfer(in, 0, len, out);
            out.force(true);
        }
        return len;
    }

    private static void transfer(FileChannel in, long from, long len, FileChannel out) throws IOException {
        for (long pos = from, end = from + len; pos < end; ) {
            long n = in.transferTo(pos, end - pos, out);
            if (n <= 0) throw new IOException("the log shrank while it was being copied");
            pos += n;
        }
    }

    /** .1 → .2 … so that .1 is free; the files beyond keep are deleted (keep may have been lowered since). */
    private static void shift(Path file, int keep) throws IOException {
        for (int n = keep; Files.exists(LogRotation.rotated(file, n)); n++) {
            Files.delete(LogRotation.rotated(file, n));
            TimeIndexer.follow(LogRotation.rotated(file, n), null);
        }
        for (int n = keep - 1; n >= 1; n--) {
            Path from = LogRotation.rotated(file, n);
            if (Files.exists(from)) {
                Files.move(from, LogRotation.rotated(file, n + 1));
                TimeIndexer.follow(from, LogRotation.rotated(file, n + 1));
            }
        }
    }

    /**
     * The fallback: appends what the live file holds beyond copied to rotated until the file stops growing (or
     * after a few rounds), then truncates the live file. Returns the bytes moved; 0 if someone else shrank the
     * file meanwhile (then nothing is truncated).
     */
    private static long copyRestAndTruncate(Path file, Path rotated, long copied) throws IOException {
        try (FileChannel live = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel out = FileChannel.open(rotated, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long done = copied;
            for (int round = 0; round < FALLBACK_ROUNDS; round++) {
                long size = live.size();
                if (size < done) return 0;
                if (size == done) break;
                transfer(live, done, size - done, out);
                done = size;
            }
            out.force(true);
            // the window: bytes appended between the last size() and this truncate are lost
            live.truncate(0);
            return done;
        }
    }

    private static long blockSize(Path file) {
        try {
            return Files.getFileStore(file).getBlockSize();
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /**
     * Stops checking and lets a rotation in flight finish (bounded): interrupted between its rename and its cut, it
     * would leave the moved bytes both in {@code .1} and in the live file.
     */
    @Override
    public void close() {
        tick.cancel(false);
        worker.shutdown();
        try {
            if (!worker.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) worker.shutdownNow();
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        indexer.close();
    }
}

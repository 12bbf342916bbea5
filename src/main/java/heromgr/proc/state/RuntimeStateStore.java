package heromgr.proc.state;

import heromgr.fs.AtomicFile;
import heromgr.fs.FailureCause;
import heromgr.fs.DamagedCopies;
import heromgr.fs.JsonCodec;
import heromgr.proc.ActionSpec;
import heromgr.proc.os.RenameExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Keeps runtime.json in step with the supervisor, cheaply: a change only marks the state dirty; one writer thread
 * writes the latest snapshot (atomically: temp file and rename) when dirty, at most once per {@link #SPACING}. A crash loop of
 * many services therefore costs a few writes a second, not one per exit, and the file lags reality by milliseconds.
 */
public final class RuntimeStateStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuntimeStateStore.class);
    public static final Duration SPACING = Duration.ofMillis(20);
    /**
     * The spacing while a wave of stops runs (see {@link #paceForWave}): its 2 changes per service would otherwise
     * make a write of the whole file every SPACING for the wave's length (~60 writes of 1.1 MB for a stop of 1000).
     */
    public static final Duration WAVE_SPACING = Duration.ofMillis(200);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** After a failed write (a full disk, a read-only folder): how soon it is tried again, whatever else changes. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Path file;
    /** The file's content in pieces, in order (see RuntimeStateJson). */
    private final Supplier<List<byte[]>> source;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final Object writeLock = new Object();
    private List<byte[]> lastWritten = List.of(); // guarded by writeLock
    private final AtomicLong writes = new AtomicLong();
    /** Changes marked so far, and how many of them the file holds: what awaitPersisted compares. */
    private final AtomicLong changes = new AtomicLong();
    /** Written by the writer alone (under writeLock). */
    private volatile long persistedChanges;
    /** The threads in awaitPersisted: woken by ticket, not all at once (16 starts of a batch wait at a time). */
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private volatile Thread writer;
    /** Someone waits in awaitPersisted: the writer skips the rest of its spacing. */
    private volatile boolean urgent;
    /** The last write failed: retried every RETRY, logged once until one works. */
    private volatile boolean failing;
    /** Waves of stops running now (see paceForWave). */
    private final AtomicInteger waves = new AtomicInteger();

    /** file null: nothing is persisted (a supervisor without a state file). */
    public RuntimeStateStore(Path file, Supplier<List<byte[]>> source) {
        this.file = file;
        this.source = source;
    }

    /** What a previous daemon left in the state file. */
    public sealed interface Loaded {
        /** No file: nothing ran under this state file before, or it was removed. */
        record Absent() implements Loaded {
        }

        record Saved(RuntimeState state) implements Loaded {
        }

        /** The file could not be read; it was moved to keptAs (null: it could not be moved) for a person to read. */
        record Damaged(String why, Path keptAs) implements Loaded {
        }
    }

    /**
     * The state a previous daemon left, if any. A file that cannot be read is not fatal: it is moved aside under a name
     * of its own (see {@link DamagedCopies}), so a second damage never overwrites the first copy.
     */
    public static Loaded load(Path file) {
        if (file == null) return new Loaded.Absent();
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new Loaded.Saved(JsonCodec.MAPPER.readValue(bytes, RuntimeState.class));
        } catch (NoSuchFileException e) {
            return new Loaded.Absent();
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable");
            return new Loaded.Damaged(why, keepAside(file));
        }
    }

    private static Path keepAside(Path file) {
        try {
            return DamagedCopies.move(file);
        } catch (IOException e) {
            log.error("cannot move the damaged {} aside: {}", file, e.getMessage());
            return null;
        }
    }

    /** Starts writing; called once the supervisor has restored everything, so no partial state is ever written. */
    public synchronized void start() {
        if (file == null || writer != null) return;
        writer = Thread.ofVirtual().name("heromgr-runtime-state").start(this::writeLoop);
        markDirty();
    }

    /** Cheap and non-blocking: callers hold their action's lock. */
    public void markDirty() {
        if (file == null || closed) return;
        changes.incrementAndGet();
        if (!dirty.getAndSet(true)) {
            Thread w = writer;
            if (w != null) LockSupport.unpark(w);
        }
    }

    private void writeLoop() {
        while (!closed) {
            if (!dirty.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            writeNow();
            if (failing) dirty.set(true); // space may come back without any change to write: try again after RETRY
            // changes in this window are written together by the next round, unless a start waits for its write:
            // a batch of 100 starts would otherwise advance one spacing per wave of parallel calls
            long pause = (failing ? RETRY : waves.get() > 0 ? WAVE_SPACING : SPACING).toNanos();
            long until = System.nanoTime() + pause;
            for (long left = pause; left > 0 && !urgent && !closed; left = until - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
            urgent = false;
        }
    }

    /** Writes the current snapshot unless it is what the file already holds. */
    private void writeNow() {
        if (file == null) return;
        synchronized (writeLock) {
            try {
                long upTo = changes.get(); // every change counted so far is in the snapshot taken next
                List<byte[]> pieces = source.get();
                if (!sameContent(pieces, lastWritten)) {
                    // no fsync: the file matters after a daemon crash, when the page cache survives; after a power loss
                    // or kernel crash no process survives either, so there is nothing to adopt (an unreadable file is
                    // moved aside at load). The fsyncs were most of a write's time, and a start waits for its write.
                    AtomicFile.replace(file, pieces, RenameExchange::swap);
                    lastWritten = pieces;
                    writes.incrementAndGet();
                }
                persisted(upTo);
                if (failing) log.info("runtime state {} is written again", file);
                failing = false;
            } catch (IOException e) {
                // retried until it works; the processes themselves are unaffected
                if (!failing) log.error("cannot write runtime state {}: {} (retried every {} s)", file, FailureCause.inWords(e), RETRY.toSeconds());
                failed();
            } catch (RuntimeException e) {
                if (!failing) log.error("cannot write runtime state {}: {}", file, e.toString());
                failed();
            }
        }
    }

    /** Piece by piece: the same arrays (the serializer's cached pieces) are not compared byte by byte. */
    private static boolean sameContent(List<byte[]> pieces, List<byte[]> other) {
        if (pieces == other) return true;
        if (pieces.size() != other.size()) return false;
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i) != other.get(i) && !Arrays.equals(pieces.get(i), other.get(i))) return false;
        }
        return true;
    }

    private record Waiter(long ticket, Thread thread) {
    }

    private void failed() {
        failing = true;
        wake(Long.MAX_VALUE);
    }

    private void persisted(long upTo) {
        if (upTo > persistedChanges) persistedChanges = upTo;
        wake(upTo);
    }

    private void wake(long upTo) {
        for (Waiter w : waiters) {
            if (w.ticket() <= upTo) LockSupport.unpark(w.thread());
        }
    }

    /**
     * A wave of stops begins (true) or ends (false): meanwhile the writer waits WAVE_SPACING between writes, unless
     * someone awaits a write (the wave's own await at its end among them). The file lags by up to WAVE_SPACING
     * meanwhile, and a stop's answer still waits until its change is written.
     */
    public void paceForWave(boolean begins) {
        if (begins) waves.incrementAndGet();
        else waves.decrementAndGet();
    }

    /**
     * Blocks until every change made before the call is in the file (at most max). A start answers only after this:
     * a daemon killed right after it said "started" must still find the new pid in the file, or the next daemon
     * would see the old run gone, start a second copy and leave the first unsupervised.
     */
    public void awaitPersisted(Duration max) {
        if (file == null) return;
        long ticket = changes.get();
        if (persistedChanges >= ticket) return;
        long deadline = System.nanoTime() + max.toNanos();
        var waiter = new Waiter(ticket, Thread.currentThread());
        waiters.add(waiter); // before the checks below: a write that ends after them finds this waiter and wakes it
        try {
            urgent = true;
            Thread w = writer;
            if (w != null) LockSupport.unpark(w);
            // a failing write (a full disk) is not waited for: the start itself succeeded, and the write is retried
            while (persistedChanges < ticket && !closed && !failing) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) return; // a slow disk; the start itself succeeded
                LockSupport.parkNanos(this, left);
            }
        } finally {
            waiters.remove(waiter);
        }
    }

    /** A last write of the final state, then no more: a closed supervisor must not overwrite its successor's file. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
            try {
                w.join(CLOSE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writeNow();
        wake(Long.MAX_VALUE); // nobody waits for a write that will not come
    }

    /** How many times the file was written: what the coalescing saves is visible in a test and a debugger. */
    public long writes() {
        return writes.get();
    }

    /** The sha256 of the spec's JSON, as runtime.json records it beside the spec (see RuntimeState.Action). */
    public static String fingerprint(ActionSpec spec) {
        return SpecJson.of(spec).fingerprint();
    }
}

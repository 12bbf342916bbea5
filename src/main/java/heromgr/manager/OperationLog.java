package heromgr.manager;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ApiException;
import heromgr.fs.JsonCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import heromgr.fs.AtomicFile;
import heromgr.fs.CrashPoint;
import heromgr.fs.ConfinedHomes;
import heromgr.fs.FailureCause;
import heromgr.fs.DamagedCopies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every operation that changes a service, recorded: append-only JSON lines in var/heromgr/ops/ops.jsonl, one
 * line per operation, on disk (fsynced, group-committed) before the operation answers; the newest {@code retain} kept (the file is compacted atomically when it holds
 * twice that). A build's full output is kept beside it as ops/<id>.log. Reads (status, list, …) are not
 * recorded: a dashboard polling status would otherwise drown the log.
 */
public final class OperationLog {
    public record Entry(String id, String method, String service, JsonNode params, String caller, Instant startedAt,
                        long durationMs, String outcome, Integer errorCode, String error, Path outputLog) {
    }

    /** heromgr's own operations (`heromgr self upgrade`: the switch and a rollback) are recorded under this name. */
    public static final String SELF = "heromgr";
    /** How many records a daemon keeps. */
    public static final int KEPT = 5000;

    private static final Logger log = LoggerFactory.getLogger(OperationLog.class);
    private final Path dir;
    private final Path file;
    private final int retain;
    private final Deque<Entry> recent = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    /** Serialises the file's writers; the pending lines and counters are guarded by this object's monitor. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<byte[]> pending = new ArrayList<>();
    private long enqueued;
    private long durable; // guarded by writeLock: the last enqueued line that is on disk
    private int linesInFile; // guarded by writeLock after construction

    public OperationLog(Path dir, int retain) {
        this.dir = dir;
        this.file = dir.resolve("ops.jsonl");
        this.retain = retain;
        load();
    }

    /** A fresh operation id: time-ordered, unique within this daemon's log. */
    public String newId() {
        return Long.toString(System.currentTimeMillis(), 36) + "-" + sequence.incrementAndGet();
    }

    /** Runs op and records it under a new id, whatever its outcome. */
    public <T> T record(String method, String service, JsonNode params, String caller, Supplier<Path> output, Supplier<T> op) {
        return record(newId(), method, service, params, caller, output, op);
    }

    /**
     * Runs op and records it under id (from {@link #newId()}, so events about the operation can name it before it
     * ends), whatever its outcome; output (may be null) names a file to keep as the op's output.
     */
    public <T> T record(String id, String method, String service, JsonNode params, String caller, Supplier<Path> output,
                        Supplier<T> op) {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        try {
            T result = op.get();
            append(new Entry(id, method, service, Redaction.params(params), caller, start, (System.nanoTime() - t0) / 1_000_000,
                    "ok", null, null, keepOutput(id, output)));
            return result;
        } catch (RuntimeException e) {
            Integer code = e instanceof ApiException api ? api.code().code() : null;
            append(new Entry(id, method, service, Redaction.params(params), caller, start, (System.nanoTime() - t0) / 1_000_000,
                    "error", code, e.getMessage(), keepOutput(id, output)));
            throw e;
        }
    }

    /** Newest first; service null means all services. */
    public synchronized List<Entry> query(String service, int limit) {
        List<Entry> out = new ArrayList<>();
        var it = recent.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            Entry e = it.next();
            if (service == null || service.equals(e.service())) out.add(e);
        }
        return out;
    }

    private Path keepOutput(String id, Supplier<Path> output) {
        Path src = output == null ? null : output.get();
        if (src == null || !Files.isRegularFile(src)) return null;
        try {
            Path kept = dir.resolve(id + ".log");
            Files.createDirectories(dir);
            Files.copy(src, kept, StandardCopyOption.REPLACE_EXISTING);
            return kept;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Group commit: the line joins the pending ones, and whoever holds the write lock writes all pending lines with
     * one fsync. A caller returns once its own line is on disk, but 100 concurrent operations cost a few fsyncs,
     * not 100 in a row (an fsync here takes ~5 ms: one each made a batch of 100 stops take half a second).
     */
    private void append(Entry e) {
        byte[] line = line(e);
        long mine;
        synchronized (this) {
            recent.addLast(e);
            while (recent.size() > retain) dropOldest();
            pending.add(line);
            mine = ++enqueued;
        }
        writeLock.lock();
        try {
            if (durable >= mine) return; // an earlier writer took this line along
            List<byte[]> batch;
            List<Entry> snapshot = null;
            long upTo;
            synchronized (this) {
                batch = new ArrayList<>(pending);
                pending.clear();
                upTo = enqueued;
                if (linesInFile + batch.size() >= 2 * retain) snapshot = new ArrayList<>(recent);
            }
            // on failure the batch is lost from the file (not from memory) and the writer that tried says so
            durable = upTo;
            if (snapshot != null) {
                compact(snapshot);
            } else {
                write(batch);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to the operation log " + file + ": " + FailureCause.inWords(ex), ex);
        } finally {
            writeLock.unlock();
        }
    }

    private static byte[] line(Entry e) {
        try {
            return (JsonCodec.MAPPER.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Appends the batch through the folder opened without following links (openat, O_NOFOLLOW). A write that fails
     * part-way (a full disk) is cut back off, so the file never ends in a torn line that the next append would run on from.
     */
    private void write(List<byte[]> batch) throws IOException {
        try (SecureDirectoryStream<Path> folder = ConfinedHomes.openFolder(dir);
             SeekableByteChannel ch = folder.newByteChannel(file.getFileName(), Set.of(StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS))) {
            long before = ch.size();
            try {
                if (CrashPoint.OPS_MID_RECORD.due()) {
                    ch.write(ByteBuffer.wrap(batch.getFirst(), 0, batch.getFirst().length / 2));
                    if (ch instanceof FileChannel fc) fc.force(false);
                    CrashPoint.stopDead();
                }
                ByteBuffer[] buffers = batch.stream().map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
                for (ByteBuffer b : buffers) while (b.hasRemaining()) ch.write(b);
                if (ch instanceof FileChannel fc) fc.force(false);
            } catch (IOException e) {
                cutBack(ch, before, e);
                throw e;
            }
        }
        linesInFile += batch.size();
    }

    private static void cutBack(SeekableByteChannel ch, long size, IOException failure) {
        try {
            ch.truncate(size);
        } catch (IOException alsoFailed) {
            failure.addSuppressed(alsoFailed); // the next open repairs the torn tail
        }
    }

    private void dropOldest() {
        Entry old = recent.removeFirst();
        if (old.outputLog() != null) {
            try {
                Files.deleteIfExists(old.outputLog());
            } catch (IOException ignored) {
                // an orphaned output file is harmless
            }
        }
    }

    private void compact(List<Entry> entries) throws IOException {
        var sb = new StringBuilder();
        for (Entry e : entries) sb.append(JsonCodec.MAPPER.writeValueAsString(e)).append('\n');
        Files.createDirectories(dir);
        AtomicFile.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        linesInFile = entries.size();
    }

    private void load() {
        if (!Files.exists(file)) return;
        try {
            byte[] bytes = Files.readAllBytes(file);
            int end = repairTail(bytes);
            int skipped = 0;
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                linesInFile++;
                try {
                    recent.addLast(JsonCodec.MAPPER.readValue(line, Entry.class));
                } catch (IOException torn) {
                    // a line damaged some other way: skip it, keep the rest
                    skipped++;
                    continue;
                }
                if (recent.size() > retain) recent.removeFirst();
            }
            if (skipped > 0) log.warn("operation log {}: {} lines that are not records were skipped (left in the file)", file, skipped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the operation log " + file, e);
        }
    }

    /**
     * A crash mid-append leaves a last line without its newline; the next append would run on from it and both records
     * be lost at the next load. The torn bytes are cut off (kept beside the log for a person to read) before anything
     * is appended. Returns how many bytes of the file hold whole lines.
     */
    private int repairTail(byte[] bytes) throws IOException {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') end--;
        if (end == bytes.length) return end;
        Path kept = DamagedCopies.write(file, Arrays.copyOfRange(bytes, end, bytes.length));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(end);
            ch.force(false);
        }
        log.warn("operation log {}: its last line was torn by a crash ({} bytes without a newline); cut off and kept as {}",
                file, bytes.length - end, kept);
        return end;
    }
}

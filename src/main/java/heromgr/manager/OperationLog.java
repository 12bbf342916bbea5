package heromgr.manager;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.service.HeroException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every operation that changes a service, recorded: append-only JSON lines in var/heromgr/ops/ops.jsonl, one
 * fsynced line per operation, the newest {@code retain} kept (the file is compacted atomically when it holds
 * twice that). A build's full output is kept beside it as ops/<id>.log. Reads (status, list, …) are not
 * recorded: a dashboard polling status would otherwise drown the log.
 */
public final class OperationLog {
    public record Entry(String id, String method, String service, JsonNode params, String caller, Instant startedAt,
                        long durationMs, String outcome, Integer errorCode, String error, Path outputLog) {
    }

    private final Path dir;
    private final Path file;
    private final int retain;
    private final Deque<Entry> recent = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    private int linesInFile;

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
            Integer code = e instanceof HeroException he ? he.code().code() : null;
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

    private synchronized void append(Entry e) {
        recent.addLast(e);
        while (recent.size() > retain) dropOldest();
        try {
            Files.createDirectories(dir);
            byte[] line = (JsonCodec.MAPPER.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(line));
                ch.force(false);
            }
            if (++linesInFile >= 2 * retain) compact();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to the operation log " + file, ex);
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

    private void compact() throws IOException {
        var sb = new StringBuilder();
        for (Entry e : recent) sb.append(JsonCodec.MAPPER.writeValueAsString(e)).append('\n');
        heromgr.fs.AtomicFile.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        linesInFile = recent.size();
    }

    private void load() {
        if (!Files.exists(file)) return;
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) continue;
                linesInFile++;
                try {
                    recent.addLast(JsonCodec.MAPPER.readValue(line, Entry.class));
                } catch (IOException torn) {
                    // a line torn by a crash mid-append: skip it, keep the rest
                    continue;
                }
                if (recent.size() > retain) recent.removeFirst();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the operation log " + file, e);
        }
    }
}

package heromgr.server;

import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.proc.LogTail;
import heromgr.service.HeroException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * GET /logs?name=S[&action=A][&lines=N]: the last N lines of an action's log, then every line appended, as
 * server-sent events (one {@code data:} line per log line; a heartbeat comment when the log is quiet, so the
 * connection stays open and a client that left is noticed). `heromgr service logs S -f` prints them. The file
 * is polled for growth every {@link #POLL}; a file that shrank (truncated or replaced) is read from its start.
 */
final class LogFollow {
    static final Duration POLL = Duration.ofMillis(100);
    static final int DEFAULT_LINES = 10;

    private final ServiceManager manager;
    private volatile boolean closed;

    LogFollow(ServiceManager manager) {
        this.manager = manager;
    }

    void close() {
        closed = true;
    }

    boolean handle(Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        String name = q.getValue("name");
        String action = q.getValue("action");
        Path file;
        int lines;
        try {
            if (name == null || !ServiceRegistry.NAME.matcher(name).matches()) throw new IllegalArgumentException("name is missing or malformed");
            lines = q.getValue("lines") == null ? DEFAULT_LINES : Integer.parseInt(q.getValue("lines"));
            if (lines < 0 || lines > 100_000) throw new IllegalArgumentException("lines must be 0..100000");
            file = manager.logFile(name, action);
        } catch (IllegalArgumentException | HeroException e) {
            Response.writeError(request, response, callback, e instanceof HeroException ? 404 : 400, e.getMessage());
            return true;
        }
        return SseResponse.serve(response, callback, out -> follow(out, file, lines));
    }

    private void follow(SseResponse out, Path file, int lines) throws IOException, InterruptedException {
        out.comment("following " + file);
        long position = Files.exists(file) ? Files.size(file) : 0;
        var last = new StringBuilder();
        for (String line : LogTail.last(file, lines, position)) SseResponse.data(last, line);
        out.send(last);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        var partial = new java.io.ByteArrayOutputStream();
        long idleNanos = 0;
        while (!closed) {
            long size = Files.exists(file) ? Files.size(file) : 0;
            if (size < position) {
                position = 0;
                partial.reset();
            }
            if (size == position) {
                Thread.sleep(POLL);
                idleNanos += POLL.toNanos();
                if (idleNanos >= EventStream.HEARTBEAT.toNanos()) {
                    out.comment("heartbeat");
                    idleNanos = 0;
                }
                continue;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.position(position);
                for (int n; (n = ch.read(buf.clear())) > 0; position += n) {
                    out.send(lines(buf.flip(), partial));
                }
            }
            idleNanos = 0;
        }
    }

    /** Frames the complete lines in buf; an unfinished last line waits in partial for the rest. */
    private static StringBuilder lines(ByteBuffer buf, java.io.ByteArrayOutputStream partial) {
        var out = new StringBuilder();
        while (buf.hasRemaining()) {
            byte b = buf.get();
            if (b == '\n') {
                SseResponse.data(out, partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            } else if (b != '\r') {
                partial.write(b);
            }
        }
        return out;
    }
}

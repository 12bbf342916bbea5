package heromgr.server;

import heromgr.api.ApiException;
import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.proc.LogCursor;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.io.ByteArrayOutputStream;

/**
 * GET /logs?name=S[&action=A][&lines=N]: the last N lines of an action's log, then every line appended, as
 * server-sent events (one {@code data:} line per log line; a heartbeat comment when the log is quiet, so the
 * connection stays open and a client that left is noticed). `heromgr service logs S -f` prints them. The file
 * is polled for growth every {@link #POLL} through a {@link LogCursor}, which keeps its place across log rotations
 * (no line repeated or skipped); a file that shrank otherwise (truncated or replaced) is read from its start.
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
        LogCursor cursor;
        try {
            if (name == null || !ServiceRegistry.NAME_OR_INSTANCE.matcher(name).matches()) throw new IllegalArgumentException("name is missing or malformed");
            int lines = q.getValue("lines") == null ? DEFAULT_LINES : Integer.parseInt(q.getValue("lines"));
            if (lines < 0 || lines > 100_000) throw new IllegalArgumentException("lines must be 0..100000");
            cursor = manager.followLog(name, action, lines);
        } catch (IllegalArgumentException | ApiException e) {
            Response.writeError(request, response, callback, e instanceof ApiException ? 404 : 400, e.getMessage());
            return true;
        }
        return SseResponse.serve(response, callback, out -> follow(out, cursor));
    }

    private void follow(SseResponse out, LogCursor cursor) throws IOException, InterruptedException {
        out.comment("following " + cursor.file());
        var last = new StringBuilder();
        for (String line : cursor.lastLines()) SseResponse.data(last, line);
        out.send(last);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        var partial = new ByteArrayOutputStream();
        long idleNanos = 0;
        while (!closed) {
            int n = cursor.read(buf);
            if (cursor.restarted()) partial.reset();
            if (n > 0) {
                out.send(lines(buf, partial));
                idleNanos = 0;
                continue;
            }
            Thread.sleep(POLL);
            idleNanos += POLL.toNanos();
            if (idleNanos >= EventStream.HEARTBEAT.toNanos()) {
                out.comment("heartbeat");
                idleNanos = 0;
            }
        }
    }

    /** Frames the complete lines in buf; an unfinished last line waits in partial for the rest. */
    private static StringBuilder lines(ByteBuffer buf, ByteArrayOutputStream partial) {
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

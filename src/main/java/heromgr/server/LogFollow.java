package heromgr.server;

import heromgr.api.ApiException;
import heromgr.api.TimeBound;
import heromgr.fs.JsonCodec;
import heromgr.fs.LogStream;
import heromgr.fs.TimedLog;
import heromgr.manager.Results.LogEntry;
import heromgr.manager.ServiceManager;
import heromgr.manager.ServiceRegistry;
import heromgr.proc.FollowedLog;
import heromgr.proc.LogCursor;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.io.ByteArrayOutputStream;

/**
 * GET /logs?name=S[&action=A][&lines=N]: the last N lines of an action's log, then every line appended, as
 * server-sent events (one {@code data:} line per log line; a heartbeat comment when the log is quiet, so the
 * connection stays open and a client that left is noticed). With {@code &format=json} (`heromgr logs -f`) each data
 * line is a JSON object {time, action, stream, line} and every action's log is followed (A's alone with action),
 * both streams of each (or {@code &stream=stdout|stderr}), the last lines only since {@code &since=} (service.logs'
 * forms); a comment "live" ends the past lines; a followed line's time is when it was read (within {@link #POLL}). The file
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
        boolean json = "json".equals(q.getValue("format"));
        LogCursor cursor = null;
        List<FollowedLog> logs = List.of();
        List<LogEntry> last = List.of();
        try {
            if (name == null || !ServiceRegistry.NAME_OR_INSTANCE.matcher(name).matches()) throw new IllegalArgumentException("name is missing or malformed");
            int lines = q.getValue("lines") == null ? DEFAULT_LINES : Integer.parseInt(q.getValue("lines"));
            if (lines < 0 || lines > 100_000) throw new IllegalArgumentException("lines must be 0..100000");
            if (json) {
                LogStream stream = q.getValue("stream") == null ? null : LogStream.ofWire(q.getValue("stream"));
                Instant since = q.getValue("since") == null ? null : TimeBound.parseForApi(q.getValue("since"), Instant.now());
                // the readers first: a line written between the two is shown twice rather than never
                logs = manager.followLogs(name, action).stream().filter(l -> stream == null || l.stream() == stream).toList();
                last = lines == 0 ? List.of() : manager.logs(name, action, new TimedLog.Query(lines, since, null, stream)).entries();
            } else {
                cursor = manager.followLog(name, action, lines);
            }
        } catch (IllegalArgumentException | DateTimeException | ApiException e) {
            Response.writeError(request, response, callback, e instanceof ApiException ? 404 : 400, e.getMessage());
            return true;
        }
        if (json) {
            List<FollowedLog> followed = logs;
            List<LogEntry> before = last;
            return SseResponse.serve(response, callback, out -> followTimed(out, followed, before));
        }
        LogCursor raw = cursor;
        return SseResponse.serve(response, callback, out -> follow(out, raw));
    }

    /** format=json: each stream of each action in turn, every line as {time, action, stream, line}. */
    private void followTimed(SseResponse out, List<FollowedLog> logs, List<LogEntry> last) throws IOException, InterruptedException {
        var text = new StringBuilder();
        for (LogEntry e : last) SseResponse.data(text, JsonCodec.MAPPER.writeValueAsString(e));
        out.send(text);
        // what follows was written after the request: a client merging several services knows where the past ends
        out.comment("live");
        pump(out, logs.stream().map(l -> new Source(l.cursor(), new ByteArrayOutputStream(),
                line -> JsonCodec.MAPPER.writeValueAsString(new LogEntry(Instant.now(), l.action(), l.stream().wire(), line)))).toList());
    }

    private void follow(SseResponse out, LogCursor cursor) throws IOException, InterruptedException {
        out.comment("following " + cursor.file());
        var last = new StringBuilder();
        for (String line : cursor.lastLines()) SseResponse.data(last, line);
        out.send(last);
        pump(out, List.of(new Source(cursor, new ByteArrayOutputStream(), line -> line)));
    }

    /** How a log line becomes an event's data. */
    @FunctionalInterface
    private interface LineFrame {
        String data(String line) throws IOException;
    }

    /** One followed file: its reader, its unfinished last line so far, its framing. */
    private record Source(LogCursor cursor, ByteArrayOutputStream partial, LineFrame frame) {
    }

    /** Sends each source's new lines as they come, a heartbeat when all are quiet, until closed. */
    private void pump(SseResponse out, List<Source> sources) throws IOException, InterruptedException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long idleNanos = 0;
        while (!closed) {
            boolean any = false;
            for (Source s : sources) {
                int n = s.cursor().read(buf);
                if (s.cursor().restarted()) s.partial().reset();
                if (n <= 0) continue;
                any = true;
                var framed = new StringBuilder();
                for (String line : split(buf, s.partial())) SseResponse.data(framed, s.frame().data(line));
                out.send(framed);
            }
            if (any) {
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

    /** The complete lines in buf; an unfinished last line waits in partial for the rest. */
    private static List<String> split(ByteBuffer buf, ByteArrayOutputStream partial) {
        var out = new ArrayList<String>();
        while (buf.hasRemaining()) {
            byte b = buf.get();
            if (b == '\n') {
                out.add(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            } else if (b != '\r') {
                partial.write(b);
            }
        }
        return out;
    }
}

package heromgr.server;

import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
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
import java.time.temporal.ChronoUnit;
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
        LogCursor cursor = null;
        List<FollowedLog> logs = List.of();
        List<LogEntry> last = List.of();
        Asked asked;
        try {
            asked = Asked.of(Request.extractQueryParameters(request));
            if (asked.json()) {
                // the readers first: a line written between the two is shown twice rather than never
                logs = manager.followLogs(asked.name(), asked.action()).stream().filter(l -> asked.stream() == null || l.stream() == asked.stream()).toList();
                last = asked.lines() == 0 ? List.of()
                        : manager.logs(asked.name(), asked.action(), new TimedLog.Query(asked.lines(), asked.since(), null, asked.stream())).entries();
            } else {
                cursor = manager.followLog(asked.name(), asked.action(), asked.lines());
            }
        } catch (IllegalArgumentException | ApiException e) {
            return JsonAnswer.refuse(response, callback, e instanceof ApiException a && a.code() == ErrorCode.SERVICE_NOT_FOUND ? 404 : 400, e.getMessage());
        }
        if (asked.json()) {
            List<FollowedLog> followed = logs;
            List<LogEntry> before = last;
            return SseResponse.serve(response, callback, out -> followTimed(out, followed, before));
        }
        LogCursor raw = cursor;
        return SseResponse.serve(response, callback, out -> follow(out, raw));
    }

    /** The query's parameters, checked; a bad one is an IllegalArgumentException whose message starts with its name. */
    private record Asked(String name, String action, int lines, boolean json, LogStream stream, Instant since) {
        static Asked of(Fields q) {
            String name = q.getValue("name");
            if (name == null || !ServiceRegistry.NAME_OR_INSTANCE.matcher(name).matches()) throw new IllegalArgumentException("name is missing or malformed");
            String format = q.getValue("format");
            if (format != null && !format.equals("json")) {
                throw new IllegalArgumentException("format '" + format + "' is not known: json, or none for the plain lines");
            }
            return new Asked(name, q.getValue("action"), lines(q.getValue("lines")), format != null, stream(q.getValue("stream")), since(q.getValue("since")));
        }

        private static int lines(String v) {
            if (v == null) return DEFAULT_LINES;
            try {
                int n = Integer.parseInt(v);
                if (n >= 0 && n <= 100_000) return n;
            } catch (NumberFormatException notANumber) {
                // refused below, as a number out of bounds is
            }
            throw new IllegalArgumentException("lines '" + v + "' must be a whole number in 0..100000");
        }

        private static LogStream stream(String v) {
            return v == null ? null : LogStream.ofWire(v);
        }

        private static Instant since(String v) {
            if (v == null) return null;
            try {
                return TimeBound.parseForApi(v, Instant.now());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("since '" + v + "' is not a time: a time ago (10m, 2h, 3d) or an ISO instant with its offset (2026-12-05T13:30:00Z)");
            }
        }
    }

    /** format=json: each stream of each action in turn, every line as {time, action, stream, line}. */
    private void followTimed(SseResponse out, List<FollowedLog> logs, List<LogEntry> last) throws IOException, InterruptedException {
        var text = new StringBuilder();
        for (LogEntry e : last) SseResponse.data(text, JsonCodec.MAPPER.writeValueAsString(e));
        out.send(text);
        // what follows was written after the request: a client merging several services knows where the past ends
        out.comment("live");
        pump(out, logs.stream().map(l -> new Source(l.cursor(), new ByteArrayOutputStream(),
                line -> JsonCodec.MAPPER.writeValueAsString(new LogEntry(now(), l.action(), l.stream().wire(), line)))).toList());
    }

    /** A live line's time, to the millisecond as the index gives the past lines theirs. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
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

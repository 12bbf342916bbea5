package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.http.UnixHttpClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While a build, install, upgrade, deploy or fleet walk runs: follows the daemon's operation events (of the service, or
 * of every service). On a terminal it draws this call's own operation as one line on stderr: the download's progress,
 * the last line cargo wrote, or what its {@link ProgressLine} makes of other progress (a fleet walk's count); in a pipe
 * (plain) it prints cargo's lines to stderr as they come, and nothing else. The operation is
 * recognized by its start event, which carries this call's JSON-RPC id; events of anyone else's operation are
 * ignored. The line is erased when the operation ends or the call returns. Anything that goes wrong here (an old
 * daemon, a stream cut) only means no bar: the call itself reports what matters.
 */
final class ProgressView implements RpcSession.Display.Shown {
    /** How long the call waits for the subscription to be live before it goes ahead without a bar. */
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(2);
    /**
     * How long closing waits for the end of an operation the bar has shown. The daemon publishes the end before it
     * answers, so the end is already on its way: the wait only covers a slow reader, not a slow daemon.
     */
    private static final Duration END_WAIT = Duration.ofSeconds(2);

    /** Wider build lines are cut on the bar: a wrapped line could not be redrawn in place. */
    private static final int BAR_WIDTH = 100;

    /** Turns the operation's progress events, one after the other, into the line to show. */
    @FunctionalInterface
    interface ProgressLine {
        /** A download's bar: the binary, how far, of how much. */
        ProgressLine DOWNLOAD = data -> ProgressBar.line(data.path("binary").asText(), data.path("bytes_done").asLong(),
                data.path("bytes_total").asLong(-1));

        String next(JsonNode progress);
    }

    private final Terminal terminal;
    private final boolean plain;
    private final String requestId;
    private final ProgressLine progressLine;
    private final UnixHttpClient client;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    /** Counted down once this call's operation has ended on the stream, or the stream itself has. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread reader;
    private String operationId;
    private int drawn;
    private boolean closed;

    private ProgressView(Terminal terminal, Path socket, String service, String requestId, boolean plain, ProgressLine progressLine) {
        this.terminal = terminal;
        this.plain = plain;
        this.requestId = requestId;
        this.progressLine = progressLine;
        this.client = new UnixHttpClient(socket, Duration.ofSeconds(10));
        String path = "/events?type=operation" + (service == null ? "" : "&service=" + URLEncoder.encode(service, StandardCharsets.UTF_8));
        this.reader = Thread.ofVirtual().name("heromgr-progress").start(() -> follow(path));
    }

    /** The display for a call on this service, fed by the daemon's events: a bar on stderr, or (plain) cargo's lines. */
    static RpcSession.Display of(Terminal terminal, Path socket, String service, boolean plain) {
        return of(terminal, socket, service, plain, ProgressLine.DOWNLOAD);
    }

    /** The same for a call on this service (every service: null), its other progress worded by progressLine. */
    static RpcSession.Display of(Terminal terminal, Path socket, String service, boolean plain, ProgressLine progressLine) {
        return requestId -> {
            if (!Files.exists(socket)) return () -> { };   // the call reports the missing daemon
            var view = new ProgressView(terminal, socket, service, requestId, plain, progressLine);
            view.awaitSubscribed();
            return view;
        };
    }

    private void awaitSubscribed() {
        await(subscribed, SUBSCRIBE_WAIT);
    }

    private static void await(CountDownLatch latch, Duration max) {
        try {
            latch.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow(String path) {
        try {
            var lines = new BufferedReader(new InputStreamReader(client.stream(path), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                // the stream's first comment comes once the daemon has subscribed it: from then on nothing is missed
                if (line.startsWith(":")) subscribed.countDown();
                if (line.startsWith("data: ")) handle(JsonText.parse(line.substring("data: ".length())).path("data"));
            }
        } catch (IOException | RuntimeException e) {
            // no bar, or no more of it: closing the client ends the stream this way too
        } finally {
            subscribed.countDown();
            ended.countDown(); // nothing more will come
        }
    }

    private synchronized void handle(JsonNode data) {
        String phase = data.path("phase").asText();
        if (phase.equals("start") && requestId.equals(data.path("request_id").asText(null))) {
            operationId = data.path("id").asText();
        } else if (operationId != null && operationId.equals(data.path("id").asText())) {
            if (phase.equals("progress") && data.has("line")) {
                buildLine(data.path("line").asText());
            } else if (phase.equals("progress") && !plain) {
                draw(progressLine.next(data));
            } else if (phase.equals("end")) {
                erase();
                ended.countDown();
            }
        }
    }

    private void buildLine(String line) {
        if (closed) return;
        if (!plain) {
            String shown = line.strip();
            draw(shown.length() > BAR_WIDTH ? shown.substring(0, BAR_WIDTH - 1) + "…" : shown);
            return;
        }
        terminal.err().println(line);
        terminal.err().flush();
    }

    private synchronized boolean started() {
        return operationId != null;
    }

    private void draw(String line) {
        if (closed) return;
        terminal.err().print(ProgressBar.redraw(line, drawn));
        terminal.err().flush();
        drawn = line.length();
    }

    private void erase() {
        terminal.err().print(ProgressBar.clear(drawn));
        terminal.err().flush();
        drawn = 0;
    }

    /**
     * The answer is in, but this reader may not yet have read the last events on a busy machine: once the operation
     * has shown itself, its last progress and its end are drawn before the bar goes (within END_WAIT). An operation
     * that never showed itself (a call refused before it started) is not waited for.
     */
    @Override
    public void close() {
        if (started()) await(ended, END_WAIT);
        synchronized (this) {
            closed = true;
            erase();
        }
        client.abort();
        try {
            reader.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

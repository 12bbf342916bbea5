package heromgr.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent-events answer, written from the request's own virtual thread with blocking writes, so a slow
 * client slows only its own stream. The body runs until it returns (the stream ends) or a write fails (the
 * client went away).
 */
final class SseResponse {
    @FunctionalInterface
    interface Body {
        void run(SseResponse out) throws IOException, InterruptedException;
    }

    private final Response response;

    private SseResponse(Response response) {
        this.response = response;
    }

    static boolean serve(Response response, Callback callback, Body body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        try {
            body.run(new SseResponse(response));
            response.write(true, null, callback);
        } catch (IOException clientGone) {
            callback.failed(clientGone);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        }
        return true;
    }

    /** Appends one event whose data is a single line. */
    static StringBuilder data(StringBuilder out, String line) {
        return out.append("data: ").append(line).append("\n\n");
    }

    void comment(String text) throws IOException {
        send(new StringBuilder(": ").append(text).append("\n\n"));
    }

    void send(CharSequence text) throws IOException {
        if (text.isEmpty()) return;
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), cb);
            cb.block();
        }
    }
}

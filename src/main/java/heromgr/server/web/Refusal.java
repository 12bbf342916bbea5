package heromgr.server.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A request a gate turns away: a short plain-text answer saying why, and one log line. */
final class Refusal {
    private static final Logger LOG = LoggerFactory.getLogger(Refusal.class);

    private Refusal() {
    }

    static boolean answer(Response response, Callback callback, int status, String why) {
        LOG.info("web request refused ({}): {}", status, why);
        byte[] body = ("heromgr: " + why + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}

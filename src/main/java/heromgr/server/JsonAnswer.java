package heromgr.server;

import heromgr.fs.JsonCodec;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A JSON body answered in one write: the GET routes' answers and every refusal outside JSON-RPC ({error, status},
 * never Jetty's HTML page with a Java message), so a program reads why.
 */
final class JsonAnswer {
    private static final HttpField CONTENT_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");

    private JsonAnswer() {
    }

    /** Added, not put: nothing sets them before, and a put walks the fields (a status call's garbage). */
    static boolean send(Response response, Callback callback, int status, ByteBuffer body) {
        response.setStatus(status);
        response.getHeaders().add(CONTENT_TYPE);
        response.getHeaders().add(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
        return true;
    }

    static boolean refuse(Response response, Callback callback, int status, String message) {
        try {
            return send(response, callback, status, ByteBuffer.wrap(JsonCodec.MAPPER.writeValueAsBytes(Map.of("error", message, "status", status))));
        } catch (IOException e) {
            callback.failed(e);
            return true;
        }
    }
}

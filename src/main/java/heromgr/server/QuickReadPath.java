package heromgr.server;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.rpc.QuickReads;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Where a request runs on a connection Jetty serves (RpcConnection answers the plain calls on service.sock, and hands
 * Jetty the rest of a connection once a request of another shape came). A {@code service.status} on service.sock whose
 * body has arrived whole is answered on the selector thread that read it; every other request gets a virtual thread of
 * its own, as handlers may block (builds take minutes). The hand-off to a virtual thread was a tenth of a status call's
 * daemon time and a second thread wake-up per call. Declared non-blocking to Jetty, so the selector calls it in place;
 * it blocks for nothing: the body is read as far as it has arrived, and what was read goes with the request when it is
 * handed off.
 */
final class QuickReadPath extends Handler.Wrapper {
    private final String connector;
    private final ApiHandler api;
    private final Executor handlers;

    /** @param next all the endpoints' chains; connector the one whose quick reads run in place; handlers one thread a request */
    QuickReadPath(Handler next, String connector, ApiHandler api, Executor handlers) {
        super(next);
        this.connector = connector;
        this.api = api;
        this.handlers = handlers;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (isRpcOnConnector(request)) {
            byte[] arrived = arrivedBody(request);
            Optional<JsonNode> call = arrived != null && arrived.length == request.getLength() ? api.quickRead(arrived) : Optional.empty();
            if (call.isPresent()) return api.answerInPlace(request, response, callback, call.get());
            if (arrived != null) ApiHandler.readAlready(request, arrived);
        }
        handlers.execute(() -> handleBlocking(request, response, callback));
        return true;
    }

    /**
     * A chain put behind this path once the server runs (the loopback listener's): Jetty refuses a blocking handler
     * into a started non-blocking server, but every request this path passes on already has a thread of its own.
     */
    static Handler handedOff(Handler chain) {
        return new Handler.Wrapper(chain) {
            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        };
    }

    private void handleBlocking(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        } catch (Throwable failure) {
            Response.writeError(request, response, callback, failure);
        }
    }

    private boolean isRpcOnConnector(Request request) {
        long declared = request.getLength();
        return declared > 0 && declared <= QuickReads.MAX_BODY && "POST".equals(request.getMethod())
                && connector.equals(request.getConnectionMetaData().getConnector().getName())
                && "/rpc".equals(Request.getPathInContext(request));
    }

    /**
     * The body's bytes that have arrived (all of them when its declared length is reached), without waiting for more;
     * null when none could be taken (nothing yet, or a failure: the handler's blocking read meets it).
     */
    private static byte[] arrivedBody(Request request) {
        byte[] body = new byte[(int) request.getLength()];
        int got = 0;
        while (got < body.length) {
            Content.Chunk chunk = request.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) break;
            try {
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = Math.min(bytes.remaining(), body.length - got);
                bytes.get(body, got, n);
                got += n;
                if (chunk.isLast()) break;
            } finally {
                chunk.release();
            }
        }
        if (got == 0) return null;
        return got == body.length ? body : Arrays.copyOf(body, got);
    }
}

package heromgr.server;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.rpc.Caller;
import heromgr.rpc.JsonRpcProcessor;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

/**
 * A connection on service.sock. A JSON-RPC call whose head arrives whole as a {@link PlainRpcRequest} is answered here:
 * a quick read (service.status) in the selector's callback that read it, any other call on a virtual thread of its
 * own, as handlers may block; a body still to come (a batch of many creates) is read into an array of its own first.
 * Anything else (another path, a head still to come, a chunked body, a body over the 1 MiB limit, a malformed head)
 * goes with the bytes read so far to Jetty's HTTP/1.1 connection, which serves the connection from then on with every
 * check, limit and endpoint it always had. Why: Jetty's HTTP layer (its parser, request, response and generator) cost
 * ~13 µs of CPU a call (bench/s3_floor.py: a canned body sent through Jetty's HTTP connection took 32 µs, through a
 * connection of its own on the same selector 19.5 µs), a third of a status call's whole cost in the daemon.
 */
final class RpcConnection extends AbstractConnection.NonBlocking implements Connection.UpgradeFrom {
    private static final Logger LOG = LoggerFactory.getLogger(RpcConnection.class);
    /** Jetty's own request buffer size: a request that does not fit is not plain. */
    private static final int BUFFER = 8 * 1024;

    private final Factory lane;
    private final PeerCheckingConnector connector;
    /** Held only while bytes are buffered: an idle connection holds none. */
    private RetainableByteBuffer in;
    private Caller caller;
    /**
     * The body of a plain request still arriving (flush mode: what arrived is 0..limit), its array grown toward the
     * declared length, and whether its client asked for a close; null when no body is arriving.
     */
    private ByteBuffer arriving;
    private int arrivingLength;
    private boolean arrivingClose;
    /** A call is being answered: the idle timeout waits for its answer, as Jetty's does for a handler's. */
    private volatile boolean answering;

    private RpcConnection(Factory lane, PeerCheckingConnector connector, EndPoint endPoint) {
        super(endPoint, connector.getExecutor());
        this.lane = lane;
        this.connector = connector;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        fillInterested();
    }

    @Override
    public void onFillable() {
        try {
            if (arriving != null) {
                readBody();
                return;
            }
            if (in == null) in = lane.pool.acquire(BUFFER, false);
            if (getEndPoint().fill(in.getByteBuffer()) < 0) {
                release();
                getEndPoint().close();
                return;
            }
            serveBuffered();
        } catch (IOException | RuntimeException e) {
            release();
            getEndPoint().close(e);
        }
    }

    /** Answers the request at the buffer's head, or waits for one, or hands the connection to Jetty. */
    private void serveBuffered() {
        if (in == null || !in.getByteBuffer().hasRemaining()) {
            release();
            if (getEndPoint().isOpen()) fillInterested();
            return;
        }
        ByteBuffer buffer = in.getByteBuffer();
        Optional<PlainRpcRequest> plain = PlainRpcRequest.at(buffer);
        if (plain.isEmpty() || plain.get().bodyLength() > ApiHandler.MAX_BODY) {
            handToJetty();
            return;
        }
        PlainRpcRequest request = plain.get();
        if (!request.wholeIn(buffer)) {
            // the rest of the body is read on into an array of its own, grown as it arrives (a declared length is
            // not memory a client may claim without sending it); nothing can follow it in the buffer
            int arrived = buffer.remaining() - request.bodyOffset();
            byte[] start = new byte[Math.min(request.bodyLength(), Math.max(2 * arrived, BUFFER))];
            buffer.get(buffer.position() + request.bodyOffset(), start, 0, arrived);
            release();
            arriving = ByteBuffer.wrap(start).limit(arrived);
            arrivingLength = request.bodyLength();
            arrivingClose = request.close();
            fillInterested();
            return;
        }
        byte[] body = new byte[request.bodyLength()];
        buffer.get(buffer.position() + request.bodyOffset(), body);
        buffer.position(buffer.position() + request.length());
        call(body, request.close());
    }

    /** More of a plain request's body: the call once all of it is there (the request deadline bounds the wait). */
    private void readBody() throws IOException {
        if (arriving.limit() == arriving.capacity()) {
            byte[] grown = Arrays.copyOf(arriving.array(), Math.min(arrivingLength, 2 * arriving.capacity()));
            arriving = ByteBuffer.wrap(grown).limit(arriving.limit());
        }
        if (getEndPoint().fill(arriving) < 0) {
            getEndPoint().close();
            return;
        }
        if (arriving.limit() < arrivingLength) {
            fillInterested();
            return;
        }
        // grown at most to the declared length: the array is the body
        byte[] body = arriving.array();
        arriving = null;
        call(body, arrivingClose);
    }

    private void call(byte[] body, boolean close) {
        lane.deadline.met(this);
        answering = true;
        Optional<JsonNode> quick = lane.rpc.quickRead(body);
        if (quick.isPresent()) {
            answerQuickRead(quick.get(), close);
        } else {
            lane.handlers.execute(() -> answer(body, close));
        }
    }

    private void answerQuickRead(JsonNode call, boolean close) {
        AnswerBuffer out = AnswerBuffer.lend();
        if (!lane.rpc.answer(call, caller(), out)) {
            out.giveBack();
            send(null, close, Callback.NOOP);
            return;
        }
        send(out.bytes(), close, out.returnedAfter(Callback.NOOP));
    }

    private void answer(byte[] body, boolean close) {
        Optional<byte[]> answer;
        try {
            answer = lane.rpc.process(body, caller());
        } catch (RuntimeException | Error e) {
            LOG.error("a call on {} failed unanswered", connector.getUnixDomainPath(), e);
            answering = false;
            getEndPoint().close(e);
            return;
        }
        send(answer.map(ByteBuffer::wrap).orElse(null), close, Callback.NOOP);
    }

    /** The answer (null: 204, a notification's), then the next request once it is written. */
    private void send(ByteBuffer json, boolean close, Callback written) {
        Callback next = new Callback() {
            @Override
            public void succeeded() {
                written.succeeded();
                if (close) {
                    release();
                    getEndPoint().close();
                } else {
                    serveBuffered();
                }
            }

            @Override
            public void failed(Throwable failure) {
                written.failed(failure);
                release();
                getEndPoint().close(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        };
        // from here the answer's write is what the idle timeout bounds: a client that reads nothing is cut
        answering = false;
        Callback answered = lane.firstAnswer.releasing(lane.deadline.rearmWhenAnswered(this, next));
        ByteBuffer head = lane.heads(connector.getServer().getDateField()).head(json == null ? -1 : json.remaining(), close);
        if (json == null) getEndPoint().write(answered, head);
        else getEndPoint().write(answered, head, json);
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        return !answering && super.onIdleExpired(timeout);
    }

    /** Jetty's HTTP/1.1 connection takes over, with the bytes read and the caller the peer was let in as. */
    private void handToJetty() {
        if (caller != null && getEndPoint().getTransport() instanceof SocketChannel channel) connector.admitAgain(channel, caller);
        getEndPoint().upgrade(lane.http.newConnection(connector, getEndPoint()));
    }

    @Override
    public ByteBuffer onUpgradeFrom() {
        // a copy: the pooled buffer goes back to the pool now, the next connection copies what it is given
        ByteBuffer rest = BufferUtil.copy(in.getByteBuffer());
        release();
        return rest;
    }

    private Caller caller() {
        if (caller == null) caller = connector.callerOf((SocketChannel) getEndPoint().getTransport());
        return caller;
    }

    /** Back to the pool. A connection closed by another thread mid-call leaves its buffer to the collector. */
    private void release() {
        if (in != null) {
            in.release();
            in = null;
        }
    }

    /**
     * The head Jetty writes for the same answer: its status, Date, and for a 200 its type and length; Connection: close
     * when the client asked for it. Made once a second but for the length.
     */
    record AnswerHeads(HttpField date, byte[] ok, byte[] noContent) {
        private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CLOSE_END = "\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        static AnswerHeads dated(HttpField date) {
            String line = "Date: " + date.getValue();
            return new AnswerHeads(date,
                    ("HTTP/1.1 200 OK\r\n" + line + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII),
                    ("HTTP/1.1 204 No Content\r\n" + line).getBytes(StandardCharsets.US_ASCII));
        }

        /** A 200's head for a body of jsonLength bytes, or a 204's when jsonLength is negative. */
        ByteBuffer head(int jsonLength, boolean close) {
            byte[] start = jsonLength < 0 ? noContent : ok;
            byte[] end = close ? CLOSE_END : END;
            int digits = jsonLength < 0 ? 0 : 1;
            for (int n = jsonLength; n >= 10; n /= 10) digits++;
            byte[] head = new byte[start.length + digits + end.length];
            System.arraycopy(start, 0, head, 0, start.length);
            for (int i = digits - 1, n = jsonLength; i >= 0; i--, n /= 10) head[start.length + i] = (byte) ('0' + n % 10);
            System.arraycopy(end, 0, head, start.length + digits, end.length);
            return ByteBuffer.wrap(head);
        }
    }

    /** service.sock's connections: put first on its connector, with Jetty's HTTP/1.1 beside it for the hand-over. */
    static final class Factory extends AbstractConnectionFactory {
        static final String PROTOCOL = "heromgr-rpc";
        private final HttpConnectionFactory http;
        private final JsonRpcProcessor rpc;
        private final RequestDeadline deadline;
        private final Executor handlers;
        private final AfterFirstAnswer firstAnswer;
        private final ByteBufferPool pool;
        private volatile AnswerHeads heads = new AnswerHeads(null, new byte[0], new byte[0]);

        private Factory(PeerCheckingConnector connector, JsonRpcProcessor rpc, RequestDeadline deadline, Executor handlers,
                        AfterFirstAnswer firstAnswer) {
            super(PROTOCOL);
            this.http = connector.getConnectionFactory(HttpConnectionFactory.class);
            this.rpc = rpc;
            this.deadline = deadline;
            this.handlers = handlers;
            this.firstAnswer = firstAnswer;
            this.pool = connector.getByteBufferPool();
        }

        /** Puts these connections in front of the connector's HTTP/1.1 (before the connector starts). */
        static void serveOn(PeerCheckingConnector connector, JsonRpcProcessor rpc, RequestDeadline deadline, Executor handlers,
                            AfterFirstAnswer firstAnswer) {
            connector.addConnectionFactory(new Factory(connector, rpc, deadline, handlers, firstAnswer));
            connector.setDefaultProtocol(PROTOCOL);
        }

        /** The heads of this second's answers: Jetty's server gives one Date field a second. */
        AnswerHeads heads(HttpField date) {
            AnswerHeads now = heads;
            if (now.date() != date) heads = now = AnswerHeads.dated(date);
            return now;
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            return configure(new RpcConnection(this, (PeerCheckingConnector) connector, endPoint), connector, endPoint);
        }
    }
}

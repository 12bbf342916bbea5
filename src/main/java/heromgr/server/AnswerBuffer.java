package heromgr.server;

import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The bytes of a quick read's answer (see QuickReadPath), one buffer per selector thread reused for every answer it
 * writes: a fresh array per answer (and Jackson's copy into it) was a tenth of a status call's garbage. A buffer is
 * lent from the answer's write until Jetty has sent it; an answer written while its thread's buffer is still lent (a
 * slow reader whose socket is full) gets one of its own.
 */
final class AnswerBuffer extends ByteArrayOutputStream {
    /** A status answer is well under this; a larger one's array is not kept for the next answer. */
    static final int KEPT = 16 * 1024;
    private static final int INITIAL = 1024;
    private static final ThreadLocal<AnswerBuffer> PER_THREAD = ThreadLocal.withInitial(() -> new AnswerBuffer());

    /** Set by the owning thread when it lends the buffer, cleared by whichever thread completes the write. */
    private volatile boolean lent;

    private AnswerBuffer() {
        super(INITIAL);
    }

    /** This thread's buffer, emptied, when it is not lent; else a buffer for one answer. */
    static AnswerBuffer lend() {
        AnswerBuffer own = PER_THREAD.get();
        if (own.lent) return new AnswerBuffer();
        own.lent = true;
        if (own.buf.length > KEPT) own.buf = new byte[INITIAL];
        own.reset();
        return own;
    }

    /** The answer's bytes, for the write that the callback of {@link #returnedAfter} completes. */
    ByteBuffer bytes() {
        return ByteBuffer.wrap(buf, 0, count);
    }

    /** The write's callback, handing the buffer back once the write completed (or failed). */
    Callback returnedAfter(Callback written) {
        // given back before the request completes: its completion may parse the connection's next request at once
        return new Callback.Nested(written) {
            @Override
            public void succeeded() {
                giveBack();
                super.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                giveBack();
                super.failed(failure);
            }
        };
    }

    /** Done with the buffer without writing it. */
    void giveBack() {
        lent = false;
    }
}

package heromgr.service;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Passes a response body on to another subscriber (the file it is written to) and counts its bytes on the way,
 * reporting them at the start, at most every {@link #EVERY} while bytes come, and once at the end. The reactive
 * streams contract delivers onNext calls one at a time, so the counters need no lock.
 */
final class CountingBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
    static final Duration EVERY = Duration.ofMillis(100);

    /** The bytes of one download so far; total -1 when unknown. */
    @FunctionalInterface
    interface Counter {
        void bytes(long done, long total);
    }

    private final HttpResponse.BodySubscriber<T> delegate;
    private final long total;
    private final Counter counter;
    private long done;
    private long lastReport;

    CountingBodySubscriber(HttpResponse.BodySubscriber<T> delegate, long total, Counter counter) {
        this.delegate = delegate;
        this.total = total;
        this.counter = counter;
    }

    /** A body handler that counts what it receives when the answer is a success (an error body is no download). */
    static <T> HttpResponse.BodyHandler<T> counting(HttpResponse.BodyHandler<T> handler, Counter counter) {
        return info -> {
            HttpResponse.BodySubscriber<T> inner = handler.apply(info);
            if (info.statusCode() / 100 != 2) return inner;
            return new CountingBodySubscriber<>(inner, info.headers().firstValueAsLong("Content-Length").orElse(-1), counter);
        };
    }

    @Override
    public CompletionStage<T> getBody() {
        return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        report();
        delegate.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        // counted before handing on: the file subscriber consumes the buffers
        for (ByteBuffer b : buffers) done += b.remaining();
        delegate.onNext(buffers);
        if (System.nanoTime() - lastReport >= EVERY.toNanos()) report();
    }

    @Override
    public void onError(Throwable throwable) {
        delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
        // before the body completes, so the last report precedes whatever the install does next
        report();
        delegate.onComplete();
    }

    private void report() {
        lastReport = System.nanoTime();
        counter.bytes(done, total);
    }
}

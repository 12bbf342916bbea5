package heromgr.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Fans events out to subscribers (the /events streams). Publishing never blocks: each subscriber has a bounded
 * queue, and a subscriber too slow to keep up loses its oldest events and is told how many it lost.
 */
public final class EventBus {
    static final int QUEUE = 1024;

    /** Handed to every subscriber when the bus closes, so streams end promptly instead of at their next heartbeat. */
    static final Event CLOSED = new Event(0, "closed", null, Instant.EPOCH, null);

    private final AtomicLong seq = new AtomicLong();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** A subscriber's view: events matching its filter, in order. Empty type/service sets mean "all". */
    public final class Subscription implements AutoCloseable {
        private final Set<String> types;
        private final Set<String> services;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        private final AtomicLong lost = new AtomicLong();

        private Subscription(Set<String> types, Set<String> services) {
            this.types = Set.copyOf(types);
            this.services = Set.copyOf(services);
        }

        boolean wants(Event e) {
            return (types.isEmpty() || types.contains(e.type())) && (services.isEmpty() || services.contains(e.service()));
        }

        void offer(Event e) {
            while (!queue.offer(e)) {
                if (queue.poll() != null) lost.incrementAndGet();
            }
        }

        /**
         * The next event, or null when none came within the wait (the caller sends a heartbeat then), or
         * {@link #CLOSED} once the bus has closed.
         */
        public Event next(Duration wait) throws InterruptedException {
            if (closed) return CLOSED;
            return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** How many events were dropped since the last call, because this subscriber fell behind. */
        public long takeLost() {
            return lost.getAndSet(0);
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    public Subscription subscribe(Set<String> types, Set<String> services) {
        var s = new Subscription(types, services);
        subscribers.add(s);
        return s;
    }

    public boolean isClosed(Event e) {
        return e == CLOSED;
    }

    /** Ends every stream (daemon shutdown). */
    public void close() {
        closed = true;
        for (Subscription s : subscribers) s.offer(CLOSED);
    }

    /** Tells listener every event as it is published, on the publishing thread: it must be quick and never block. */
    public void listen(Consumer<Event> listener) {
        listeners.add(listener);
    }

    public void publish(String type, String service, Object data) {
        if (subscribers.isEmpty() && listeners.isEmpty()) return;
        Event e = new Event(seq.incrementAndGet(), type, service, Instant.now(), data);
        for (Subscription s : subscribers) {
            if (s.wants(e)) s.offer(e);
        }
        for (Consumer<Event> l : listeners) l.accept(e);
    }
}

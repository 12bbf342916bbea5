package heromgr.server;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Gives the heap back once a burst is over. The daemon's serial collector starts with a small heap (bin/heromgr's
 * -Xms) and grows it when a burst (a batch of 1,000 creates) fills it, but it shrinks it again only at a full
 * collection, which an idle daemon may not have for hours: the grown heap stayed resident (~40 of the 64 MiB after
 * 1,000 starts, for ~15 MiB of live objects). So when the committed heap has grown by at least {@link #GROWTH} since
 * the last tidy and then held still for a tick (half a second: the burst is over), this runs one full collection;
 * the collector then shrinks the heap to the live objects plus its free ratio (-XX:MaxHeapFreeRatio). At most one
 * collection per growth: a daemon that keeps a large heap busy is not collected again until it grows further.
 */
final class HeapTidy {
    /** How often the committed heap is looked at. */
    static final Duration TICK = Duration.ofMillis(500);
    /** Growth below this is not worth a full collection. */
    static final long GROWTH = 4L << 20;

    private final LongSupplier committed;
    private final Runnable collect;
    private long settled;
    private long previous;

    /**
     * @param committed the committed heap in bytes (Runtime.totalMemory)
     * @param collect a full collection (System.gc)
     */
    HeapTidy(LongSupplier committed, Runnable collect) {
        this.committed = committed;
        this.collect = collect;
        this.settled = this.previous = committed.getAsLong();
    }

    /** The real daemon's: looks at the heap every {@link #TICK} on a virtual thread, for the JVM's life. */
    static void startForThisJvm() {
        var runtime = Runtime.getRuntime();
        var tidy = new HeapTidy(runtime::totalMemory, System::gc);
        Thread.ofVirtual().name("heromgr-heap-tidy").start(() -> {
            try {
                while (true) {
                    Thread.sleep(TICK);
                    tidy.tick();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** One look: collects when the heap grew by GROWTH since the last tidy and did not change since the last look. */
    boolean tick() {
        long now = committed.getAsLong();
        boolean burstOver = now == previous && now - settled >= GROWTH;
        previous = now;
        if (!burstOver) {
            // a heap that shrank (a full collection of its own) is the new baseline
            settled = Math.min(settled, now);
            return false;
        }
        collect.run();
        settled = previous = committed.getAsLong();
        return true;
    }
}

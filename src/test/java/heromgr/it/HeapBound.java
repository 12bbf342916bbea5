package heromgr.it;

import heromgr.testkit.DaemonProcess;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 4's last sentence, "the daemon's memory stays bounded under every test of this issue", as the one check
 * those tests make (the fuzz, fault injection, the connection limits, crash loops): the daemon's live heap (in use
 * right after a full collection, {@link DaemonMemory#liveHeapBytes}) once it is warm, held against the live heap
 * after the test's load. The resident set of a JVM keeps whatever heap it grew to, so it says little about a leak;
 * the live heap is what a leak makes grow.
 *
 * @param warmBytes the live heap of the warm daemon
 */
record HeapBound(long warmBytes) {
    /** Generous: the fuzz's 10,000 requests left the live heap within 1 MiB of its warm ~18 MiB (reliability.md). */
    static final long GROWTH = 48L * 1024 * 1024;

    /** Measured now, on a daemon past its warm-up. */
    static HeapBound warm(DaemonProcess daemon) {
        try {
            return new HeapBound(DaemonMemory.liveHeapBytes(daemon));
        } catch (IOException e) {
            throw new AssertionError("cannot measure the live heap of the warm daemon", e);
        }
    }

    /**
     * Fails when the live heap of daemon (the same one, or the next daemon on its home after a crash) has grown by
     * {@link #GROWTH} or more since it was warm; returns the live heap now.
     */
    long holdsIn(DaemonProcess daemon, String load) {
        long now;
        try {
            now = DaemonMemory.liveHeapBytes(daemon);
        } catch (IOException e) {
            throw new AssertionError("cannot measure the live heap after " + load, e);
        }
        System.out.printf("live heap: %s warm, %s after %s%n", DaemonMemory.mib(warmBytes), DaemonMemory.mib(now), load);
        assertThat(now - warmBytes).as("live heap growth after %s (warm %s, now %s)", load, DaemonMemory.mib(warmBytes),
                DaemonMemory.mib(now)).isLessThan(GROWTH);
        return now;
    }
}

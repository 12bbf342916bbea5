package heromgr.server;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A part of the daemon's start-up made on a thread of its own while the main thread sets up another, then joined:
 * on two cores a cold JVM's independent set-ups (the supervisor's, Jetty's) overlap instead of adding up.
 * The join hands back the part, or throws what making it threw, so a start-up failure reads as it did in line.
 */
final class StartedAhead<T> {
    private final FutureTask<T> making;

    private StartedAhead(FutureTask<T> making) {
        this.making = making;
    }

    static <T> StartedAhead<T> start(String threadName, Supplier<T> make) {
        var making = new FutureTask<>(make::get);
        Thread.ofPlatform().daemon().name(threadName).start(making);
        return new StartedAhead<>(making);
    }

    /** The part, once made; its maker's RuntimeException or Error as thrown. */
    T join() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return making.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the part is made either way; the interrupt is kept for the caller
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            if (e.getCause() instanceof Error cause) throw cause;
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}

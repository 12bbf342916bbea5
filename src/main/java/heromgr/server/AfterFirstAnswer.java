package heromgr.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds a start-up chore back until the daemon's first answer has gone out, or until a bound has passed (a daemon that
 * no one calls still does it). The chore is set-up that no call waits for (the native calls linked ahead of the first
 * spawn: ~110 ms of a cold JVM's CPU, and the compilations it sets off); started as the socket was served, it ran beside
 * the first request, and on two cores took a core from it. The chore runs on the thread that completes that answer, so
 * it must only hand the work to a thread of its own. Every later request passes straight through.
 */
final class AfterFirstAnswer extends Handler.Wrapper {
    private final AtomicReference<Runnable> chore;

    AfterFirstAnswer(Handler next, Runnable chore) {
        super(next);
        this.chore = new AtomicReference<>(chore);
    }

    /** Runs the chore once the bound has passed, if no answer has run it before. */
    void bound(Scheduler scheduler, Duration limit) {
        scheduler.schedule(this::release, limit);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(request, response, releasing(callback));
    }

    /** The answer's callback, running the chore once it completes while the chore has not run (RpcConnection's too). */
    Callback releasing(Callback answered) {
        return chore.get() == null ? answered : Callback.from(answered, this::release);
    }

    /** Runs the chore, unless it has run already. */
    private void release() {
        Runnable once = chore.getAndSet(null);
        if (once != null) once.run();
    }
}

package heromgr.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.CyclicTimeout;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The deadline for a request to arrive: its head and body must be read within {@link ConnectionLimits#requestDeadline()}
 * of the connection's acceptance, or of the previous answer on a kept-alive connection; otherwise the connection is
 * closed. Jetty's idle timeout restarts with every byte, so alone it lets a client feeding a byte a second hold a
 * connection forever.
 */
final class RequestDeadline implements Connection.Listener {
    private final Duration deadline;
    private final Scheduler scheduler;
    /** One per open connection; re-armed for each request without a scheduler task (see Expiry). */
    private final Map<Connection, Expiry> armed = new ConcurrentHashMap<>();

    RequestDeadline(Duration deadline, Scheduler scheduler) {
        this.deadline = deadline;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        var expiry = new Expiry(connection);
        armed.put(connection, expiry);
        expiry.schedule(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {
        Expiry expiry = armed.remove(connection);
        if (expiry != null) expiry.destroy();
    }

    /** The request on this connection has been read whole: the handler's time is the idle timeout's to bound. */
    void met(Connection connection) {
        Expiry expiry = armed.get(connection);
        if (expiry != null) expiry.cancel();
    }

    /**
     * A request whose head is in: the deadline is met unless an RPC's body is still to come, and is armed again for
     * the next request once this one is answered (the returned callback).
     */
    Callback admit(Request request, Callback answered) {
        Connection connection = request.getConnectionMetaData().getConnection();
        if (!"/rpc".equals(Request.getPathInContext(request)) || !"POST".equals(request.getMethod())) met(connection);
        return rearmWhenAnswered(connection, answered);
    }

    /** The callback, arming the deadline for the next request once the answer has been written. */
    Callback rearmWhenAnswered(Connection connection, Callback callback) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                arm(connection);
                super.succeeded();
            }
        };
    }

    private void arm(Connection connection) {
        Expiry expiry = armed.get(connection);
        if (expiry != null) expiry.schedule(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes its connection once the deadline armed last passes unmet. A CyclicTimeout: arming again moves the deadline
     * without a scheduler task while the task already set comes earlier (it sets itself again when it finds the deadline
     * moved), so a kept-alive connection's calls cost no task each (a task per call was ~10% of a status call's CPU).
     */
    private final class Expiry extends CyclicTimeout {
        private final Connection connection;

        Expiry(Connection connection) {
            super(scheduler);
            this.connection = connection;
        }

        @Override
        public void onTimeoutExpired() {
            connection.getEndPoint().close();
        }
    }
}

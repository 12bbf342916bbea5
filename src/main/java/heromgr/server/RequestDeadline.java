package heromgr.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.CyclicTimeout;
import org.eclipse.jetty.io.EndPoint;
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
 * connection forever. The deadline belongs to the socket (the end point), not to the connection serving it: when
 * {@link RpcConnection} hands a socket to Jetty's HTTP/1.1 connection, the new connection keeps the deadline already
 * running (a fresh one would let a client that waits out most of it and then sends a partial head have it twice).
 */
final class RequestDeadline implements Connection.Listener {
    private final Duration deadline;
    private final Scheduler scheduler;
    /** One per open socket; re-armed for each request without a scheduler task (see Expiry). */
    private final Map<EndPoint, Expiry> armed = new ConcurrentHashMap<>();

    RequestDeadline(Duration deadline, Scheduler scheduler) {
        this.deadline = deadline;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        // a socket handed over from one connection to the next already has its deadline running
        armed.computeIfAbsent(connection.getEndPoint(), endPoint -> {
            var expiry = new Expiry(endPoint);
            expiry.schedule(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return expiry;
        });
    }

    @Override
    public void onClosed(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        // still open: the connection is being replaced on its socket (Jetty closes the socket before its connection)
        if (endPoint.isOpen()) return;
        Expiry expiry = armed.remove(endPoint);
        if (expiry != null) expiry.destroy();
    }

    /** The request on this connection has been read whole: the handler's time is the idle timeout's to bound. */
    void met(Connection connection) {
        Expiry expiry = armed.get(connection.getEndPoint());
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
        Expiry expiry = armed.get(connection.getEndPoint());
        if (expiry != null) expiry.schedule(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes its socket once the deadline armed last passes unmet. A CyclicTimeout: arming again moves the deadline
     * without a scheduler task while the task already set comes earlier (it sets itself again when it finds the deadline
     * moved), so a kept-alive connection's calls cost no task each (a task per call was ~10% of a status call's CPU).
     */
    private final class Expiry extends CyclicTimeout {
        private final EndPoint endPoint;

        Expiry(EndPoint endPoint) {
            super(scheduler);
            this.endPoint = endPoint;
        }

        @Override
        public void onTimeoutExpired() {
            endPoint.close();
            // onClosed, which the close leads to, does the same: whichever comes first; here too for a socket whose
            // connection was replaced without a successor's ever opening (no onClosed would find it then)
            if (armed.remove(endPoint, this)) destroy();
        }
    }
}

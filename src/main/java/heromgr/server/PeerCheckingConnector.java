package heromgr.server;

import heromgr.rpc.Access;
import heromgr.rpc.Caller;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.LoggerFactory;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A Unix-domain connector that refuses, at accept time and before a byte is read, peers the policy does not allow
 * and connections over the limit. The channel is closed before throwing: otherwise the refused client would hang
 * instead of seeing EOF. A refusal is one rate-limited log line, never Jetty's "Accept Failure" stack trace.
 * The caller a peer was let in as is kept for the connection's first request: reading SO_PEERCRED again would resolve
 * the user's and the group's names through NSS a second time (/etc/passwd and /etc/group read on every connection).
 */
final class PeerCheckingConnector extends UnixDomainServerConnector {
    /** Least access, for a peer whose credentials cannot be read: only a peer the policy knows operates. */
    static final Caller UNKNOWN = new Caller("unknown", Access.READ);
    private final PeerPolicy policy;
    private final int maxConnections;
    private final RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(PeerCheckingConnector.class));
    /** Weak: a channel accepted but never made into a connection leaves no entry behind. */
    private final Map<SocketChannel, Caller> admitted = Collections.synchronizedMap(new WeakHashMap<>());

    PeerCheckingConnector(Server server, PeerPolicy policy, int maxConnections, ConnectionFactory... factories) {
        super(server, factories);
        this.policy = policy;
        this.maxConnections = maxConnections;
    }

    @Override
    protected void configure(SocketChannel channel) throws IOException {
        UnixDomainPrincipal peer;
        try {
            peer = PeerPolicy.peer(channel);
        } catch (IOException | RuntimeException e) {
            throw refuse(channel, "of a peer whose credentials could not be read: " + e.getMessage());
        }
        String user = peer.user().getName();
        Access access = policy.accessOf(peer).orElse(null);
        if (access == null) {
            throw refuse(channel, "from user '" + user + "' (group " + peer.group().getName() + "): not allowed (allowed: "
                    + policy.describe() + ")");
        }
        int open = getConnectedEndPoints().size();
        if (open >= maxConnections) {
            throw refuse(channel, "from user '" + user + "': " + open + " connections open, the limit is " + maxConnections);
        }
        super.configure(channel);
        admitted.put(channel, new Caller(user, access));
    }

    /**
     * Who the peer on channel is taken for: the caller it was let in as, once (the connection keeps it from there), or,
     * when that was taken already, by its credentials read again.
     */
    Caller callerOf(SocketChannel channel) {
        Caller let = admitted.remove(channel);
        if (let != null) return let;
        try {
            UnixDomainPrincipal peer = PeerPolicy.peer(channel);
            // the connector let the peer in: it has an access (read, should its groups have changed since)
            return new Caller(peer.user().getName(), policy.accessOf(peer).orElse(Access.READ));
        } catch (IOException | UnsupportedOperationException e) {
            return UNKNOWN;
        }
    }

    /** The caller a connection took, given back as its channel passes to another connection (RpcConnection's to Jetty's). */
    void admitAgain(SocketChannel channel, Caller caller) {
        admitted.put(channel, caller);
    }

    @Override
    protected void onEndPointClosed(EndPoint endPoint) {
        if (endPoint.getTransport() instanceof SocketChannel channel) admitted.remove(channel);
        super.onEndPointClosed(endPoint);
    }

    private Refused refuse(SocketChannel channel, String why) throws IOException {
        channel.close();
        refusals.refused(why);
        return new Refused(why);
    }

    @Override
    protected boolean handleAcceptFailure(Throwable failure) {
        // already logged by RefusalLog; anything else is Jetty's to report
        return failure instanceof Refused || super.handleAcceptFailure(failure);
    }

    /** A connection closed at accept on purpose. */
    private static final class Refused extends IOException {
        Refused(String why) {
            super(why);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;  // a refusal is expected, and nobody reads its trace
        }
    }
}

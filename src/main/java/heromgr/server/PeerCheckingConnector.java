package heromgr.server;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.LoggerFactory;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * A Unix-domain connector that refuses, at accept time and before a byte is read, peers the policy does not allow
 * and connections over the limit. The channel is closed before throwing: otherwise the refused client would hang
 * instead of seeing EOF. A refusal is one rate-limited log line, never Jetty's "Accept Failure" stack trace.
 */
final class PeerCheckingConnector extends UnixDomainServerConnector {
    private final PeerPolicy policy;
    private final int maxConnections;
    private final RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(PeerCheckingConnector.class));

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
        if (policy.accessOf(peer).isEmpty()) {
            throw refuse(channel, "from user '" + user + "' (group " + peer.group().getName() + "): not allowed (allowed: "
                    + policy.describe() + ")");
        }
        int open = getConnectedEndPoints().size();
        if (open >= maxConnections) {
            throw refuse(channel, "from user '" + user + "': " + open + " connections open, the limit is " + maxConnections);
        }
        super.configure(channel);
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

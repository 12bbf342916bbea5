package heromgr.server;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * A Unix-domain connector that refuses peers the policy does not allow, at accept time, before a byte is read.
 * The channel is closed before throwing: otherwise the refused client would hang instead of seeing EOF.
 */
final class PeerCheckingConnector extends UnixDomainServerConnector {
    private static final Logger log = LoggerFactory.getLogger(PeerCheckingConnector.class);
    private final PeerPolicy policy;

    PeerCheckingConnector(Server server, PeerPolicy policy, ConnectionFactory... factories) {
        super(server, factories);
        this.policy = policy;
    }

    @Override
    protected void configure(SocketChannel channel) throws IOException {
        String user;
        try {
            user = PeerPolicy.peerUser(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("refused a peer whose credentials could not be read: " + e.getMessage(), e);
        }
        if (!policy.allows(user)) {
            channel.close();
            log.warn("refused connection from user '{}' (allowed: {})", user, policy.allowedUsers());
            throw new IOException("peer user '" + user + "' is not allowed");
        }
        super.configure(channel);
    }
}

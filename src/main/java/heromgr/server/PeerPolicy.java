package heromgr.server;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Set;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import java.util.List;
import java.util.TreeSet;

/**
 * Who may talk to the daemon: the kernel's word on the peer (SO_PEERCRED), not anything the client says.
 * Allowed: the daemon's own user and root.
 */
public record PeerPolicy(Set<String> allowedUsers) {
    public PeerPolicy {
        allowedUsers = Set.copyOf(allowedUsers);
    }


    public static PeerPolicy sameUserOrRoot() {
        return new PeerPolicy(new TreeSet<>(List.of(System.getProperty("user.name"), "root")));
    }

    /** The connecting user's name. */
    public static String peerUser(SocketChannel channel) throws IOException {
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return peer.user().getName();
    }

    public boolean allows(String user) {
        return allowedUsers.contains(user);
    }
}

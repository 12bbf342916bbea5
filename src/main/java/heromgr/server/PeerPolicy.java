package heromgr.server;

import heromgr.proc.os.Groups;
import heromgr.rpc.Access;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may talk to the daemon, and what they may do: the kernel's word on the peer (SO_PEERCRED), not anything the
 * client says. The daemon's own user and root operate; so do members of the operator group; members of the viewer
 * group may only read. A member is a peer whose group at connect time is the group, or whose user the group database
 * lists in it (SO_PEERCRED carries no supplementary groups: a group a process took up that the database does not
 * give its user is not seen). Anyone else is refused at connect.
 */
public record PeerPolicy(Set<String> operatorUsers, Group operators, Group viewers) {
    /** A configured group, resolved at start-up. */
    public record Group(String name, int gid) {
        static Group resolve(String name, String option) {
            if (name == null) return null;
            int gid = Groups.id(name).orElseThrow(() -> new IllegalArgumentException(option + ": no such group '" + name + "'"));
            return new Group(name, gid);
        }

        boolean hasMember(UnixDomainPrincipal peer) {
            String peerGroup = peer.group().getName();
            return peerGroup.equals(name) || peerGroup.equals(String.valueOf(gid)) || Groups.hasMember(gid, peer.user().getName());
        }
    }

    public PeerPolicy {
        operatorUsers = Set.copyOf(operatorUsers);
    }

    /** @throws IllegalArgumentException naming the option when a group does not exist */
    public static PeerPolicy of(AccessGroups groups) {
        return new PeerPolicy(new TreeSet<>(List.of(System.getProperty("user.name"), "root")),
                Group.resolve(groups.operatorGroup(), "--operator-group"), Group.resolve(groups.viewerGroup(), "--viewer-group"));
    }

    /** The connecting peer's credentials. */
    public static UnixDomainPrincipal peer(SocketChannel channel) throws IOException {
        return channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    }

    /** What the peer may do; empty when it may not connect. */
    public Optional<Access> accessOf(UnixDomainPrincipal peer) {
        if (operatorUsers.contains(peer.user().getName())) return Optional.of(Access.OPERATE);
        if (operators != null && operators.hasMember(peer)) return Optional.of(Access.OPERATE);
        if (viewers != null && viewers.hasMember(peer)) return Optional.of(Access.READ);
        return Optional.empty();
    }

    /** The groups' ids, for the socket file's ACL: none when no group was configured. */
    List<Integer> groupIds() {
        var ids = new TreeSet<Integer>();
        if (operators != null) ids.add(operators.gid());
        if (viewers != null) ids.add(viewers.gid());
        return List.copyOf(ids);
    }

    /** Who gets in, for a refusal's log line. */
    String describe() {
        var parts = new ArrayList<String>();
        parts.add("users " + operatorUsers);
        if (operators != null) parts.add("operator group " + operators.name());
        if (viewers != null) parts.add("viewer group " + viewers.name());
        return String.join(", ", parts);
    }
}

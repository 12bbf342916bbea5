package heromgr.proc;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an action must own before it starts (hero_proc's "kill_other"): Unix socket files it binds and TCP
 * ports it listens on. A stale socket file is removed; a live holder is killed only when it is verifiably an
 * earlier instance of the same action (see the reclaim room's Reclaimer).
 */
public record Reclaim(List<Path> unixSockets, List<Integer> tcpPorts) {
    private static final Reclaim NONE = new Reclaim(List.of(), List.of());

    public Reclaim {
        unixSockets = List.copyOf(unixSockets);
        tcpPorts = List.copyOf(tcpPorts);
        for (Path p : unixSockets) Objects.requireNonNull(p, "unix socket path");
        for (int port : tcpPorts) {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("reclaim: TCP port out of range 1..65535: " + port);
        }
    }

    public static Reclaim none() {
        return NONE;
    }

    public static Reclaim sockets(Path... sockets) {
        return new Reclaim(List.of(sockets), List.of());
    }

    public static Reclaim ports(Integer... ports) {
        return new Reclaim(List.of(), List.of(ports));
    }

    public boolean isEmpty() {
        return unixSockets.isEmpty() && tcpPorts.isEmpty();
    }
}

package heromgr.manager;

import heromgr.proc.ActionSpec;
import heromgr.proc.reclaim.SocketHolders;
import heromgr.service.Ctx;
import heromgr.service.HeroService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Troubleshoot hints for a service that is not running: each Unix socket and TCP port it declares, and who holds
 * it. A holder is named (pid and command line) because that is what a person has to stop: a start refuses to kill
 * anything that is not verifiably a stale instance of the service.
 */
final class SocketHints {
    private SocketHints() {
    }

    static List<String> of(HeroService s, Ctx ctx) {
        List<String> hints = new ArrayList<>();
        for (Path socket : declaredSockets(s, ctx)) unixSocket(s, socket).ifPresent(hints::add);
        for (int port : declaredPorts(s, ctx)) tcpPort(s, port).ifPresent(hints::add);
        return hints;
    }

    /** The service's sockets and every socket an action reclaims before it starts, each once. */
    private static Set<Path> declaredSockets(HeroService s, Ctx ctx) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : s.sockets(ctx)) out.add(p.toAbsolutePath().normalize());
        for (ActionSpec a : s.actions(ctx)) {
            for (Path p : a.reclaim().unixSockets()) out.add(a.workDir().resolve(p).toAbsolutePath().normalize());
        }
        return out;
    }

    private static Set<Integer> declaredPorts(HeroService s, Ctx ctx) {
        Set<Integer> out = new LinkedHashSet<>();
        for (ActionSpec a : s.actions(ctx)) out.addAll(a.reclaim().tcpPorts());
        return out;
    }

    private static Optional<String> unixSocket(HeroService s, Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            if (!SocketHolders.isSocketFile(socket)) {
                return Optional.of(socket + " exists and is not a socket: move it away, a start will not remove it");
            }
            SocketHolders.Holding h = SocketHolders.ofUnixSocket(socket);
            if (!h.bound()) return Optional.of("socket " + socket + " is a stale file (nothing listens on it): the next start removes it");
            return Optional.of(held("socket " + socket, s, h));
        } catch (IOException | RuntimeException e) {
            return Optional.of("socket " + socket + " exists while " + s.name() + " is not running; its holder could not be read: "
                    + e.getMessage());
        }
    }

    private static Optional<String> tcpPort(HeroService s, int port) {
        try {
            SocketHolders.Holding h = SocketHolders.ofTcpPort(port);
            return h.bound() ? Optional.of(held("TCP port " + port, s, h)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("TCP port " + port + ": its holder could not be read: " + e.getMessage());
        }
    }

    private static String held(String what, HeroService s, SocketHolders.Holding h) {
        if (h.holders().isEmpty()) {
            return what + " is held by a process heromgr cannot see (another user's, or in another namespace): a start will fail";
        }
        String who = h.holders().stream().map(SocketHolders.Holder::toString).collect(Collectors.joining(", "));
        return what + " held by " + who + ": a start stops it only if it is a stale " + s.name()
                + " process and fails otherwise; stop it or free the " + (what.startsWith("TCP") ? "port" : "path");
    }
}

package heromgr.services;

import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.Role;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * hero_router, replacing service_router.nu. The seed: one binary, {@code hero_router}, serving its router API on
 * rpc.sock and its own admin dashboard on ui.sock (untouched by the _ui → _admin rename: it is the router's, not a
 * managed service's), started as {@code hero_router --port N}, reached at http://127.0.0.1:9998/. Its quirk (the
 * seed's BindStrategy::Mycelium, never written): it listens on this machine's Mycelium address when there is one,
 * resolved at each start (an address in 400::/7 on a local interface), else on loopback at the fallback port
 * {@value #FALLBACK_PORT} (or HERO_ROUTER_PORT in the daemon's environment). On loopback the port is reclaimed and
 * probed; a Mycelium address is not loopback, so there only the sockets are.
 */
public final class HeroRouter implements HeroService {
    static final int FALLBACK_PORT = 9998;

    @Override
    public String name() {
        return "hero_router";
    }

    @Override
    public String description() {
        return "Hero router";
    }

    @Override
    public List<Role> roles() {
        return List.of(Role.SERVER);
    }

    @Override
    public String binary(Role role) {
        return name();
    }

    Path uiSocket(Ctx ctx) {
        return socketDir(ctx).resolve("ui.sock");
    }

    /** The router's own dashboard, ui.sock, beside rpc.sock: reclaimed and probed with it. */
    @Override
    public List<Path> roleSockets(Ctx ctx, Role role) {
        return List.of(rpcSocket(ctx), uiSocket(ctx));
    }

    int port(Ctx ctx) {
        return ServicePorts.fromEnv(ctx, "HERO_ROUTER_PORT", FALLBACK_PORT);
    }

    @Override
    public List<String> args(Ctx ctx, Role role) {
        String bind = myceliumAddress().map(HeroRouter::literal).orElse("127.0.0.1");
        return List.of("--bind", bind, "--port", Integer.toString(port(ctx)));
    }

    @Override
    public List<Integer> tcpPorts(Ctx ctx, Role role) {
        return myceliumAddress().isPresent() ? List.of() : List.of(port(ctx));
    }

    /** Mycelium gives each node one address in 400::/7 on its TUN interface. */
    static Optional<InetAddress> myceliumAddress() {
        try {
            return NetworkInterface.networkInterfaces().filter(HeroRouter::isUp)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0x04)
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    /**
     * The address as a bind argument: without the scope Java appends to an interface's address (400::1%tun0), which
     * only link-local addresses need and no address parser of a --bind flag takes.
     */
    static String literal(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }
}

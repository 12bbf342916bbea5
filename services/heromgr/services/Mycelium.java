package heromgr.services;

import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.MultiInstanceService;
import heromgr.service.Role;
import heromgr.service.ServiceInstance;

import java.util.List;

/**
 * mycelium, replacing service_mycelium.nu. The seed: one of the 33 modules it ported (never run). Its published
 * releases still carry the old {@code mycelium_ui} asset names (the seed's list of releases to catch up). Known
 * structural gaps: a multi-instance service (action/socket templating per instance). Here: {@code mycelium@b} runs
 * beside mycelium with its own sockets, logs and state and its own peer port: the server listens for peers on
 * {@code --tcp-listen-port} (mycelium's own flag), {@value #DEFAULT_PEER_PORT} (mycelium's default) for the unnamed
 * instance, one more per instance number (MYCELIUM_PEER_PORT in the daemon's environment moves the base); the port
 * is reclaimed and part of health. Shape: the common one, CLI + server + admin.
 */
public final class Mycelium extends MultiInstanceService {
    static final int DEFAULT_PEER_PORT = 9651;

    public Mycelium() {
        this(ServiceInstance.unnamed("mycelium"));
    }

    private Mycelium(ServiceInstance self) {
        super(self);
    }

    @Override
    protected HeroService as(ServiceInstance instance) {
        return new Mycelium(instance);
    }

    @Override
    public String description() {
        return "Mycelium overlay network";
    }

    int peerPort(Ctx ctx) {
        return self().port(ServicePorts.fromEnv(ctx, "MYCELIUM_PEER_PORT", DEFAULT_PEER_PORT));
    }

    @Override
    public List<String> args(Ctx ctx, Role role) {
        return role == Role.SERVER ? List.of("--tcp-listen-port", Integer.toString(peerPort(ctx))) : List.of();
    }

    @Override
    public List<Integer> tcpPorts(Ctx ctx, Role role) {
        return role == Role.SERVER ? List.of(peerPort(ctx)) : List.of();
    }
}

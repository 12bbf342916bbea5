package heromgr.services;

import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.MultiInstanceService;
import heromgr.service.Role;
import heromgr.service.ServiceInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * hero_echo: the example service shipped with heromgr (examples/hero_echo). The common case throughout, with two
 * quirks: where its source lives when there is no checkout under $CODEROOT, and instances: {@code hero_echo@b}
 * runs beside hero_echo, told its instance by HERO_INSTANCE, and binds $HERO_SOCKET_DIR/hero_echo@b/rpc.sock
 * (the socket, log folder and state the defaults give an instance by its name).
 */
public final class HeroEcho extends MultiInstanceService {

    public HeroEcho() {
        this(ServiceInstance.unnamed("hero_echo"));
    }

    private HeroEcho(ServiceInstance self) {
        super(self);
    }

    @Override
    protected HeroService as(ServiceInstance instance) {
        return new HeroEcho(instance);
    }

    @Override
    public String repo() {
        return "hero/hero_echo";
    }

    /** One binary, hero_echo_server: no CLI, no admin UI. */
    @Override
    public List<Role> roles() {
        return List.of(Role.SERVER);
    }

    @Override
    public String description() {
        return "Example Hero service: JSON-RPC echo over its Unix socket";
    }

    @Override
    public Path sourceDir(Ctx ctx) {
        Path checkout = ctx.paths().codeRoot().resolve(repo());
        return Files.isDirectory(checkout) ? checkout : ctx.appHome().resolve("examples/hero_echo");
    }
}

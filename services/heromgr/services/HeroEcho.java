package heromgr.services;

import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.ServiceInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * hero_echo: the example service shipped with heromgr (examples/hero_echo). The common case throughout, with two
 * quirks: where its source lives when there is no checkout under $CODEROOT, and instances: {@code hero_echo@b}
 * runs beside hero_echo, told its instance by HERO_INSTANCE, and binds $HERO_SOCKET_DIR/hero_echo@b/rpc.sock
 * (the socket, log folder and state the defaults give an instance by its name).
 */
public final class HeroEcho implements HeroService {
    private final ServiceInstance self;

    public HeroEcho() {
        this(ServiceInstance.unnamed("hero_echo"));
    }

    private HeroEcho(ServiceInstance self) {
        this.self = self;
    }

    @Override
    public String name() {
        return self.name();
    }

    @Override
    public String baseName() {
        return self.service();
    }

    @Override
    public boolean multiInstance() {
        return true;
    }

    @Override
    public HeroService instance(ServiceInstance instance) {
        return new HeroEcho(instance);
    }

    @Override
    public String repo() {
        return "hero/hero_echo";
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

    @Override
    public Map<String, String> env(Ctx ctx) {
        if (self.instance() == null) return HeroService.super.env(ctx);
        var env = new HashMap<>(HeroService.super.env(ctx));
        env.put("HERO_INSTANCE", self.instance());
        return env;
    }
}

package heromgr.services;

import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.Role;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * hero_echo: the example service shipped with heromgr (examples/hero_echo). The common case throughout;
 * its only quirk is where its source lives when there is no checkout under $CODEROOT.
 */
public final class HeroEcho implements HeroService {

    @Override
    public String name() {
        return "hero_echo";
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

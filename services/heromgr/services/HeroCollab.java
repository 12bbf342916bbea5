package heromgr.services;

import heromgr.service.HeroService;
import heromgr.service.Role;

import java.util.List;

/**
 * hero_collab, replacing service_collab.nu. The seed: one of the 33 modules it ported (never run). Special
 * cases table: "server + web (canonical is _web, not _admin)". Known structural gaps: LiveKit credentials
 * bootstrapped, hero_livekit as a dependency. Shape: CLI, server, web. The LiveKit credentials comes on top of
 * this class; here it has the plain shape.
 */
public final class HeroCollab implements HeroService {
    @Override
    public String name() {
        return "hero_collab";
    }

    @Override
    public String description() {
        return "Hero collab";
    }

    @Override
    public List<Role> roles() {
        return List.of(Role.CLI, Role.SERVER, Role.WEB);
    }
}

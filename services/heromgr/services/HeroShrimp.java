package heromgr.services;

import heromgr.service.HeroService;
import heromgr.service.Role;

import java.util.List;

/**
 * hero_shrimp, replacing service_shrimp.nu. The seed: one of the 33 modules it ported (never run). Special
 * cases table: "server + web + admin (3 actions, not 2)". Shape: CLI, server, web, admin.
 */
public final class HeroShrimp implements HeroService {
    @Override
    public String name() {
        return "hero_shrimp";
    }

    @Override
    public String description() {
        return "Hero shrimp";
    }

    @Override
    public List<Role> roles() {
        return List.of(Role.CLI, Role.SERVER, Role.WEB, Role.ADMIN);
    }
}

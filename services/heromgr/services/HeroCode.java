package heromgr.services;

import heromgr.service.HeroService;
import heromgr.service.Role;

import java.util.List;

/**
 * hero_code, replacing service_code.nu. The seed: one of the 33 modules it ported (never run). Special cases
 * table: unchanged by the _ui → _admin rename, it "uses _web (no _admin in canonical)". Shape: CLI, server,
 * web.
 */
public final class HeroCode implements HeroService {
    @Override
    public String name() {
        return "hero_code";
    }

    @Override
    public String description() {
        return "Hero code";
    }

    @Override
    public List<Role> roles() {
        return List.of(Role.CLI, Role.SERVER, Role.WEB);
    }
}

package heromgr.services;

import heromgr.service.HeroService;
import heromgr.service.Role;

import java.util.List;

/**
 * hero_planner, replacing service_planner.nu. The seed: its published releases still carry the old
 * {@code hero_planner_ui} asset name. Special cases table: "server (bare name) + admin + web": its server binary is
 * {@code hero_planner} itself, so it has no separate CLI. Shape: server (bare name), admin, web.
 */
public final class HeroPlanner implements HeroService {
    @Override
    public String name() {
        return "hero_planner";
    }

    @Override
    public String description() {
        return "Hero planner";
    }

    @Override
    public List<Role> roles() {
        return List.of(Role.SERVER, Role.ADMIN, Role.WEB);
    }

    @Override
    public String binary(Role role) {
        return role == Role.SERVER ? name() : HeroService.super.binary(role);
    }
}

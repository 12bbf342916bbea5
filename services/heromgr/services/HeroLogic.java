package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_logic, replacing service_logic.nu. The seed: one of the 33 modules it ported (never run). Its published
 * releases still carry the old {@code hero_logic_ui} asset names (the seed's list of releases to catch up).
 * Shape: the common one, CLI + server + admin.
 */
public final class HeroLogic implements HeroService {
    @Override
    public String name() {
        return "hero_logic";
    }

    @Override
    public String description() {
        return "Hero logic";
    }
}

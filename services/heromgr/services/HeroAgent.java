package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_agent, replacing service_agent.nu. The seed: one of the 33 modules it ported (never run). Shape: the
 * common one, CLI + server + admin.
 */
public final class HeroAgent implements HeroService {
    @Override
    public String name() {
        return "hero_agent";
    }

    @Override
    public String description() {
        return "Hero agent";
    }
}

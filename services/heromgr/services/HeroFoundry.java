package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_foundry, replacing service_foundry.nu. The seed: one of the 33 modules it ported (never run). Its
 * published releases still carry the old {@code hero_foundry_ui} asset names (the seed's list of releases to
 * catch up). Shape: the common one, CLI + server + admin.
 */
public final class HeroFoundry implements HeroService {
    @Override
    public String name() {
        return "hero_foundry";
    }

    @Override
    public String description() {
        return "Hero foundry";
    }
}

package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_osis, replacing service_osis.nu. The seed: one of the 33 modules it ported (never run). Its published
 * releases still carry the old {@code hero_osis_ui} asset names (the seed's list of releases to catch up).
 * Shape: the common one, CLI + server + admin.
 */
public final class HeroOsis implements HeroService {
    @Override
    public String name() {
        return "hero_osis";
    }

    @Override
    public String description() {
        return "Hero OSIS";
    }
}

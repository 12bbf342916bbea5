package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_office, replacing service_office.nu. The seed: one of the 33 modules it ported (never run). Its
 * published releases still carry the old {@code hero_office_ui} asset names (the seed's list of releases to
 * catch up). Shape: the common one, CLI + server + admin.
 */
public final class HeroOffice implements HeroService {
    @Override
    public String name() {
        return "hero_office";
    }

    @Override
    public String description() {
        return "Hero office";
    }
}

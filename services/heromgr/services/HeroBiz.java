package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_biz, replacing service_biz.nu. The seed: one of the 33 modules it ported (never run). Shape: the common
 * one, CLI + server + admin.
 */
public final class HeroBiz implements HeroService {
    @Override
    public String name() {
        return "hero_biz";
    }

    @Override
    public String description() {
        return "Hero biz";
    }
}

package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_os, replacing service_os.nu. The seed: one of the 33 modules it ported (never run). Shape: the common
 * one, CLI + server + admin.
 */
public final class HeroOs implements HeroService {
    @Override
    public String name() {
        return "hero_os";
    }

    @Override
    public String description() {
        return "Hero OS";
    }
}

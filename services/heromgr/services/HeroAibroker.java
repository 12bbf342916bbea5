package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_aibroker, replacing service_aibroker.nu. The seed: one of the 33 modules it ported (never run). Its
 * published releases still carry the old {@code hero_aibroker_ui} asset names (the seed's list of releases to
 * catch up). Its cascade mode (`--split`) runs a mother beside it: that is the service hero_aibroker_mother,
 * sharing these binaries. Shape: the common one, CLI + server + admin.
 */
public final class HeroAibroker implements HeroService {
    @Override
    public String name() {
        return "hero_aibroker";
    }

    @Override
    public String description() {
        return "Hero AI broker";
    }
}

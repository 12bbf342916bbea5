package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_proxy, replacing service_proxy.nu. The seed: one of the 33 modules it ported (never run). Its published
 * releases still carry the old {@code hero_proxy_ui} asset names (the seed's list of releases to catch up).
 * Shape: the common one, CLI + server + admin.
 */
public final class HeroProxy implements HeroService {
    @Override
    public String name() {
        return "hero_proxy";
    }

    @Override
    public String description() {
        return "Hero proxy";
    }
}

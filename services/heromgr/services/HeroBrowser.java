package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_browser, replacing service_browser.nu. The seed: one of the 33 modules it ported (never run). Its
 * published releases still carry the old {@code hero_browser_ui} asset names (the seed's list of releases to
 * catch up). The seed took it as the sanity baseline of its smoke plan: "musl, plain server + ui". Shape: the
 * common one, CLI + server + admin.
 */
public final class HeroBrowser implements HeroService {
    @Override
    public String name() {
        return "hero_browser";
    }

    @Override
    public String description() {
        return "Hero browser";
    }
}

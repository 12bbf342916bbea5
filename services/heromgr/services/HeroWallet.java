package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_wallet, replacing service_wallet.nu. The seed: one of the 33 modules it ported (never run). Shape: the
 * common one, CLI + server + admin.
 */
public final class HeroWallet implements HeroService {
    @Override
    public String name() {
        return "hero_wallet";
    }

    @Override
    public String description() {
        return "Hero wallet";
    }
}

package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_matrixchat, replacing service_matrixchat.nu. The seed: one of the 33 modules it ported (never run). Its
 * published releases still carry the old {@code hero_matrixchat_ui} asset names (the seed's list of releases to
 * catch up). Shape: the common one, CLI + server + admin.
 */
public final class HeroMatrixchat implements HeroService {
    @Override
    public String name() {
        return "hero_matrixchat";
    }

    @Override
    public String description() {
        return "Hero Matrix chat";
    }
}

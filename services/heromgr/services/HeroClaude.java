package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_claude, replacing service_claude.nu. The seed: one of the 33 modules it ported (never run). Shape: the
 * common one, CLI + server + admin.
 */
public final class HeroClaude implements HeroService {
    @Override
    public String name() {
        return "hero_claude";
    }

    @Override
    public String description() {
        return "Hero Claude";
    }
}

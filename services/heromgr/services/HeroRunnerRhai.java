package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_runner_rhai, replacing service_runner_rhai.nu. The seed: one of the 33 modules it ported (never run).
 * Its published releases still carry the old {@code hero_runner_rhai_ui} asset names (the seed's list of
 * releases to catch up). Shape: the common one, CLI + server + admin.
 */
public final class HeroRunnerRhai implements HeroService {
    @Override
    public String name() {
        return "hero_runner_rhai";
    }

    @Override
    public String description() {
        return "Hero Rhai runner";
    }
}

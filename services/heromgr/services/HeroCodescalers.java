package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_codescalers, replacing service_codescalers.nu. The seed: one of the 33 modules it ported (never run).
 * Known structural gaps: a multi-instance service (action/socket templating per instance). Shape: the common
 * one, CLI + server + admin. The multi-instance comes on top of this class; here it has the plain shape.
 */
public final class HeroCodescalers implements HeroService {
    @Override
    public String name() {
        return "hero_codescalers";
    }

    @Override
    public String description() {
        return "Hero codescalers";
    }
}

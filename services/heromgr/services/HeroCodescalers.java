package heromgr.services;

import heromgr.service.HeroService;
import heromgr.service.MultiInstanceService;
import heromgr.service.ServiceInstance;

/**
 * hero_codescalers, replacing service_codescalers.nu. The seed: one of the 33 modules it ported (never run).
 * Known structural gaps: a multi-instance service (action/socket templating per instance). Here: {@code
 * hero_codescalers@b} runs beside hero_codescalers, made at its first start, with its own sockets
 * ($HERO_SOCKET_DIR/hero_codescalers@b/), logs and state, told its instance by HERO_INSTANCE. Shape: the common one,
 * CLI + server + admin.
 */
public final class HeroCodescalers extends MultiInstanceService {

    public HeroCodescalers() {
        this(ServiceInstance.unnamed("hero_codescalers"));
    }

    private HeroCodescalers(ServiceInstance self) {
        super(self);
    }

    @Override
    protected HeroService as(ServiceInstance instance) {
        return new HeroCodescalers(instance);
    }

    @Override
    public String description() {
        return "Hero codescalers";
    }
}

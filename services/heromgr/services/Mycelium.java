package heromgr.services;

import heromgr.service.HeroService;

/**
 * mycelium, replacing service_mycelium.nu. The seed: one of the 33 modules it ported (never run). Its published
 * releases still carry the old {@code mycelium_ui} asset names (the seed's list of releases to catch up). Known
 * structural gaps: a multi-instance service (action/socket templating per instance). Shape: the common one, CLI
 * + server + admin. The multi-instance comes on top of this class; here it has the plain shape.
 */
public final class Mycelium implements HeroService {
    @Override
    public String name() {
        return "mycelium";
    }

    @Override
    public String description() {
        return "Mycelium overlay network";
    }
}

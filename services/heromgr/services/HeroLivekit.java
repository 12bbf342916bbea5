package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_livekit, replacing service_livekit.nu. The seed: one of the 33 modules it ported (never run).
 * hero_collab depends on it for its LiveKit credentials. Shape: the common one, CLI + server + admin. The
 * LiveKit credentials comes on top of this class; here it has the plain shape.
 */
public final class HeroLivekit implements HeroService {
    @Override
    public String name() {
        return "hero_livekit";
    }

    @Override
    public String description() {
        return "Hero LiveKit";
    }
}

package heromgr.services;

import heromgr.service.LiveKitService;
import heromgr.service.Role;

import java.util.List;

/**
 * hero_collab, replacing service_collab.nu. The seed: one of the 33 modules it ported (never run). Special
 * cases table: "server + web (canonical is _web, not _admin)". Known structural gaps: LiveKit credentials
 * bootstrapped, hero_livekit as a dependency. Here: the credentials hero_livekit shares (LiveKitCredentials: made
 * once at the first start of either, kept 0600 under $HERO_HOME/cfg/livekit) in its env as LIVEKIT_URL,
 * LIVEKIT_API_KEY and LIVEKIT_API_SECRET, and hero_livekit started first. Shape: CLI, server, web.
 */
public final class HeroCollab implements LiveKitService {
    @Override
    public String name() {
        return "hero_collab";
    }

    @Override
    public String description() {
        return "Hero collab";
    }

    @Override
    public List<Role> roles() {
        return List.of(Role.CLI, Role.SERVER, Role.WEB);
    }

    @Override
    public List<String> dependsOn() {
        return List.of("hero_livekit");
    }

    @Override
    public boolean liveKitServer() {
        return false;
    }
}

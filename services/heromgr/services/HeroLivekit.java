package heromgr.services;

import heromgr.service.LiveKitService;

/**
 * hero_livekit, replacing service_livekit.nu. The seed: one of the 33 modules it ported (never run).
 * hero_collab depends on it for its LiveKit credentials. Here: those credentials (LiveKitCredentials: made once at
 * the first start, kept 0600 under $HERO_HOME/cfg/livekit, the same at every later start) in its env as
 * LIVEKIT_KEYS ("key: secret", livekit-server's variable) and LIVEKIT_API_KEY/LIVEKIT_API_SECRET. Shape: the common
 * one, CLI + server + admin.
 */
public final class HeroLivekit implements LiveKitService {
    @Override
    public String name() {
        return "hero_livekit";
    }

    @Override
    public String description() {
        return "Hero LiveKit";
    }

    @Override
    public boolean liveKitServer() {
        return true;
    }
}

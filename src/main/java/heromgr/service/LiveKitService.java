package heromgr.service;

import java.util.Map;

/**
 * A service that shares the LiveKit credentials: the server (hero_livekit) or a client (hero_collab). Its start
 * makes them if there are none yet (or fails naming a damaged file); its env carries them (see {@link LiveKitCredentials}).
 */
public interface LiveKitService extends HeroService {

    /** True for the LiveKit server, which also gets LIVEKIT_KEYS. */
    boolean liveKitServer();

    @Override
    default void prepare(Ctx ctx) {
        LiveKitCredentials.ensure(ctx.paths(), name());
    }

    @Override
    default Map<String, String> env(Ctx ctx) {
        Map<String, String> env = HeroService.super.env(ctx);
        return liveKitServer() ? LiveKitCredentials.withServerEnv(env, ctx.paths()) : LiveKitCredentials.withClientEnv(env, ctx.paths());
    }
}

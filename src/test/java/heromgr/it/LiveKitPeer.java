package heromgr.it;

import heromgr.proc.ActionSpec;
import heromgr.proc.ActionStatus;
import heromgr.proc.RestartPolicy;
import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.LiveKitCredentials;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LiveKit server (server true, as hero_livekit) or client (as hero_collab) wired the way those classes are: the
 * credentials made or read at start, given as env. Its process prints its environment to its log and sleeps, so the
 * test reads what it was given.
 */
record LiveKitPeer(String name, boolean server, List<String> dependsOn) implements HeroService {

    @Override
    public String repo() {
        return "test/" + name;
    }

    @Override
    public List<ActionStatus> start(Ctx ctx) {
        LiveKitCredentials.ensure(ctx.paths(), name);
        return HeroService.super.start(ctx);
    }

    @Override
    public Map<String, String> env(Ctx ctx) {
        var env = new HashMap<>(HeroService.super.env(ctx));
        LiveKitCredentials.read(ctx.paths()).ifPresent(c -> env.putAll(server ? c.serverEnv() : c.clientEnv()));
        return env;
    }

    @Override
    public List<ActionSpec> actions(Ctx ctx) {
        return List.of(ActionSpec.process("main", List.of("/bin/sh", "-c", "env; exec sleep 100000"), env(ctx), ctx.paths().home(),
                logDir(ctx).resolve("main.log")).withRestart(RestartPolicy.never()));
    }
}

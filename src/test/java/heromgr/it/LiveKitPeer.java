package heromgr.it;

import heromgr.proc.ActionSpec;
import heromgr.proc.RestartPolicy;
import heromgr.service.Ctx;
import heromgr.service.LiveKitService;

import java.util.List;

/**
 * A LiveKit server (server true, as hero_livekit) or client (as hero_collab) wired the way those classes are: the
 * credentials made or read at start, given as env. Its process prints its environment to its log and sleeps, so the
 * test reads what it was given.
 */
record LiveKitPeer(String name, boolean server, List<String> dependsOn) implements LiveKitService {

    @Override
    public String repo() {
        return "test/" + name;
    }

    @Override
    public boolean liveKitServer() {
        return server;
    }

    @Override
    public List<ActionSpec> actions(Ctx ctx) {
        return List.of(ActionSpec.process("main", List.of("/bin/sh", "-c", "env; exec sleep 100000"), env(ctx), ctx.paths().home(),
                logDir(ctx).resolve("main.log")).withRestart(RestartPolicy.never()));
    }
}

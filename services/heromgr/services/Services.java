package heromgr.services;

import heromgr.service.HeroService;

import java.util.List;

/**
 * Every service heromgr manages, listed by hand: adding one is a new class and a line here.
 *
 * <p>The Hero fleet: one class per {@code service_<name>.nu} module the seed ported (33), plus hero_aibroker's
 * cascade mother. Left out, with the reason:
 * <ul>
 *   <li>hero_proc: the process supervisor itself; heromgr carries its own, so managing it would be circular.</li>
 *   <li>hero_do: an installer-only Nu module, no daemon to supervise.</li>
 *   <li>hero_onlyoffice: a container (the seed: "Docker container"), not a Hero binary. A podman runner was
 *       considered and not written: its image comes from a registry these machines cannot reach, so a runner
 *       could be shipped but never proven here, and this project ships nothing it has not run.</li>
 *   <li>service_core.nu: an empty meta-module, nothing to port.</li>
 * </ul>
 * Besides the fleet: the example hero_echo, and third-party daemons from Debian's packages (redis, postgresql; see
 * {@link DebianDaemon}), because a Hero machine runs more than Hero binaries.
 */
public final class Services {
    private Services() {
    }

    public static List<HeroService> all() {
        return List.of(new HeroEcho(),
                new HeroAgent(), new HeroAibroker(), new HeroAibrokerMother(), new HeroBiz(), new HeroBooks(), new HeroBrowser(),
                new HeroClaude(), new HeroCode(), new CodeIndexer(), new HeroCodescalers(), new HeroCollab(), new HeroCompute(),
                new HeroDb(), new HeroEditor(), new HeroEmbedder(), new HeroFoundry(), new HeroIndexer(), new HeroLivekit(),
                new HeroLogic(), new HeroMail(), new HeroMatrixchat(), new HeroOffice(), new HeroOs(), new HeroOsis(),
                new HeroPlanner(), new HeroProxy(), new HeroRouter(), new HeroRunnerRhai(), new HeroShrimp(), new HeroSlides(),
                new HeroVoice(), new HeroWallet(), new HeroWhiteboard(), new Mycelium(),
                // third-party daemons from Debian packages
                new Redis(), new Postgresql());
    }

    /** The Hero fleet alone: every class above but the bundled example and the Debian daemons. */
    public static List<HeroService> fleet() {
        return all().stream().filter(s -> !(s instanceof HeroEcho) && !(s instanceof DebianDaemon)).toList();
    }
}

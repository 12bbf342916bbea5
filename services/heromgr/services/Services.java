package heromgr.services;

import heromgr.service.HeroService;

import java.util.List;

/** Every service heromgr manages, listed by hand: adding one is a new class and a line here. */
public final class Services {
    private Services() {
    }

    public static List<HeroService> all() {
        return List.of(
                new HeroEcho(),
                // third-party daemons from Debian packages
                new Redis(),
                new Postgresql());
    }
}

package heromgr.services;

import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.Role;

import java.util.List;

/**
 * hero_db, replacing service_db.nu. The seed: "Hero DB — encrypted Redis-backed store", a musl release (v0.3.2 was
 * the one binary the seed ever ran: install → start → health → stop); its published releases still carry the old
 * {@code hero_db_ui} asset name. Its quirk: besides its sockets the server speaks RESP on a TCP port, which the seed
 * put in kill_other only. Here that port is also the server's argument and part of its health. The seed gives no
 * number: {@value #DEFAULT_RESP_PORT} (Redis's own less one, so a Redis on the machine keeps 6379), or
 * HERO_DB_RESP_PORT in the daemon's environment. Shape: the common one, CLI + server + admin.
 */
public final class HeroDb implements HeroService {
    static final int DEFAULT_RESP_PORT = 6378;

    @Override
    public String name() {
        return "hero_db";
    }

    @Override
    public String description() {
        return "Hero DB: encrypted Redis-backed store";
    }

    int respPort(Ctx ctx) {
        return ServicePorts.fromEnv(ctx, "HERO_DB_RESP_PORT", DEFAULT_RESP_PORT);
    }

    @Override
    public List<String> args(Ctx ctx, Role role) {
        return role == Role.SERVER ? List.of("--resp-port", Integer.toString(respPort(ctx))) : List.of();
    }

    @Override
    public List<Integer> tcpPorts(Ctx ctx, Role role) {
        return role == Role.SERVER ? List.of(respPort(ctx)) : List.of();
    }
}

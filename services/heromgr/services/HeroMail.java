package heromgr.services;

import heromgr.service.HeroService;

/**
 * hero_mail, replacing service_mail.nu. The seed: one of the 33 modules it ported (never run). Special cases
 * table: its CLI was hero_mail_cli and is now hero_mail; _ui → _admin. So: the common shape. Shape: the common
 * one, CLI + server + admin.
 */
public final class HeroMail implements HeroService {
    @Override
    public String name() {
        return "hero_mail";
    }

    @Override
    public String description() {
        return "Hero mail";
    }
}

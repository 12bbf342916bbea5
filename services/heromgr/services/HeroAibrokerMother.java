package heromgr.services;

import heromgr.service.Ctx;
import heromgr.service.HeroService;
import heromgr.service.Role;

import java.util.List;

/**
 * The mother of hero_aibroker's cascade (service_aibroker.nu's {@code --split}), a second service sharing
 * hero_aibroker's repository and server binary: {@code hero_aibroker_server --split mother}, serving its own
 * {@code hero_aibroker_mother/rpc.sock}, so it starts, stops and is probed apart from the broker it feeds. The seed
 * left it as "a second ServiceDefinition sharing binaries[]", never written.
 */
public final class HeroAibrokerMother implements HeroService {
    private final HeroAibroker broker = new HeroAibroker();

    @Override
    public String name() {
        return broker.name() + "_mother";
    }

    @Override
    public String repo() {
        return broker.repo();
    }

    @Override
    public String description() {
        return "Hero AI broker, cascade mother (--split)";
    }

    @Override
    public List<Role> roles() {
        return List.of(Role.SERVER);
    }

    @Override
    public String binary(Role role) {
        return broker.binary(role);
    }

    @Override
    public List<String> args(Ctx ctx, Role role) {
        return List.of("--split", "mother");
    }
}

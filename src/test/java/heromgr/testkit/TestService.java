package heromgr.testkit;

import heromgr.service.HeroService;
import heromgr.service.Role;

import java.util.List;

/**
 * A service class as tests write them: repository {@code test/<name>} (never the forge's lhumina_code), and one role,
 * the server ({@code <name>_server} on rpc.sock). A test's record says only what its test is about.
 */
public interface TestService extends HeroService {

    @Override
    default String repo() {
        return "test/" + name();
    }

    @Override
    default List<Role> roles() {
        return List.of(Role.SERVER);
    }
}

package heromgr.manager;

import heromgr.manager.Results.CreateResult;
import heromgr.manager.Results.DeleteResult;
import heromgr.testkit.ApiFailure;
import heromgr.testkit.InMemorySupervisor.Outcome;
import heromgr.testkit.ManagerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * service.create and service.delete of transient services, on the manager alone: a create whose start fails leaves
 * nothing registered or on disk, so the name can be used again; a delete goes dependents first.
 */
class TransientCreateTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** db is class-defined; every other service here is made by the test. */
    @RegisterExtension
    final ManagerFixture fx = new ManagerFixture(ReleasedService.of("db"));

    Path definition(String name) {
        return fx.paths.state().resolve("transient").resolve(name + ".json");
    }

    void assertForgotten(String name) {
        assertThat(fx.listed()).doesNotContain(name);
        assertThat(ApiFailure.of(() -> fx.manager.status(name)).code()).isEqualTo(-32001);
        assertThat(definition(name)).doesNotExist();
    }

    @Test
    void aCreateWhoseStartFailsLeavesNothingBehindAndFreesTheName() {
        fx.supervisor.script("web", Outcome.spawnFails("exec format error"), Outcome.healthy());
        ApiFailure f = ApiFailure.of(() -> fx.create("web", List.of(), true, TIMEOUT));
        assertThat(f.code()).isEqualTo(-32004);
        assertThat(f.message()).contains("exec format error");
        assertForgotten("web");
        // the undo stops whatever the failed start may have left
        assertThat(fx.supervisor.changes()).containsExactly("start web", "stop web");

        CreateResult again = fx.create("web", List.of(), true, TIMEOUT);
        assertThat(again.created()).isTrue();
        assertThat(again.state()).isEqualTo("RUNNING");
        assertThat(definition("web")).exists();
    }

    @Test
    void aCreateWhoseDependencyFailsLeavesNothingBehind() {
        fx.supervisor.script("db", Outcome.crashes(1));
        ApiFailure f = ApiFailure.of(() -> fx.create("web", List.of("db"), true, TIMEOUT));
        assertThat(f.code()).isEqualTo(-32006);
        assertThat(f.message()).contains("web needs db");
        assertForgotten("web");
        assertThat(fx.supervisor.calls("start")).doesNotContain("web");
    }

    @Test
    void aCreateWithoutStartRegistersAndPersistsOnly() {
        CreateResult r = fx.create("web", List.of(), false, TIMEOUT);
        assertThat(r.state()).isEqualTo("STOPPED");
        assertThat(fx.listed()).containsExactly("db", "web");
        assertThat(definition("web")).exists();
        assertThat(fx.supervisor.changes()).isEmpty();
    }

    @Test
    void aTakenNameIsRefusedAndTheFirstServiceStays() {
        assertThat(ApiFailure.of(() -> fx.create("db", List.of(), true, TIMEOUT)).code()).isEqualTo(-32007);
        fx.create("web", List.of(), true, TIMEOUT);
        assertThat(ApiFailure.of(() -> fx.create("web", List.of(), true, TIMEOUT)).code()).isEqualTo(-32007);
        assertThat(fx.manager.status("web").state()).isEqualTo("RUNNING");
        assertThat(definition("web")).exists();
    }

    @Test
    void aDeleteIsRefusedWhileADependentExistsAndACascadeGoesDependentsFirst() {
        fx.create("base", List.of(), true, TIMEOUT);
        fx.create("top", List.of("base"), false, TIMEOUT);
        ApiFailure refused = ApiFailure.of(() -> fx.manager.delete("base", false, false));
        assertThat(refused.code()).isEqualTo(-32010);
        assertThat(refused.message()).contains("top depends on base");
        assertThat(fx.listed()).contains("base", "top");

        DeleteResult r = fx.manager.delete("base", false, true);
        assertThat(r.removed()).containsExactly("top", "base");
        assertThat(fx.supervisor.calls("stop")).containsExactly("top", "base");
        assertForgotten("top");
        assertForgotten("base");
    }
}

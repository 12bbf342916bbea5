package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.manager.ServiceRegistry;
import heromgr.service.HeroService;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dependency ordering with real processes: chains, a diamond, a failing dependency, cascade stops, a cycle. */
class DependencyTest {
    static CommandService sleeper(String name, String... deps) {
        return CommandService.of(name, "/bin/sleep", "1000").dependingOn(deps);
    }

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    TestDaemon d;

    TestDaemon start(HeroService... services) throws IOException {
        d = daemons.start(List.of(services), Map.of());
        return d;
    }

    String state(String name) {
        return new ServiceProbe(d).state(name);
    }

    long startTicks(String name) throws IOException {
        return new ServiceProbe(d).startTicks(name);
    }

    @Test
    void aDiamondStartsBottomUp() throws IOException {
        start(sleeper("top", "left", "right"), sleeper("left", "base"), sleeper("right", "base"), sleeper("base"));
        JsonNode r = d.result("service.start", Map.of("name", "top"));
        assertThat(r.get("dependencies_started")).extracting(JsonNode::asText).containsExactly("base", "left", "right");
        for (String n : List.of("top", "left", "right", "base")) assertThat(state(n)).as(n).isEqualTo("RUNNING");
        assertThat(startTicks("base")).isLessThanOrEqualTo(startTicks("left"));
        assertThat(startTicks("base")).isLessThanOrEqualTo(startTicks("right"));
        assertThat(startTicks("right")).isLessThanOrEqualTo(startTicks("top"));

        JsonNode again = d.result("service.start", Map.of("name", "top"));
        assertThat(again.get("dependencies_started")).isEmpty();
        assertThat(again.get("already_running")).hasSize(1);
    }

    @Test
    void withoutDependenciesAMissingOneIsNamed() throws IOException {
        start(sleeper("app", "db"), sleeper("db"));
        JsonNode e = d.call("service.start", Map.of("name", "app", "with_deps", false));
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32006);
        assertThat(e.at("/error/message").asText()).contains("app depends on db");
        assertThat(state("app")).isEqualTo("STOPPED");
    }

    @Test
    void aDependencyThatFailsBlocksItsDependentAndIsNamed() throws IOException {
        start(sleeper("app", "db"), CommandService.of("db", "/bin/false").neverHealthy());
        JsonNode e = d.call("service.start", Map.of("name", "app", "timeout_ms", 5000));
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32006);
        assertThat(e.at("/error/message").asText()).contains("app needs db, which did not start").contains("exited during start");
        assertThat(state("app")).isEqualTo("STOPPED");
    }

    @Test
    void stopRefusesWhileDependentsRunUnlessCascade() throws IOException {
        start(sleeper("app", "cache"), sleeper("cache", "db"), sleeper("db"));
        d.result("service.start", Map.of("name", "app"));
        JsonNode refused = d.call("service.stop", Map.of("name", "db"));
        assertThat(refused.at("/error/code").asInt()).isEqualTo(-32010);
        assertThat(refused.at("/error/message").asText()).contains("app").contains("cache");
        assertThat(state("db")).isEqualTo("RUNNING");

        JsonNode cascade = d.result("service.stop", Map.of("name", "db", "cascade", true));
        assertThat(cascade.get("dependents_stopped")).extracting(JsonNode::asText).containsExactly("app", "cache");
        for (String n : List.of("app", "cache", "db")) assertThat(state(n)).as(n).isEqualTo("STOPPED");
    }

    @Test
    void restartLeavesDependentsRunning() throws IOException {
        start(sleeper("app", "db"), sleeper("db"));
        d.result("service.start", Map.of("name", "app"));
        long appPid = d.result("service.status", Map.of("name", "app")).at("/actions/0/pid").asLong();
        d.result("service.restart", Map.of("name", "db"));
        assertThat(state("db")).isEqualTo("RUNNING");
        assertThat(d.result("service.status", Map.of("name", "app")).at("/actions/0/pid").asLong()).isEqualTo(appPid);
    }

    @Test
    void aCycleStopsStartUpAndIsNamed() {
        assertThatThrownBy(() -> ServiceRegistry.of(List.of(sleeper("a", "b"), sleeper("b", "c"), sleeper("c", "a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dependency cycle: a -> b -> c -> a");
        assertThatThrownBy(() -> ServiceRegistry.of(List.of(sleeper("a", "a"))))
                .hasMessage("dependency cycle: a -> a");
        assertThatThrownBy(() -> ServiceRegistry.of(List.of(sleeper("a", "ghost"))))
                .hasMessageContaining("depends on unknown service 'ghost'");
        assertThatThrownBy(() -> ServiceRegistry.of(List.of(sleeper("a"), sleeper("a"))))
                .hasMessageContaining("duplicate service name 'a'");
    }
}

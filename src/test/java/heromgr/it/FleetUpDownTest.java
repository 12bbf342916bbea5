package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.cli.ExitCode;
import heromgr.cli.Main;
import heromgr.cli.Terminal;
import heromgr.fs.JsonCodec;
import heromgr.service.HeroService;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.EventRecorder;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** heromgr up / down (service.up / service.down) with real processes: levels, health gates, a failing member, the CLI. */
class FleetUpDownTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    TestDaemon d;

    static CommandService sleeper(String name, String... deps) {
        return DependencyTest.sleeper(name, deps);
    }

    /** A diamond (top on left and right, both on base) and a service of its own. */
    void diamond() throws IOException {
        start(sleeper("top", "left", "right"), sleeper("left", "base"), sleeper("right", "base"), sleeper("base"),
                sleeper("other"));
    }

    ServiceProbe probe;

    void start(HeroService... services) throws IOException {
        d = daemons.start(List.of(services), Map.of());
        probe = new ServiceProbe(d);
    }

    static Map<String, JsonNode> byName(JsonNode result) {
        var out = new LinkedHashMap<String, JsonNode>();
        result.get("services").forEach(m -> out.put(m.get("name").asText(), m));
        return out;
    }

    @Test
    void upStartsEverythingLevelByLevelAndDownStopsDependentsFirst() throws IOException {
        diamond();
        JsonNode up = d.result("service.up", Map.of());
        assertThat(up.get("ok").asBoolean()).as(up.toString()).isTrue();
        var members = byName(up);
        assertThat(members.keySet()).containsExactlyInAnyOrder("base", "other", "left", "right", "top");
        assertThat(members.get("base").get("level").asInt()).isZero();
        assertThat(members.get("left").get("level").asInt()).isEqualTo(1);
        assertThat(members.get("top").get("level").asInt()).isEqualTo(2);
        members.values().forEach(m -> assertThat(m.get("outcome").asText()).as(m.toString()).isEqualTo("started"));
        for (String n : members.keySet()) assertThat(probe.state(n)).as(n).isEqualTo("RUNNING");
        assertThat(probe.startTicks("base")).isLessThanOrEqualTo(probe.startTicks("left"));
        assertThat(probe.startTicks("right")).isLessThanOrEqualTo(probe.startTicks("top"));

        JsonNode again = d.result("service.up", Map.of());
        byName(again).values().forEach(m -> assertThat(m.get("outcome").asText()).isEqualTo("already_running"));

        JsonNode down = d.result("service.down", Map.of());
        assertThat(down.get("ok").asBoolean()).isTrue();
        var stopped = byName(down);
        assertThat(stopped.get("top").get("level").asInt()).isZero();
        assertThat(stopped.get("base").get("level").asInt()).isEqualTo(2);
        stopped.values().forEach(m -> assertThat(m.get("outcome").asText()).isEqualTo("stopped"));
        for (String n : stopped.keySet()) assertThat(probe.state(n)).as(n).isEqualTo("STOPPED");
    }

    @Test
    void namedServicesBringWhatTheyNeedAndNothingElse() throws IOException {
        diamond();
        JsonNode up = d.result("service.up", Map.of("names", List.of("left")));
        assertThat(byName(up).keySet()).containsExactly("base", "left");
        assertThat(probe.state("right")).isEqualTo("STOPPED");
        assertThat(probe.state("other")).isEqualTo("STOPPED");

        d.result("service.up", Map.of("names", List.of("top", "other")));
        JsonNode down = d.result("service.down", Map.of("names", List.of("left")));
        assertThat(byName(down).keySet()).containsExactly("top", "left");
        assertThat(probe.state("left")).isEqualTo("STOPPED");
        assertThat(probe.state("top")).isEqualTo("STOPPED");
        for (String n : List.of("base", "right", "other")) assertThat(probe.state(n)).as(n).isEqualTo("RUNNING");

        JsonNode e = d.call("service.up", Map.of("names", List.of("ghost")));
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(e.at("/error/message").asText()).contains("ghost");
    }

    @Test
    void aFailingMemberIsNamedAndTheRestIsLeftAsItWas() throws IOException {
        // level 0: db; level 1: broken (exits at once, never healthy) and cache; level 2: app, on both
        start(sleeper("db"), CommandService.of("broken", "/bin/false").neverHealthy().dependingOn("db"),
                sleeper("cache", "db"), sleeper("app", "broken", "cache"));
        JsonNode up = d.result("service.up", Map.of("timeout_ms", 10000));
        assertThat(up.get("ok").asBoolean()).isFalse();
        assertThat(up.get("blocked_by").asText()).isEqualTo("broken");
        assertThat(up.get("error").asText()).contains("broken");
        var members = byName(up);
        assertThat(members.get("db").get("outcome").asText()).isEqualTo("started");
        assertThat(members.get("cache").get("outcome").asText()).isEqualTo("started");
        assertThat(members.get("broken").get("outcome").asText()).isEqualTo("failed");
        assertThat(members.get("app").get("outcome").asText()).isEqualTo("not_started");
        assertThat(probe.state("db")).isEqualTo("RUNNING");
        assertThat(probe.state("cache")).isEqualTo("RUNNING");
        assertThat(probe.state("app")).isEqualTo("STOPPED");
    }

    @Test
    void theStepsArePublishedAsTheOperationsProgress() throws Exception {
        start(sleeper("db"), sleeper("app", "db"));
        try (var events = EventRecorder.follow(d.socket(), "?type=operation")) {
            d.result("service.up", Map.of());
            JsonNode end = events.awaitEvent(e -> "end".equals(e.at("/data/phase").asText()) && "service.up".equals(e.at("/data/method").asText()));
            String id = end.at("/data/id").asText();
            List<String> steps = new ArrayList<>();
            for (JsonNode e : events.matching(e -> id.equals(e.at("/data/id").asText()) && "progress".equals(e.at("/data/phase").asText()))) {
                steps.add(e.at("/data/service").asText() + " " + e.at("/data/step").asText());
                assertThat(e.get("service").asText()).isEqualTo(e.at("/data/service").asText());
            }
            assertThat(steps).containsExactly("db starting", "db started", "app starting", "app started");
        }
    }

    @Test
    void theCommandLineShowsTheWalkAndASummaryAndExitsOneWhenBlocked() throws IOException {
        start(sleeper("db"), CommandService.of("broken", "/bin/false").neverHealthy().dependingOn("db"), sleeper("app", "broken"));
        var env = Map.of("HEROMGR_SOCKET", d.socket().toString());
        var out = new StringWriter();
        var err = new StringWriter();
        var terminal = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), env, false, true);
        int code = Main.execute(new String[] {"up", "--timeout-ms", "10000"}, terminal);
        assertThat(code).as(err.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(out.toString()).containsPattern("SERVICE\\s+LEVEL\\s+OUTCOME").containsPattern("app\\s+2\\s+not_started")
                .contains("blocked by broken");
        assertThat(err.toString()).contains("up: ").contains("starting db").contains("failed broken");

        var json = new StringWriter();
        var jsonErr = new StringWriter();
        int downCode = Main.execute(new String[] {"down", "db", "--json"},
                new Terminal(new PrintWriter(json, true), new PrintWriter(jsonErr, true), env, false, true));
        assertThat(downCode).as(jsonErr.toString()).isEqualTo(ExitCode.OK);
        JsonNode down = JsonCodec.MAPPER.readTree(json.toString());
        assertThat(down.get("direction").asText()).isEqualTo("down");
        assertThat(byName(down).keySet()).containsExactly("app", "broken", "db");
        assertThat(probe.state("db")).isEqualTo("STOPPED");
    }
}

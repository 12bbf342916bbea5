package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.EventRecorder;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A real cargo build of hero_echo: its output on the event stream line by line while it runs, and on the CLI's stderr. */
class BuildOutputTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withBuildingDaemon();
    static final TestDaemon d = daemons.daemon();

    @Test
    void cargosLinesAreEventsOfTheBuildAndTheCliStreamsThemInAPipe() throws Exception {
        try (var recorder = EventRecorder.follow(d.socket(), "?type=operation&service=hero_echo")) {
            CliRun build = CliRun.of(Map.of("HEROMGR_SOCKET", d.socket().toString()), "service", "build", "hero_echo", "--profile", "dev",
                    "--force");

            assertThat(build.exitCode()).as(build.err()).isZero();
            assertThat(build.err()).contains("Compiling hero_echo").contains("Finished");
            assertThat(build.err()).as("no bar in a pipe").doesNotContain("\r");
            assertThat(build.out()).as("the summary stays on stdout").doesNotContain("Compiling");

            JsonNode end = recorder.awaitEvent(e -> e.at("/data/method").asText().equals("service.build")
                    && e.at("/data/phase").asText().equals("end"));
            String id = end.at("/data/id").asText();
            List<String> seen = recorder.events.stream().filter(e -> e.at("/data/id").asText().equals(id))
                    .map(e -> e.at("/data/phase").asText() + ":" + e.at("/data/line").asText("")).toList();
            assertThat(seen.getFirst()).startsWith("start:");
            assertThat(seen.getLast()).startsWith("end:");
            // the lines come as cargo writes them, in its order, all before the build ends
            assertThat(seen).anyMatch(s -> s.startsWith("progress:") && s.contains("Compiling hero_echo"));
            int compiling = indexOf(seen, "Compiling hero_echo");
            int finished = indexOf(seen, "Finished");
            assertThat(compiling).isPositive().isLessThan(finished);
            assertThat(finished).isLessThan(seen.size() - 1);
        }
    }

    @Test
    void aDeployStreamsItsBuildAndASecondOneLeavesTheServiceAlone() {
        var env = Map.of("HEROMGR_SOCKET", d.socket().toString());
        try {
            CliRun first = CliRun.of(env, "service", "deploy", "hero_echo");
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).startsWith("deployed hero_echo").contains("installed").contains("RUNNING, healthy");
            long pid = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();

            CliRun again = CliRun.of(env, "service", "deploy", "hero_echo");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("is already deployed: nothing changed, left running (RUNNING, healthy)");
            assertThat(d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong()).as("not restarted").isEqualTo(pid);
            assertThat(d.result("service.deploy", Map.of("name", "hero_echo")).path("restarted").asBoolean()).isFalse();
        } finally {
            d.result("service.stop", Map.of("name", "hero_echo"));
        }
    }

    private static int indexOf(List<String> seen, String text) {
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).contains(text)) return i;
        }
        return -1;
    }
}

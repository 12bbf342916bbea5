package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.EventRecorder;
import heromgr.testkit.TestDaemon;
import heromgr.testkit.UnixResponder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * State a script can trust, through the CLI against a real daemon: status exits 0 only for a running service (5 not
 * running, 6 failed or crash-looping), health is false for anything not running, the list never shows a crashing
 * service healthy, `run` reports a command that exits at once, health events say only changes, and delete says what
 * is gone and what stays.
 */
class CliTruthfulStateTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon();
    final TestDaemon d = daemons.daemon();
    final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    private CliRun cli(String... args) {
        return CliRun.of(env, args);
    }

    private String state(String name) {
        return d.result("service.status", Map.of("name", name)).get("state").asText();
    }

    @Test
    void statusExitsZeroOnlyWhileTheServiceRuns() {
        CliRun stopped = cli("service", "status", "hero_echo");
        assertThat(stopped.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(stopped.out()).contains("hero_echo: STOPPED");
        assertThat(cli("service", "status", "hero_echo", "--json").exitCode()).isEqualTo(ExitCode.NOT_RUNNING);

        assertThat(cli("run", "--name", "sleeper", "--", "sleep", "1000").exitCode()).isZero();
        CliRun running = cli("service", "status", "sleeper");
        assertThat(running.exitCode()).as(running.err()).isZero();
        assertThat(running.out()).contains("sleeper: RUNNING");
    }

    @Test
    void aCrashLoopingServiceIsFailedUnhealthyAndNeverListedHealthy() throws IOException {
        // restart never: it stays FAILED, where a crash loop would be RUNNING for a moment between BACKOFFs
        d.result("service.create", Map.of("name", "crashy", "argv", List.of("/bin/sh", "-c", "exit 1"), "restart", "never",
                "start", false));
        assertThat(cli("service", "start", "crashy", "--no-wait").exitCode()).isZero();
        await().atMost(BOUND).until(() -> state("crashy").equals("FAILED"));

        CliRun status = cli("service", "status", "crashy");
        assertThat(status.exitCode()).isEqualTo(ExitCode.SERVICE_FAILED);
        CliRun health = cli("service", "health", "crashy");
        assertThat(health.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(health.out()).containsPattern("crashy: unhealthy \\(not running: FAILED\\)");
        assertThat(cli("service", "list").out()).containsPattern("crashy\\s+transient\\s+FAILED\\s+no\\s");
        JsonNode listed = null;
        for (JsonNode s : JsonCodec.MAPPER.readTree(cli("service", "list", "--json").out())) if (s.get("name").asText().equals("crashy")) listed = s;
        assertThat(listed).isNotNull();
        assertThat(listed.get("healthy").asBoolean(true)).isFalse();
    }

    @Test
    void runReportsACommandThatExitsAtOnceAndLeavesNothing() {
        CliRun r = cli("run", "--name", "quick", "--", "/bin/sh", "-c", "echo starting; exit 3");
        assertThat(r.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("quick: action main exited during start").contains("-32004");
        assertThat(r.out()).doesNotContain("RUNNING");
        assertThat(cli("service", "list").out()).doesNotContain("quick");
    }

    @Test
    void runOfACommandThatStaysUpSaysRunningAndItIsHealthy() {
        CliRun r = cli("run", "--name", "sleeper", "--", "sleep", "1000");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sleeper: created, RUNNING");
        CliRun health = cli("service", "health", "sleeper");
        assertThat(health.exitCode()).isZero();
        assertThat(health.out()).contains("sleeper: healthy");
        assertThat(cli("service", "list").out()).containsPattern("sleeper\\s+transient\\s+RUNNING\\s+yes\\s");
        assertThat(cli("stop", "sleeper").exitCode()).isZero();
        // health does not apply to a stopped service: "-", where a FAILED one is "no"
        assertThat(cli("list").out()).containsPattern("sleeper\\s+transient\\s+STOPPED\\s+-\\s");
    }

    /** A start's first failing probe is no event (unknown counts as unhealthy); a real change is one, and only once. */
    @Test
    void healthEventsSayOnlyChanges() throws Exception {
        Path socket = d.home.resolve("gated.sock");
        d.result("service.create", Map.of("name", "gated", "argv", List.of("sleep", "1000"), "start", false,
                "health", Map.of("unix_socket", socket.toString())));
        try (var responder = UnixResponder.answering(socket, 503, "starting");
             var events = EventRecorder.follow(d.socket(), "?type=health&service=gated")) {
            assertThat(cli("service", "start", "gated", "--no-wait").exitCode()).isZero();
            assertThat(cli("service", "health", "gated").exitCode()).isEqualTo(ExitCode.FAILED);
            responder.answer(200, "ok");
            assertThat(cli("service", "health", "gated").exitCode()).isZero();
            assertThat(cli("service", "health", "gated").exitCode()).isZero();
            assertThat(cli("service", "stop", "gated").exitCode()).isZero();
            assertThat(cli("service", "health", "gated").exitCode()).isEqualTo(ExitCode.FAILED);
            // the last probe's event is the last of the service's health events to come
            await().atMost(BOUND).until(() -> serviceHealthEvents(events).contains(false));
            assertThat(serviceHealthEvents(events)).containsExactly(true, false);
        }
    }

    /** The "ok" of each event service.health published (the supervisor monitor's name an action). */
    private static List<Boolean> serviceHealthEvents(EventRecorder events) {
        return events.matching(e -> !e.path("data").has("action")).stream().map(e -> e.at("/data/ok").asBoolean()).toList();
    }

    @Test
    void deleteSaysWhatIsGoneAndWhatStays() throws IOException {
        CliRun cls = cli("service", "delete", "hero_echo");
        assertThat(cls.exitCode()).as(cls.err()).isZero();
        assertThat(cls.out()).contains("stopped hero_echo").contains("stays listed: a service class is code")
                .doesNotContain("deleted hero_echo");
        assertThat(cli("service", "list").out()).contains("hero_echo");
        JsonNode json = JsonCodec.MAPPER.readTree(cli("service", "delete", "hero_echo", "--json").out());
        assertThat(json.get("removed")).isEmpty();
        assertThat(json.get("kept").get(0).asText()).isEqualTo("hero_echo");

        d.result("service.create", Map.of("name", "gone", "argv", List.of("sleep", "1000"), "start", false));
        CliRun transientOne = cli("service", "delete", "gone");
        assertThat(transientOne.out()).isEqualTo("deleted gone" + System.lineSeparator());
        assertThat(cli("service", "list").out()).doesNotContain("gone");
    }

    @Test
    void helpListsTheStatusExitCodes() {
        CliRun help = cli("--help");
        assertThat(help.out()).containsPattern("5\\s+status: the service is not running")
                .containsPattern("6\\s+status: the service failed or is crash-looping");
        assertThat(cli("service", "status", "--help").out()).contains("exit 0 running, 5 not running, 6 failed");
    }
}

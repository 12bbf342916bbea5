package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.FileDigest;
import heromgr.proc.os.PosixSignals;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * hero_echo through every room: cargo build → install into $HERO_HOME/bin → start under the embedded supervisor →
 * health over its socket → logs → crash and restart → stop. The steps build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HeroEchoEndToEndTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withBuildingDaemon();
    static final TestDaemon d = daemons.daemon();

    @Test
    @Order(1)
    void buildsWithCargoIntoTheGivenTargetDir() throws IOException {
        JsonNode build = d.result("service.build", Map.of("name", "hero_echo"));
        Path binary = d.cargoTarget().resolve("release/hero_echo_server");
        assertThat(build.get("profile").asText()).isEqualTo("release");
        assertThat(build.at("/binaries/0/path").asText()).isEqualTo(binary.toString());
        assertThat(build.at("/binaries/0/sha256").asText()).isEqualTo(FileDigest.sha256(binary));
        assertThat(FileDigest.isElf(binary)).isTrue();

        JsonNode again = d.result("service.build", Map.of("name", "hero_echo"));
        assertThat(again.get("skipped").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void aSelectableProfileBuildsElsewhere() {
        JsonNode dev = d.result("service.build", Map.of("name", "hero_echo", "profile", "dev"));
        assertThat(dev.at("/binaries/0/path").asText()).isEqualTo(d.cargoTarget().resolve("debug/hero_echo_server").toString());
        // install takes what the last build produced: build release again for the steps that follow
        JsonNode release = d.result("service.build", Map.of("name", "hero_echo", "profile", "release"));
        assertThat(release.at("/binaries/0/path").asText()).endsWith("release/hero_echo_server");
    }

    @Test
    @Order(3)
    void installsAtomicallyAndIdempotently() throws IOException {
        JsonNode first = d.result("service.install", Map.of("name", "hero_echo", "mode", "source"));
        Path installed = d.paths.bin().resolve("hero_echo_server");
        assertThat(first.get("changed").asBoolean()).isTrue();
        assertThat(first.get("version").asText()).isEqualTo("0.1.0");
        assertThat(first.at("/installed/0/path").asText()).isEqualTo(installed.toString());
        assertThat(first.at("/installed/0/sha256").asText()).isEqualTo(FileDigest.sha256(installed));
        assertThat(Files.isExecutable(installed)).isTrue();
        assertThat(Files.getLastModifiedTime(installed))
                .isEqualTo(Files.getLastModifiedTime(d.cargoTarget().resolve("release/hero_echo_server")));
        try (var files = Files.list(d.paths.bin())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("hero_echo_server");
        }
        var mtime = Files.getLastModifiedTime(installed);

        JsonNode second = d.result("service.install", Map.of("name", "hero_echo"));
        assertThat(second.get("changed").asBoolean()).isFalse();
        assertThat(Files.getLastModifiedTime(installed)).isEqualTo(mtime);
    }

    @Test
    @Order(4)
    void startsAndBecomesHealthy() {
        JsonNode start = d.result("service.start", Map.of("name", "hero_echo"));
        assertThat(start.get("started")).hasSize(1);
        assertThat(start.get("state").asText()).isEqualTo("RUNNING");
        assertThat(start.get("healthy").asBoolean()).isTrue();
        long pid = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();
        daemons.killAtEnd(pid);
        assertThat(ProcessHandle.of(pid)).isPresent();

        JsonNode again = d.result("service.start", Map.of("name", "hero_echo"));
        assertThat(again.get("started")).isEmpty();
        assertThat(again.get("already_running").get(0).asText()).isEqualTo("server");
        assertThat(d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong()).isEqualTo(pid);
    }

    @Test
    @Order(5)
    void healthProbesItsSocket() {
        JsonNode health = d.result("service.health", Map.of("name", "hero_echo"));
        assertThat(health.get("ok").asBoolean()).isTrue();
        JsonNode check = health.at("/checks/0");
        assertThat(check.get("kind").asText()).isEqualTo("http_unix");
        assertThat(check.get("status").asInt()).isEqualTo(200);
        assertThat(check.get("target").asText()).contains(d.paths.socketDir().resolve("hero_echo/rpc.sock").toString());
        assertThat(check.get("detail").asText()).contains("\"service\":\"hero_echo\"");
        JsonNode echo = null;
        // the list holds the whole fleet, by name
        for (JsonNode s : d.result("service.list", null)) if (s.get("name").asText().equals("hero_echo")) echo = s;
        assertThat(echo).isNotNull();
        assertThat(echo.get("healthy").asBoolean()).isTrue();
        assertThat(echo.get("version").asText()).isEqualTo("0.1.0");
    }

    @Test
    @Order(6)
    void logsHoldTheServiceOutput() {
        JsonNode logs = d.result("service.logs", Map.of("name", "hero_echo", "lines", 50));
        assertThat(logs.get("lines").toString()).contains("listening on").contains("GET /health 200");
        JsonNode two = d.result("service.logs", Map.of("name", "hero_echo", "action", "server", "lines", 2));
        assertThat(two.get("lines")).hasSize(2);
    }

    @Test
    @Order(7)
    void inspectShowsWhatTheCodeResolvesTo() {
        JsonNode i = d.result("service.inspect", Map.of("name", "hero_echo"));
        for (String field : List.of("name", "type", "repo", "repository_path", "build_profile", "binaries", "install_path",
                "runtime_user", "env", "sockets", "log_path", "health_checks", "depends_on", "restart_policy", "installed", "actions")) {
            assertThat(i.has(field)).as(field).isTrue();
        }
        assertThat(i.get("type").asText()).isEqualTo("rust");
        assertThat(i.at("/binaries/0/build_output").asText()).isEqualTo(d.cargoTarget().resolve("release/hero_echo_server").toString());
        assertThat(i.at("/installed/version").asText()).isEqualTo("0.1.0");
        assertThat(i.at("/installed/binaries/0/sha256").asText()).hasSize(64);
        assertThat(i.at("/env/HERO_SOCKET_DIR").asText()).isEqualTo(d.paths.socketDir().toString());
        assertThat(i.at("/restart_policy/mode").asText()).isEqualTo("ALWAYS");
        assertThat(i.at("/actions/0/argv/0").asText()).isEqualTo(d.paths.bin().resolve("hero_echo_server").toString());
        assertThat(i.at("/runtime/state").asText()).isEqualTo("RUNNING");
    }

    @Test
    @Order(8)
    void anUnexpectedExitIsRestarted() {
        long pid = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();
        assertThat(PosixSignals.kill(pid, 9)).isTrue();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonNode a = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0");
            return a.get("state").asText().equals("RUNNING") && a.get("pid").asLong() != pid && a.get("pid").asLong() > 0;
        });
        JsonNode a = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0");
        daemons.killAtEnd(a.get("pid").asLong());
        assertThat(a.get("restart_count").asInt()).isEqualTo(1);
        assertThat(a.at("/last_exit/signal").asInt()).isEqualTo(9);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.result("service.health", Map.of("name", "hero_echo")).get("ok").asBoolean());
    }

    @Test
    @Order(9)
    void restartGivesANewProcess() {
        long pid = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();
        JsonNode r = d.result("service.restart", Map.of("name", "hero_echo"));
        assertThat(r.get("state").asText()).isEqualTo("RUNNING");
        assertThat(r.get("healthy").asBoolean()).isTrue();
        long newPid = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();
        daemons.killAtEnd(newPid);
        assertThat(newPid).isNotEqualTo(pid);
        assertThat(ProcessHandle.of(pid)).isEmpty();
    }

    @Test
    @Order(10)
    void stopsCleanlyAndStopIsIdempotent() {
        long pid = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();
        JsonNode stop = d.result("service.stop", Map.of("name", "hero_echo"));
        assertThat(stop.get("stopped").get(0).asText()).isEqualTo("server");
        assertThat(stop.get("state").asText()).isEqualTo("STOPPED");
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(d.paths.socketDir().resolve("hero_echo/rpc.sock")).doesNotExist();
        JsonNode status = d.result("service.status", Map.of("name", "hero_echo"));
        assertThat(status.at("/actions/0/last_exit/code").asInt()).isZero();
        assertThat(status.at("/actions/0/last_exit/requested").asBoolean()).isTrue();

        JsonNode again = d.result("service.stop", Map.of("name", "hero_echo"));
        assertThat(again.get("stopped")).isEmpty();
        JsonNode health = d.result("service.health", Map.of("name", "hero_echo"));
        assertThat(health.get("ok").asBoolean()).isFalse();
        // not running: unhealthy without a probe of its socket
        assertThat(health.get("state").asText()).isEqualTo("STOPPED");
        assertThat(health.get("checks")).isEmpty();
    }
}

package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * upgrade with rollback, deploy and troubleshoot against a forge served in the test. Releases: v1 and v2 are
 * real hero_echo builds; "broken" is a real ELF binary that runs but never serves its socket, so it can never
 * pass the health check.
 */
class RolloutTest {
    static final String ASSET = "hero_echo_server-linux-amd64-musl";
    @TempDir
    static Path fixtures;
    static byte[] broken;
    static byte[] v1;
    static byte[] v2;

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    FakeForge forge;
    TestDaemon d;

    @BeforeAll
    static void releases() throws IOException, InterruptedException {
        v1 = Files.readAllBytes(EchoBinaries.release());
        v2 = Files.readAllBytes(EchoBinaries.dev());
        broken = EchoBinaries.neverHealthy(fixtures);
    }

    @BeforeEach
    void up() throws IOException {
        forge = new FakeForge("hero/hero_echo");
        forge.release("v1.0.0", Instant.parse("2026-10-01T00:00:00Z"), Map.of(ASSET, v1));
        forge.release("v1.5.0-broken", Instant.parse("2026-10-15T00:00:00Z"), Map.of(ASSET, broken));
        forge.release("v2.0.0", Instant.parse("2026-11-01T00:00:00Z"), Map.of(ASSET, v2));
        d = daemons.start(Services.all(), Map.of("FORGEJO_URL", forge.url()));
    }

    @AfterEach
    void down() throws IOException {
        forge.close();
    }

    Path installed() {
        return d.paths.bin().resolve("hero_echo_server");
    }

    @Test
    void aBrokenReleaseIsRolledBackAndTheServiceStaysHealthyOnTheOldOne() throws IOException {
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        d.result("service.start", Map.of("name", "hero_echo"));

        JsonNode up = d.result("service.upgrade", Map.of("name", "hero_echo", "version", "v1.5.0-broken", "timeout_ms", 3000));
        assertThat(up.get("rolled_back").asBoolean()).isTrue();
        assertThat(up.get("from").asText()).isEqualTo("v1.0.0");
        assertThat(up.get("to").asText()).isEqualTo("v1.5.0-broken");
        assertThat(up.get("reason").asText()).contains("did not become healthy");
        assertThat(up.get("healthy").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(installed())).isEqualTo(v1);
        assertThat(d.result("service.health", Map.of("name", "hero_echo")).get("ok").asBoolean()).isTrue();
        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).at("/installed/version").asText()).isEqualTo("v1.0.0");

        List<String> methods = d.result("service.ops", Map.of("name", "hero_echo")).findValuesAsText("method");
        assertThat(methods.subList(0, 2)).containsExactly("service.upgrade", "service.rollback");
    }

    @Test
    void aRollbackToAVersionThatDoesNotTurnHealthyEitherSaysItRolledBack() throws IOException {
        // trailing bytes change the file, not the program: another release that never serves either
        byte[] alsoBroken = Arrays.copyOf(broken, broken.length + 1);
        forge.release("v1.6.0-broken", Instant.parse("2026-10-20T00:00:00Z"), Map.of(ASSET, alsoBroken));
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.5.0-broken"));
        d.call("service.start", Map.of("name", "hero_echo", "timeout_ms", 1000));

        JsonNode e = d.call("service.upgrade", Map.of("name", "hero_echo", "version", "v1.6.0-broken", "timeout_ms", 1500));
        assertThat(e.at("/error/code").asInt()).as(e.toString()).isEqualTo(-32005);
        assertThat(e.at("/error/message").asText()).contains("upgrade to v1.6.0-broken failed")
                .contains("rolled back to v1.5.0-broken").contains("did not become healthy");
        assertThat(Files.readAllBytes(installed())).isEqualTo(broken);
        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).at("/installed/version").asText()).isEqualTo("v1.5.0-broken");
    }

    @Test
    void aGoodReleaseIsUpgradedToAndAgainIsANoOp() throws IOException {
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        d.result("service.start", Map.of("name", "hero_echo"));
        long oldPid = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();

        JsonNode up = d.result("service.upgrade", Map.of("name", "hero_echo"));
        assertThat(up.get("rolled_back").asBoolean()).isFalse();
        assertThat(up.get("to").asText()).isEqualTo("v2.0.0");
        assertThat(up.get("healthy").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(installed())).isEqualTo(v2);
        long newPid = d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();
        assertThat(newPid).isNotEqualTo(oldPid);
        assertThat(ProcessHandle.of(oldPid)).isEmpty();

        JsonNode again = d.result("service.upgrade", Map.of("name", "hero_echo"));
        assertThat(again.get("changed").asBoolean()).isFalse();
        assertThat(d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong()).isEqualTo(newPid);
    }

    @Test
    void deployRunsEveryStepAsOneOperation() {
        JsonNode dep = d.result("service.deploy", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        assertThat(dep.at("/install/version").asText()).isEqualTo("v1.0.0");
        assertThat(dep.get("build").isNull()).isTrue();
        assertThat(dep.at("/verify/ok").asBoolean()).isTrue();
        assertThat(dep.at("/health/ok").asBoolean()).isTrue();
        assertThat(dep.get("state").asText()).isEqualTo("RUNNING");
        assertThat(d.result("service.ops", Map.of("name", "hero_echo")).get(0).get("method").asText()).isEqualTo("service.deploy");
    }

    @Test
    void troubleshootNamesWhatIsWrongAndWhatToRun() {
        JsonNode missing = d.result("service.troubleshoot", Map.of("name", "hero_echo"));
        assertThat(missing.get("state").asText()).isEqualTo("STOPPED");
        assertThat(missing.get("hints").toString()).contains("binary missing").contains("run `heromgr service install hero_echo`");

        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.5.0-broken"));
        JsonNode failedStart = d.call("service.start", Map.of("name", "hero_echo", "timeout_ms", 1000));
        assertThat(failedStart.at("/error/code").asInt()).isEqualTo(-32005);
        JsonNode unhealthy = d.result("service.troubleshoot", Map.of("name", "hero_echo"));
        assertThat(unhealthy.get("state").asText()).isEqualTo("RUNNING");
        assertThat(unhealthy.at("/health/ok").asBoolean()).isFalse();
        assertThat(unhealthy.get("hints").toString()).contains("running but unhealthy").contains("rpc.sock does not exist")
                .contains("recent service.start failed");
        assertThat(unhealthy.get("failed_operations")).hasSize(1);

        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        d.result("service.restart", Map.of("name", "hero_echo"));
        JsonNode fine = d.result("service.troubleshoot", Map.of("name", "hero_echo"));
        assertThat(fine.at("/health/ok").asBoolean()).isTrue();
        assertThat(fine.get("last_log_lines").toString()).contains("listening on");
    }
}

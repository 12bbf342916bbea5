package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.manager.OperationLog;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every changing operation lands in the persisted operation log, queryable newest first. */
class OperationLogTest {
    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon();
    final TestDaemon d = daemons.daemon();

    @Test
    void operationsAreRecordedWithCallerOutcomeAndOutput() throws IOException {
        Path checkout = d.paths.codeRoot().resolve("hero/hero_echo");
        FailurePathsTest.copyCrate(Path.of("examples/hero_echo"), checkout);
        Files.writeString(checkout.resolve("src/main.rs"), "fn main() { broken }\n");
        d.call("service.build", Map.of("name", "hero_echo"));
        d.call("service.install", Map.of("name", "hero_echo", "force", true));
        d.call("service.stop", Map.of("name", "hero_echo"));
        d.call("service.status", Map.of("name", "hero_echo"));

        JsonNode ops = d.result("service.ops", Map.of("name", "hero_echo"));
        assertThat(ops).hasSize(3);
        assertThat(ops.findValuesAsText("method")).containsExactly("service.stop", "service.install", "service.build");
        JsonNode stop = ops.get(0);
        assertThat(stop.get("outcome").asText()).isEqualTo("ok");
        assertThat(stop.get("caller").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(stop.get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
        JsonNode install = ops.get(1);
        assertThat(install.get("outcome").asText()).isEqualTo("error");
        assertThat(install.get("error_code").asInt()).isEqualTo(-32003);
        assertThat(install.at("/params/force").asBoolean()).isTrue();
        JsonNode build = ops.get(2);
        assertThat(build.get("error_code").asInt()).isEqualTo(-32002);
        assertThat(Files.readString(Path.of(build.get("output_log").asText()))).contains("error");

        assertThat(d.result("service.ops", Map.of("limit", 1))).hasSize(1);
        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).get("last_operations")).hasSize(3);
        assertThat(d.call("service.ops", Map.of("name", "nope")).at("/error/code").asInt()).isEqualTo(-32001);
    }

    @Test
    void theLogSurvivesADaemonRestart() throws IOException {
        d.call("service.stop", Map.of("name", "hero_echo"));
        d.restart();
        JsonNode ops = d.result("service.ops", null);
        assertThat(ops).hasSize(1);
        assertThat(ops.get(0).get("method").asText()).isEqualTo("service.stop");
    }

    @Test
    void retentionIsBoundedAndSecretsAreRedacted(@TempDir Path dir) {
        var log = new OperationLog(dir, 3);
        for (int i = 0; i < 10; i++) {
            int n = i;
            log.record("service.stop", "svc" + n, JsonCodec.MAPPER.valueToTree(Map.of("name", "svc" + n, "api_token", "hunter2")),
                    "root", null, () -> n);
        }
        assertThatThrownBy(() -> log.record("service.start", "x", null, "root", null, () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        var newest = log.query(null, 100);
        assertThat(newest).hasSize(3);
        assertThat(newest.get(0).error()).isEqualTo("boom");
        assertThat(newest.get(1).params().get("api_token").asText()).isEqualTo("***");
        assertThat(new OperationLog(dir, 3).query(null, 100)).hasSize(3);
    }
}

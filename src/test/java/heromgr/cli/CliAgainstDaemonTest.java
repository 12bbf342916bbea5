package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI as a user runs it, against a real daemon on its real socket. */
class CliAgainstDaemonTest {
    @RegisterExtension
    static final DaemonExtension daemons = DaemonExtension.withDaemon();
    static final TestDaemon d = daemons.daemon();
    static final Map<String, String> env = Map.of("HEROMGR_SOCKET", d.socket().toString());

    @Test
    void listPrintsAnAlignedTable() {
        CliRun r = CliRun.of(env, "service", "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("NAME").contains("STATE").containsPattern("hero_echo\\s+rust\\s+STOPPED");
    }

    @Test
    void jsonPrintsTheResultExactly() throws IOException {
        CliRun r = CliRun.of(env, "service", "status", "hero_echo", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode printed = JsonCodec.MAPPER.readTree(r.out());
        assertThat(printed).isEqualTo(d.result("service.status", Map.of("name", "hero_echo")));
    }

    @Test
    void anUnknownServiceExitsFour() {
        CliRun r = CliRun.of(env, "service", "status", "hero_nothing");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("no such service: hero_nothing");
    }

    @Test
    void aFailedOperationExitsOne() {
        CliRun r = CliRun.of(env, "service", "install", "hero_echo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("run service.build first").contains("-32003");
    }

    @Test
    void theSocketOptionWins() {
        CliRun r = CliRun.of(Map.of(), "service", "list", "--socket", d.socket().toString());
        assertThat(r.exitCode()).isZero();
        CliRun wrong = CliRun.of(env, "service", "list", "--socket", d.home.resolve("nope.sock").toString());
        assertThat(wrong.exitCode()).isEqualTo(3);
        assertThat(wrong.err()).contains("heromgr daemon");
    }

    @Test
    void rawRpcCalls() throws IOException {
        CliRun r = CliRun.of(env, "rpc", "service.logs", "{\"name\":\"hero_echo\",\"lines\":3}");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JsonCodec.MAPPER.readTree(r.out()).get("name").asText()).isEqualTo("hero_echo");
        CliRun bad = CliRun.of(env, "rpc", "service.logs", "{\"name\":\"hero_echo\",\"lines\":0}");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("lines");
    }

    @Test
    void verifyOfAnUninstalledServiceNamesWhatToDoAndExitsOne() {
        CliRun r = CliRun.of(env, "service", "verify", "hero_echo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("verification failed").contains("not installed: run service.install");
    }

    @Test
    void healthOfAStoppedServiceExitsOne() {
        CliRun r = CliRun.of(env, "service", "health", "hero_echo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("unhealthy");
    }
}

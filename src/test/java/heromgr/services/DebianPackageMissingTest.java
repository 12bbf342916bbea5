package heromgr.services;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ErrorCode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** On a machine without the Debian packages (a system root with none of their files), every step names the package to install. */
class DebianPackageMissingTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void installAndStartNameThePackageAndBuildIsNotApplicable() throws Exception {
        Path bareSystem = daemons.root();
        TestDaemon d = daemons.start(List.of(new Redis(bareSystem), new Postgresql(bareSystem)), Map.of());
        for (var service : List.of(Map.entry("redis", "redis-server"), Map.entry("postgresql", "postgresql"))) {
            JsonNode install = error(d, "service.install", service.getKey());
            assertThat(install.get("code").asInt()).isEqualTo(ErrorCode.INSTALL_FAILED.code());
            assertThat(install.get("message").asText()).startsWith(service.getKey() + ": " + bareSystem)
                    .endsWith("is missing: install Debian's package with `apt-get install " + service.getValue() + "` (heromgr does not download it)");
            JsonNode start = error(d, "service.start", service.getKey());
            assertThat(start.get("code").asInt()).isEqualTo(ErrorCode.START_FAILED.code());
            assertThat(start.get("message").asText()).contains("apt-get install " + service.getValue());
            assertThat(error(d, "service.build", service.getKey()).get("code").asInt()).isEqualTo(ErrorCode.NOT_APPLICABLE.code());
        }
        assertThat(error(d, "service.install", "postgresql").get("message").asText())
                .contains(bareSystem.resolve("usr/lib/postgresql/MAJOR/bin/postgres").toString());
    }

    private static JsonNode error(TestDaemon d, String method, String name) {
        JsonNode answer = d.call(method, Map.of("name", name));
        assertThat(answer.has("error")).as("%s %s answered %s", method, name, answer).isTrue();
        return answer.get("error");
    }
}

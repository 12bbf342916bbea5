package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's other records damaged while it was down (an install record, a build record, a transient definition,
 * one naming another service): the next daemon serves everything else, counts each damaged one as absent and keeps
 * it beside, under a name of its own, for a person to read.
 */
class DamagedRecordsTest {
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    @Test
    void damagedRecordsAreSetAsideAndNothingElseIsLost() throws IOException {
        Path home = daemons.root().resolve("home");
        DaemonProcess first = daemons.startProcess(home);
        for (String name : List.of("t_good", "t_torn", "t_other")) {
            first.result("service.create", Map.of("name", name, "argv", List.of("/bin/sleep", "300"), "start", false));
        }
        first.close();

        Path state = home.resolve("var/heromgr");
        Path installRecord = state.resolve("installed/hero_echo.json");
        Path buildRecord = state.resolve("builds/hero_echo.json");
        Path torn = state.resolve("transient/t_torn.json");
        Path misnamed = state.resolve("transient/t_other.json");
        Files.createDirectories(installRecord.getParent());
        Files.createDirectories(buildRecord.getParent());
        Files.writeString(installRecord, "{\"service\":\"hero_echo\",\"vers");
        Files.writeString(buildRecord, "\u0000garbage");
        Files.writeString(torn, Files.readString(torn).substring(0, 20));
        Files.writeString(misnamed, Files.readString(state.resolve("transient/t_good.json")));

        DaemonProcess next = daemons.startProcess(home);
        JsonNode list = next.result("service.list", Map.of());
        assertThat(list.findValuesAsText("name")).contains("hero_echo", "t_good").doesNotContain("t_torn", "t_other");
        assertThat(next.result("service.inspect", Map.of("name", "hero_echo")).path("name").asText()).isEqualTo("hero_echo");
        for (Path damaged : List.of(installRecord, buildRecord, torn, misnamed)) {
            assertThat(damaged).doesNotExist();
            try (Stream<Path> beside = Files.list(damaged.getParent())) {
                assertThat(beside.map(p -> p.getFileName().toString()))
                        .as("kept beside " + damaged).anyMatch(n -> n.startsWith(damaged.getFileName() + ".damaged-"));
            }
        }
        String log = Files.readString(home.resolve("var/log/heromgr/heromgr.log"));
        assertThat(log).contains(torn + " is damaged").contains(misnamed + " is damaged (it names the service 't_good')")
                .contains(installRecord + " is damaged");
        next.close();
    }
}

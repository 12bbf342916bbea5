package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Operations out of order and broken sources: each fails with its code and a message a person can act on. */
class FailurePathsTest {
    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withBuildingDaemon();
    final TestDaemon d = daemons.daemon();

    @Test
    void installBeforeAnyBuildSaysWhatToDo() {
        JsonNode answer = d.call("service.install", Map.of("name", "hero_echo"));
        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32003);
        assertThat(answer.at("/error/message").asText()).contains("run `heromgr service build hero_echo` first");
        assertThat(d.paths.bin()).doesNotExist();
    }

    @Test
    void startWithoutABinaryNamesIt() {
        JsonNode answer = d.call("service.start", Map.of("name", "hero_echo"));
        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32004);
        assertThat(answer.at("/error/message").asText()).contains(d.paths.bin().resolve("hero_echo_server").toString());
        assertThat(d.result("service.status", Map.of("name", "hero_echo")).get("state").asText()).isNotEqualTo("RUNNING");
    }

    @Test
    void aFailingBuildReturnsTheTailOfItsOutput() throws IOException {
        Path checkout = d.paths.codeRoot().resolve("hero/hero_echo");
        copyCrate(Path.of("examples/hero_echo"), checkout);
        Files.writeString(checkout.resolve("src/main.rs"), "fn main() { this is not rust }\n");

        JsonNode answer = d.call("service.build", Map.of("name", "hero_echo"));
        assertThat(answer.at("/error/code").asInt()).isEqualTo(-32002);
        assertThat(answer.at("/error/message").asText()).contains("cargo build --profile release failed");
        JsonNode output = answer.at("/error/data/output");
        assertThat(output.isArray()).isTrue();
        assertThat(output.size()).isBetween(1, 200);
        assertThat(output.toString()).contains("error");
        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).get("repository_path").asText()).isEqualTo(checkout.toString());
        // the daemon keeps serving
        assertThat(d.result("service.list", null).isArray()).isTrue();
    }

    static void copyCrate(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.filter(p -> !from.relativize(p).toString().startsWith("target")).toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}

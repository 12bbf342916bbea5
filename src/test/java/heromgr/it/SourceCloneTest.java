package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import heromgr.testkit.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Source mode with no checkout: the repository is cloned from the forge's git remote (git's http-backend behind a
 * token check, over real HTTP), then built with cargo, installed, started and probed. The token goes in a header
 * only: never in the URL, the checkout's config, a log or an operation record.
 */
class SourceCloneTest {
    static final String TOKEN = "tok-3f9a1c7e55d2";

    /**
     * A service with the Hero defaults (repository lhumina_code/hero_echo, its checkout under $CODEROOT) but one role:
     * the example crate builds only hero_echo_server.
     */
    record ForgeService(String name) implements TestService {
        @Override
        public String repo() {
            return "lhumina_code/" + name;
        }
    }

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    GitForge forge;

    @BeforeEach
    void up() throws Exception {
        forge = new GitForge(Files.createDirectories(daemons.root().resolve("forge")), TOKEN);
        forge.publish("lhumina_code/hero_echo", Path.of("examples/hero_echo"));
    }

    @AfterEach
    void down() {
        forge.close();
    }

    TestDaemon daemon(String token) throws IOException {
        return daemons.start(List.of(new ForgeService("hero_echo")), Map.of("FORGEJO_URL", forge.url(), "FORGEJO_TOKEN", token));
    }

    @Test
    void aMissingCheckoutIsClonedThenBuiltInstalledStartedAndHealthy() throws IOException {
        TestDaemon d = daemon(TOKEN);
        Path checkout = d.paths.codeRoot().resolve("lhumina_code/hero_echo");
        JsonNode build = d.result("service.build", Map.of("name", "hero_echo"));
        assertThat(checkout.resolve("Cargo.toml")).isRegularFile();
        assertThat(checkout.resolve(".git")).isDirectory();
        assertThat(build.at("/binaries/0/path").asText()).endsWith("/hero_echo_server");
        assertThat(forge.authorizations).isNotEmpty().allMatch(("token " + TOKEN)::equals);
        assertThat(forge.paths).allMatch(p -> p.startsWith("/lhumina_code/hero_echo.git/"));

        d.result("service.install", Map.of("name", "hero_echo"));
        JsonNode started = d.result("service.start", Map.of("name", "hero_echo"));
        assertThat(started.get("healthy").asBoolean()).isTrue();
        assertThat(d.result("service.health", Map.of("name", "hero_echo")).get("ok").asBoolean()).isTrue();
        assertThat(d.result("service.verify", Map.of("name", "hero_echo")).get("ok").asBoolean()).isTrue();
        d.result("service.stop", Map.of("name", "hero_echo"));

        assertThat(Files.readString(checkout.resolve(".git/config"))).contains(forge.url()).doesNotContain(TOKEN);
        assertThat(filesHolding(d.home, TOKEN, checkout.resolve("target"))).isEmpty();
    }

    @Test
    void aRefusedCloneNamesTheUrlAndLeavesNoHalfCheckout() throws IOException {
        TestDaemon d = daemon("wrong-token");
        JsonNode e = d.call("service.build", Map.of("name", "hero_echo"));
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32002);
        assertThat(e.at("/error/message").asText()).contains("git clone of " + forge.url() + "/lhumina_code/hero_echo.git failed");
        assertThat(e.at("/error/data/output").toString()).doesNotContain("wrong-token");
        Path owner = d.paths.codeRoot().resolve("lhumina_code");
        assertThat(owner.resolve("hero_echo")).doesNotExist();
        try (Stream<Path> left = Files.list(owner)) {
            assertThat(left).isEmpty();
        }
        assertThat(forge.authorizations).isNotEmpty().allMatch("token wrong-token"::equals);
    }

    @Test
    void anExistingCheckoutIsUsedAsItIs() throws IOException {
        TestDaemon d = daemon(TOKEN);
        Path checkout = d.paths.codeRoot().resolve("lhumina_code/hero_echo");
        FailurePathsTest.copyCrate(Path.of("examples/hero_echo"), checkout);
        d.result("service.build", Map.of("name", "hero_echo"));
        assertThat(forge.paths).isEmpty();
        assertThat(checkout.resolve(".git")).doesNotExist();
    }

    /** Every file under dir (but not under skip) whose bytes contain secret. */
    static List<Path> filesHolding(Path dir, String secret, Path skip) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.startsWith(skip) && Files.isRegularFile(p) && contains(p, secret)).toList();
        }
    }

    private static boolean contains(Path file, String secret) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(secret);
        } catch (IOException e) {
            return false;   // a socket or a file gone meanwhile holds no secret
        }
    }
}

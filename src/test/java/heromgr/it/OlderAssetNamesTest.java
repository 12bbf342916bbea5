package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.FileDigest;
import heromgr.server.Daemon;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Releases cut before the Hero convention renamed {@code <svc>_ui} to {@code <svc>_admin}: the older asset is taken,
 * installed under the canonical name, and install, inspect and verify say which asset it was.
 */
class OlderAssetNamesTest {
    static final String SUFFIX = "-linux-amd64-musl";
    static final Instant PUBLISHED = Instant.parse("2026-10-01T12:00:00Z");

    /**
     * A server and an admin binary, as a Hero service with an admin role declares them. Installed only: hero_echo's binary
     * is no admin, and FleetEndToEndTest runs the fleet installed from such releases with the stand-in. Only the server
     * runs (TestService's one role): the "admin" here is hero_echo's dev build, which would take the server's socket.
     */
    record ServerAndAdmin(String name) implements TestService {
        @Override
        public String repo() {
            return "hero/" + name;
        }

        @Override
        public List<String> binaries() {
            return List.of(name + "_server", name + "_admin");
        }

    }

    /** The same class before it had an admin role: its server alone. */
    record ServerOnly(String name) implements TestService {
        @Override
        public String repo() {
            return "hero/" + name;
        }
    }

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    FakeForge forge;
    TestDaemon d;
    byte[] server;
    byte[] admin;

    @BeforeEach
    void up() throws IOException {
        server = Files.readAllBytes(EchoBinaries.release());
        admin = Files.readAllBytes(EchoBinaries.dev());
        forge = new FakeForge("hero/hero_echo");
        d = daemons.start(List.of(new ServerAndAdmin("hero_echo")),
                Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "3000"));
    }

    @AfterEach
    void down() {
        forge.close();
    }

    JsonNode install() {
        return d.call("service.install", Map.of("name", "hero_echo", "mode", "download"));
    }

    @Test
    void theOlderUiAssetIsInstalledAsTheAdminBinaryAndNamedEverywhere() throws IOException {
        String sums = FileDigest.sha256(bytesFile(admin)) + "  hero_echo_ui" + SUFFIX + "\n";
        forge.release("v0.3.2", PUBLISHED, Map.of("hero_echo_server" + SUFFIX, server, "hero_echo_ui" + SUFFIX, admin,
                "SHA256SUMS", sums.getBytes(StandardCharsets.UTF_8)));
        JsonNode r = install().get("result");
        assertThat(r.at("/assets/hero_echo_admin").asText()).isEqualTo("hero_echo_ui" + SUFFIX);
        assertThat(r.at("/assets/hero_echo_server").asText()).isEqualTo("hero_echo_server" + SUFFIX);
        assertThat(Files.readAllBytes(d.paths.bin().resolve("hero_echo_admin"))).isEqualTo(admin);
        assertThat(d.paths.bin().resolve("hero_echo_ui")).doesNotExist();

        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).at("/installed/assets/hero_echo_admin").asText())
                .isEqualTo("hero_echo_ui" + SUFFIX);
        JsonNode v = d.result("service.verify", Map.of("name", "hero_echo"));
        assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
        assertThat(v.at("/binaries/1/path").asText()).endsWith("/hero_echo_admin");
        assertThat(v.at("/binaries/1/asset").asText()).isEqualTo("hero_echo_ui" + SUFFIX);
    }

    @Test
    void theCanonicalNameWinsWhenTheReleaseCarriesBoth() throws IOException {
        forge.release("v0.4.0", PUBLISHED, Map.of("hero_echo_server" + SUFFIX, server, "hero_echo_admin" + SUFFIX, admin,
                "hero_echo_ui" + SUFFIX, server));
        JsonNode r = install().get("result");
        assertThat(r.at("/assets/hero_echo_admin").asText()).isEqualTo("hero_echo_admin" + SUFFIX);
        assertThat(Files.readAllBytes(d.paths.bin().resolve("hero_echo_admin"))).isEqualTo(admin);
        assertThat(forge.downloads).doesNotContainKey("hero_echo_ui" + SUFFIX);
    }

    @Test
    void aReleaseWithNeitherNameIsRefusedNamingBoth() {
        forge.release("v0.1.0", PUBLISHED, Map.of("hero_echo_server" + SUFFIX, server));
        JsonNode e = install();
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32008);
        assertThat(e.at("/error/message").asText()).contains("no asset hero_echo_admin" + SUFFIX)
                .contains("nor hero_echo_ui" + SUFFIX + ", its older name");
        assertThat(d.paths.bin().resolve("hero_echo_server")).doesNotExist();
    }

    /**
     * The class gained a binary since the tag was installed (a heromgr upgrade gave it its admin role): the same tag again
     * installs what is missing, though every binary the record names is in place.
     */
    @Test
    void aBinaryTheClassGainedSinceTheTagWasInstalledIsInstalled() throws IOException {
        forge.release("v0.4.0", PUBLISHED, Map.of("hero_echo_server" + SUFFIX, server, "hero_echo_admin" + SUFFIX, admin));
        TestDaemon before = daemons.start(List.of(new ServerOnly("hero_echo")),
                Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "3000"));
        before.result("service.install", Map.of("name", "hero_echo", "mode", "download"));
        before.daemon.close();
        before.daemon = Daemon.start(before.paths, null, List.of(new ServerAndAdmin("hero_echo")),
                Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "3000"));

        JsonNode r = before.result("service.install", Map.of("name", "hero_echo", "mode", "download"));
        assertThat(r.get("changed").asBoolean()).as(r.toString()).isTrue();
        assertThat(Files.readAllBytes(before.paths.bin().resolve("hero_echo_admin"))).isEqualTo(admin);
        JsonNode v = before.result("service.verify", Map.of("name", "hero_echo"));
        assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
    }

    private Path bytesFile(byte[] bytes) throws IOException {
        var f = daemons.root().resolve("asset-" + bytes.length);
        Files.write(f, bytes);
        return f;
    }
}

package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.FileDigest;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade of a service with two binaries whose release changed only one of them, and whose new server never turns
 * healthy: the rollback puts back what the previous install record names, the unchanged binary included, and the
 * service runs again on the old server.
 */
class RollbackSharedBinaryTest {
    static final String SUFFIX = "-linux-amd64-musl";
    static final String SERVER = "hero_echo_server" + SUFFIX;
    static final String ADMIN = "hero_echo_admin" + SUFFIX;
    @TempDir
    static Path fixtures;
    static byte[] broken;
    static byte[] release;
    static byte[] dev;

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    FakeForge forge;
    TestDaemon d;

    @BeforeAll
    static void binaries() throws IOException, InterruptedException {
        release = Files.readAllBytes(EchoBinaries.release());
        dev = Files.readAllBytes(EchoBinaries.dev());
        broken = EchoBinaries.neverHealthy(fixtures);
    }

    @BeforeEach
    void up() throws IOException {
        forge = new FakeForge("hero/hero_echo");
        // the admin binaries never run (TestService's one role is the server): any ELF tells them apart
        forge.release("v1.0.0", Instant.parse("2026-10-01T00:00:00Z"), Map.of(SERVER, release, ADMIN, dev));
        forge.release("v2.0.0", Instant.parse("2026-10-15T00:00:00Z"), Map.of(SERVER, dev, ADMIN, release));
        forge.release("v3.0.0-broken", Instant.parse("2026-11-01T00:00:00Z"), Map.of(SERVER, broken, ADMIN, release));
        d = daemons.start(List.of(new OlderAssetNamesTest.ServerAndAdmin("hero_echo")),
                Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "10000"));
    }

    @AfterEach
    void down() {
        forge.close();
    }

    JsonNode upgrade(String version) {
        return d.result("service.upgrade", Map.of("name", "hero_echo", "version", version, "timeout_ms", 3000));
    }

    static String sha(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String sha(Path file) throws IOException {
        return FileDigest.sha256(file);
    }

    @Test
    void theUnchangedBinaryIsNotAskedOfTheKeptCopies() throws Exception {
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v2.0.0"));
        d.result("service.start", Map.of("name", "hero_echo"));

        JsonNode up = upgrade("v3.0.0-broken");
        assertThat(up.get("rolled_back").asBoolean()).as(up.toString()).isTrue();
        assertThat(up.get("healthy").asBoolean()).isTrue();
        assertThat(sha(d.paths.bin().resolve("hero_echo_server"))).isEqualTo(sha(dev));
        assertThat(sha(d.paths.bin().resolve("hero_echo_admin"))).isEqualTo(sha(release));
        assertThat(d.result("service.verify", Map.of("name", "hero_echo")).get("ok").asBoolean()).isTrue();
    }

    @Test
    void aCopyKeptByAnOlderUpgradeIsNotPutBack() throws Exception {
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        d.result("service.start", Map.of("name", "hero_echo"));
        assertThat(upgrade("v2.0.0").get("healthy").asBoolean()).isTrue();

        JsonNode up = upgrade("v3.0.0-broken");
        assertThat(up.get("rolled_back").asBoolean()).as(up.toString()).isTrue();
        assertThat(up.get("healthy").asBoolean()).isTrue();
        assertThat(sha(d.paths.bin().resolve("hero_echo_server"))).isEqualTo(sha(dev));
        assertThat(sha(d.paths.bin().resolve("hero_echo_admin"))).as("v2's admin, not v1's").isEqualTo(sha(release));
        JsonNode verify = d.result("service.verify", Map.of("name", "hero_echo"));
        assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
    }
}

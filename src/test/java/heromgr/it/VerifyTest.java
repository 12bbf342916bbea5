package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** service.verify on a source install from a checkout under $CODEROOT: each failing point is named. */
class VerifyTest {
    /** Shared: after the first test's build, the others find fresh binaries and skip cargo. */
    @TempDir
    static Path targetDir;
    @RegisterExtension
    final DaemonExtension daemons = DaemonExtension.withDaemon(Services.all(), Map.of("CARGO_TARGET_DIR", targetDir.toString()));
    final TestDaemon d = daemons.daemon();
    Path checkout;

    @BeforeEach
    void up() throws IOException {
        checkout = d.paths.codeRoot().resolve("hero/hero_echo");
        FailurePathsTest.copyCrate(Path.of("examples/hero_echo"), checkout);
        d.result("service.build", Map.of("name", "hero_echo"));
        d.result("service.install", Map.of("name", "hero_echo"));
    }

    JsonNode verify() {
        return d.result("service.verify", Map.of("name", "hero_echo"));
    }

    @Test
    void aFreshInstallVerifies() {
        JsonNode v = verify();
        assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
        JsonNode b = v.at("/binaries/0");
        assertThat(b.get("present").asBoolean()).isTrue();
        assertThat(b.get("executable").asBoolean()).isTrue();
        assertThat(b.get("elf").asBoolean()).isTrue();
        assertThat(b.get("sha256").asText()).isEqualTo(b.get("expected_sha256").asText());
        assertThat(b.get("fresh").asBoolean()).isTrue();
        assertThat(v.get("problems")).isEmpty();
    }

    @Test
    void aChangedBinaryIsNamed() throws IOException {
        Path bin = d.paths.bin().resolve("hero_echo_server");
        Files.write(bin, new byte[]{0}, StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rw-r--r--"));
        JsonNode v = verify();
        assertThat(v.get("ok").asBoolean()).isFalse();
        assertThat(v.get("problems").toString()).contains("differs from the installed").contains("not executable");
    }

    @Test
    void aSourceNewerThanTheBinaryIsStale() throws IOException {
        Files.setLastModifiedTime(checkout.resolve("src/main.rs"), FileTime.from(Instant.now().plus(1, ChronoUnit.HOURS)));
        JsonNode v = verify();
        assertThat(v.get("ok").asBoolean()).isFalse();
        assertThat(v.at("/binaries/0/fresh").asBoolean()).isFalse();
        assertThat(v.get("problems").toString()).contains("older than its sources");
    }

    @Test
    void aMissingBinaryIsNamed() throws IOException {
        Files.delete(d.paths.bin().resolve("hero_echo_server"));
        JsonNode v = verify();
        assertThat(v.get("ok").asBoolean()).isFalse();
        assertThat(v.at("/binaries/0/present").asBoolean()).isFalse();
        assertThat(v.get("problems").toString()).contains("missing").contains("run `heromgr service install hero_echo`");
    }
}

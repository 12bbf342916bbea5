package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.service.OnnxRuntimeOverlay;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ONNX Runtime overlay on a real daemon against the test forge: installed once from its release asset (checked
 * against the release's SHA256SUMS), shared by two services, on their library path, shown by inspect and verify; a
 * bad or missing checksum is refused with nothing written to lib/ or bin/.
 */
class OnnxOverlayTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final OnnxRuntimeOverlay ORT = OnnxRuntimeOverlay.DEFAULT;
    private static final Instant PUBLISHED = Instant.parse("2026-11-01T12:00:00Z");

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    FakeForge forge;
    byte[] archive;
    byte[] library;

    @BeforeEach
    void up() throws IOException {
        forge = new FakeForge("test/ort_a");
        library = OverlayArchive.library();
        archive = OverlayArchive.of(ORT, library);
        byte[] binary = Files.readAllBytes(Path.of("/bin/true"));
        for (String svc : List.of("ort_a", "ort_b")) forge.release("test/" + svc, "v1.0.0", PUBLISHED, Map.of(svc + "_server-linux-amd64-musl", binary));
    }

    @AfterEach
    void down() {
        forge.close();
    }

    @Test
    void installedOnceSharedOnTheLibraryPathAndVerified() throws IOException {
        OverlayArchive.publish(forge, ORT, archive, OverlayArchive.sha256(archive), PUBLISHED);
        TestDaemon d = daemon();
        JsonNode early = d.call("service.start", Map.of("name", "ort_a")).get("error");
        assertThat(early.get("code").asInt()).isEqualTo(-32004);
        assertThat(early.get("message").asText()).contains("needs the ONNX Runtime 1.20.1 overlay", "heromgr service install ort_a");

        d.result("service.install", Map.of("name", "ort_a", "mode", "download"));
        Path lib = ORT.library(d.paths);
        assertThat(lib).isEqualTo(d.home.resolve("lib/onnxruntime/1.20.1/lib/libonnxruntime.so"));
        assertThat(Files.readAllBytes(lib)).isEqualTo(library);
        assertThat(Files.isSymbolicLink(lib)).isTrue();
        assertThat(d.home.resolve("lib/onnxruntime/1.20.1/include/onnxruntime_c_api.h")).exists();
        d.result("service.install", Map.of("name", "ort_b", "mode", "download"));
        assertThat(forge.downloads.get(ORT.asset()).get()).as("one download for both").isEqualTo(1);

        d.result("service.start", Map.of("name", "ort_a"));
        String log = MainLog.awaitContaining(d, "ort_a", "ORT_DYLIB_PATH=");
        assertThat(log).contains("ORT_DYLIB_PATH=" + lib, "LD_LIBRARY_PATH=" + lib.getParent());
        await().atMost(BOUND).until(() -> d.result("service.status", Map.of("name", "ort_a")).get("state").asText().equals("RUNNING"));

        JsonNode overlay = d.result("service.inspect", Map.of("name", "ort_a")).at("/overlays/0");
        assertThat(overlay.get("version").asText()).isEqualTo("1.20.1");
        assertThat(overlay.at("/installed/asset_sha256").asText()).isEqualTo(OverlayArchive.sha256(archive));
        assertThat(overlay.at("/installed/tag").asText()).isEqualTo("v1.20.1");
        JsonNode verified = d.result("service.verify", Map.of("name", "ort_b"));
        assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.get("binaries").findValuesAsText("path")).contains(lib.toString());

        Files.write(lib.toRealPath(), new byte[]{1, 2, 3}, StandardOpenOption.APPEND);
        JsonNode tampered = d.result("service.verify", Map.of("name", "ort_a"));
        assertThat(tampered.get("ok").asBoolean()).isFalse();
        assertThat(tampered.get("problems").toString()).contains("ONNX Runtime 1.20.1 overlay", "its install recorded");
        d.result("service.stop", Map.of("name", "ort_a"));
    }

    @Test
    void aBadChecksumIsRefusedWithNothingWritten() throws IOException {
        OverlayArchive.publish(forge, ORT, archive, "0".repeat(64), PUBLISHED);
        TestDaemon d = daemon();
        JsonNode bad = d.call("service.install", Map.of("name", "ort_a", "mode", "download")).get("error");
        assertThat(bad.get("code").asInt()).isEqualTo(-32009);
        assertThat(bad.get("message").asText()).contains(ORT.asset(), "the release's checksum says " + "0".repeat(64));
        assertThat(leftovers(d.home.resolve("lib"))).isEmpty();
        assertThat(d.paths.bin().resolve("ort_a_server")).doesNotExist();
        assertThat(d.call("service.start", Map.of("name", "ort_a")).get("error").get("code").asInt()).isEqualTo(-32004);
    }

    @Test
    void anOverlayWithoutAChecksumIsRefused() throws IOException {
        forge.release("lhumina_code/onnxruntime", ORT.tag(), PUBLISHED, Map.of(ORT.asset(), archive));
        TestDaemon d = daemon();
        JsonNode bad = d.call("service.install", Map.of("name", "ort_a", "mode", "download")).get("error");
        assertThat(bad.get("code").asInt()).isEqualTo(-32009);
        assertThat(bad.get("message").asText()).contains("has no checksum for " + ORT.asset());
        assertThat(leftovers(d.home.resolve("lib"))).isEmpty();
    }

    @Test
    void anArchiveWhoseLinksClimbOutIsRefusedWithNothingWrittenOutsideItsFolder() throws IOException {
        // unpacked in lib/onnxruntime/.1.20.1.unpacking: x leads to lib/onnxruntime, y to lib, z to the home (one more
        // would reach out of it; the home keeps what an unfixed daemon writes inside the test's folders)
        byte[] climbing = OverlayArchive.climbingOut(List.of("x", "y", "z"), "escaped");
        OverlayArchive.publish(forge, ORT, climbing, OverlayArchive.sha256(climbing), PUBLISHED);
        TestDaemon d = daemon();
        JsonNode refused = d.call("service.install", Map.of("name", "ort_a", "mode", "download")).get("error");
        assertThat(refused.get("code").asInt()).as(refused.toString()).isEqualTo(-32003);
        assertThat(refused.get("message").asText()).contains("lies under", "a link");
        assertThat(d.home.resolve("escaped")).doesNotExist();
        for (Path planted : List.of(d.home.resolve("lib/onnxruntime/y"), d.home.resolve("lib/z"))) {
            assertThat(Files.exists(planted, LinkOption.NOFOLLOW_LINKS)).as(planted.toString()).isFalse();
        }
        assertThat(leftovers(d.home.resolve("lib"))).isEmpty();
    }

    private TestDaemon daemon() throws IOException {
        return daemons.start(List.of(new OnnxUser("ort_a"), new OnnxUser("ort_b")),
                Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "5000"));
    }




    private static List<Path> leftovers(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}

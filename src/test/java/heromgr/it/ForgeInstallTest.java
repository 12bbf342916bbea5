package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.FileDigest;
import heromgr.services.Services;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** service.install mode download against a forge served in the test, with real hero_echo builds as assets. */
class ForgeInstallTest {
    static final String ASSET = EchoReleases.ASSET;
    static final Instant V1_TIME = EchoReleases.V1_TIME;
    static final Instant V2_TIME = EchoReleases.V2_TIME;

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    FakeForge forge;
    TestDaemon d;
    byte[] v1;
    byte[] v2;

    @BeforeEach
    void up() throws IOException {
        var releases = EchoReleases.open();
        forge = releases.forge();
        v1 = releases.v1();
        v2 = releases.v2();
        d = daemon(Map.of());
    }

    TestDaemon daemon(Map<String, String> extra) throws IOException {
        var env = new HashMap<>(Map.of("FORGEJO_URL", forge.url(), "HEROMGR_FORGE_TIMEOUT_MS", "3000"));
        env.putAll(extra);
        return daemons.start(Services.all(), env);
    }

    @AfterEach
    void down() throws IOException {
        forge.close();
    }

    Path installed() {
        return d.paths.bin().resolve("hero_echo_server");
    }

    JsonNode install(Map<String, Object> extra) {
        var params = new HashMap<String, Object>(Map.of("name", "hero_echo", "mode", "download"));
        params.putAll(extra);
        return d.call("service.install", params);
    }

    @Test
    void installsTheLatestReleaseVerifiedAndAtomically() throws IOException {
        JsonNode r = install(Map.of()).get("result");
        assertThat(r.get("version").asText()).isEqualTo("v2.0.0");
        assertThat(r.get("changed").asBoolean()).isTrue();
        assertThat(r.get("mode").asText()).isEqualTo("download");
        assertThat(Files.readAllBytes(installed())).isEqualTo(v2);
        assertThat(r.at("/installed/0/sha256").asText()).isEqualTo(FileDigest.sha256(installed()));
        assertThat(Files.isExecutable(installed())).isTrue();
        assertThat(Files.getLastModifiedTime(installed()).toInstant()).isEqualTo(V2_TIME);
        assertThat(binDir()).containsExactly("hero_echo_server");
        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).at("/installed/version").asText()).isEqualTo("v2.0.0");
    }

    @Test
    void theVersionAlreadyInPlaceDownloadsNothingAndTouchesNothing() throws IOException {
        install(Map.of("version", "v1.0.0"));
        var mtime = Files.getLastModifiedTime(installed());
        var inode = Files.getAttribute(installed(), "unix:ino");
        JsonNode again = install(Map.of("version", "v1.0.0")).get("result");
        assertThat(again.get("changed").asBoolean()).isFalse();
        assertThat(forge.downloads.get(ASSET).get()).isEqualTo(1);
        assertThat(Files.getLastModifiedTime(installed())).isEqualTo(mtime);
        assertThat(Files.getAttribute(installed(), "unix:ino")).isEqualTo(inode);
    }

    @Test
    void aNewVersionKeepsThePreviousBinariesForRollback() throws IOException {
        install(Map.of("version", "v1.0.0"));
        JsonNode r = install(Map.of("version", "v2.0.0")).get("result");
        assertThat(r.get("changed").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(installed())).isEqualTo(v2);
        Path kept = d.paths.state().resolve("previous/hero_echo/hero_echo_server");
        assertThat(Files.readAllBytes(kept)).isEqualTo(v1);
    }

    @Test
    void anUnknownTagIsRefusedAndNothingChanges() throws IOException {
        install(Map.of("version", "v1.0.0"));
        JsonNode e = install(Map.of("version", "v9.9.9"));
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32008);
        assertThat(e.at("/error/message").asText()).contains("v9.9.9").contains("not found");
        assertThat(Files.readAllBytes(installed())).isEqualTo(v1);
    }

    @Test
    void aMissingAssetIsNamed() {
        forge.release("v3.0.0", V2_TIME, Map.of("hero_echo_server-linux-arm64-musl", v1));
        JsonNode e = install(Map.of());
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32008);
        assertThat(e.at("/error/message").asText()).contains("has no asset " + ASSET).contains("linux-arm64");
        assertThat(d.paths.bin().resolve("hero_echo_server")).doesNotExist();
    }

    @Test
    void aNonElfAssetFailsVerificationAndLeavesNoTempFile() throws IOException {
        install(Map.of("version", "v1.0.0"));
        forge.release("v3.0.0", V2_TIME, Map.of(ASSET, "#!/bin/sh\necho not a binary\n".getBytes(StandardCharsets.UTF_8)));
        JsonNode e = install(Map.of());
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32009);
        assertThat(e.at("/error/message").asText()).contains("not an ELF binary");
        assertThat(Files.readAllBytes(installed())).isEqualTo(v1);
        assertThat(binDir()).containsExactly("hero_echo_server");
    }

    @Test
    void aChecksumAssetIsEnforced() throws IOException {
        String wrong = "0".repeat(64);
        forge.release("v3.0.0", V2_TIME, Map.of(ASSET, v2, "SHA256SUMS", (wrong + "  " + ASSET + "\n").getBytes(StandardCharsets.UTF_8)));
        JsonNode e = install(Map.of());
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32009);
        assertThat(e.at("/error/message").asText()).contains("checksum").contains(wrong);
        assertThat(d.paths.bin().resolve("hero_echo_server")).doesNotExist();

        String right = FileDigest.sha256(EchoBinaries.dev());
        forge.release("v3.0.1", V2_TIME, Map.of(ASSET, v2, ASSET + ".sha256", (right + "\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(install(Map.of()).at("/result/version").asText()).isEqualTo("v3.0.1");
    }

    /**
     * An {@code <asset>.sha256} is that asset's checksum whatever path its line names (CI writes it as sha256sum printed
     * it, for the build's own path), and one holding no sha256 at all does not let the asset through unchecked.
     */
    @ParameterizedTest
    @ValueSource(strings = {"%s  target/x86_64-unknown-linux-musl/release/hero_echo_server\n", "%s *hero_echo_server\n", "sha256: unknown\n"})
    void aChecksumAssetOfTheAssetIsEnforcedWhateverFileItsLineNames(String line) throws IOException {
        String wrong = "0".repeat(64);
        forge.release("v3.0.0", V2_TIME, Map.of(ASSET, v2, ASSET + ".sha256", line.formatted(wrong).getBytes(StandardCharsets.UTF_8)));
        JsonNode e = install(Map.of());
        assertThat(e.at("/error/code").asInt()).as(e.toString()).isEqualTo(-32009);
        assertThat(e.at("/error/message").asText()).contains(ASSET).contains("checksum");
        assertThat(d.paths.bin().resolve("hero_echo_server")).doesNotExist();

        if (!line.contains("%s")) return;
        String right = FileDigest.sha256(EchoBinaries.dev());
        forge.release("v3.0.1", V2_TIME, Map.of(ASSET, v2, ASSET + ".sha256", line.formatted(right).getBytes(StandardCharsets.UTF_8)));
        assertThat(install(Map.of()).at("/result/version").asText()).isEqualTo("v3.0.1");
    }

    @Test
    void aConnectionCutMidBodyChangesNothing() throws IOException {
        install(Map.of("version", "v1.0.0"));
        forge.cutAsset = ASSET;
        JsonNode e = install(Map.of("version", "v2.0.0"));
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32008);
        assertThat(Files.readAllBytes(installed())).isEqualTo(v1);
        assertThat(binDir()).containsExactly("hero_echo_server");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "{}", "{\"message\":\"ok\"}",
            "{\"tag_name\":\"v3.0.0\",\"assets\":[{\"name\":\"hero_echo_server-linux-amd64-musl\"}]}",
            "{\"tag_name\":\"v3.0.0\",\"assets\":[{\"name\":\"hero_echo_server-linux-amd64-musl\",\"browser_download_url\":\"::\"}]}"})
    void aReleaseAnswerThatIsNoReleaseIsADownloadFailureNamingIt(String answer) throws IOException {
        install(Map.of("version", "v1.0.0"));
        forge.releaseAnswer = answer;
        JsonNode e = install(Map.of());
        assertThat(e.at("/error/code").asInt()).as(e.toString()).isEqualTo(-32008);
        assertThat(e.at("/error/message").asText()).contains("hero/hero_echo latest release: the forge answered no release");
        assertThat(Files.readAllBytes(installed())).isEqualTo(v1);
        assertThat(binDir()).containsExactly("hero_echo_server");
    }

    @Test
    void aTruncatedDownloadIsRefusedByTheSizeTheReleaseNames() throws IOException {
        install(Map.of("version", "v1.0.0"));
        forge.truncatedAsset = ASSET;
        JsonNode e = install(Map.of("version", "v2.0.0"));
        assertThat(e.at("/error/code").asInt()).as(e.toString()).isEqualTo(-32008);
        assertThat(e.at("/error/message").asText()).contains("download of " + ASSET)
                .contains((v2.length / 2) + " bytes").contains(v2.length + " bytes");
        assertThat(Files.readAllBytes(installed())).isEqualTo(v1);
        assertThat(binDir()).containsExactly("hero_echo_server");
    }

    @Test
    void aStalledDownloadTimesOut() throws IOException {
        forge.stallAsset = ASSET;
        JsonNode e = install(Map.of());
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32008);
        assertThat(e.at("/error/message").asText()).contains("within 3000 ms");
        assertThat(binDir()).isEmpty();
        assertThat(d.result("service.list", null).isArray()).isTrue();
    }

    @Test
    void aForgeThatWantsATokenGetsFORGEJO_TOKEN() throws IOException {
        forge.requiredToken = "s3cret";
        JsonNode e = install(Map.of());
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32008);
        assertThat(e.at("/error/message").asText()).contains("401").contains("FORGEJO_TOKEN is not set");
        d.close();
        d = daemon(Map.of("FORGEJO_TOKEN", "s3cret"));
        assertThat(install(Map.of()).at("/result/version").asText()).isEqualTo("v2.0.0");
    }

    @Test
    void theTokenGoesToTheForgeAloneNotToAnAssetLinkedElsewhere() throws IOException {
        // a release's asset may link to another host (an attachment's external URL); the token is the forge's
        try (var elsewhere = new FakeForge(forge.repo)) {
            elsewhere.repos.putAll(forge.repos);
            forge.assetsAt = elsewhere.url();
            forge.requiredToken = "s3cret";
            d.close();
            d = daemon(Map.of("FORGEJO_TOKEN", "s3cret"));
            assertThat(install(Map.of()).at("/result/version").asText()).isEqualTo("v2.0.0");
            assertThat(elsewhere.downloads.get(ASSET).get()).isEqualTo(1);
            assertThat(forge.authorizations).isNotEmpty().allSatisfy(a -> assertThat(a).endsWith(" token s3cret"));
            assertThat(elsewhere.authorizations).isEmpty();
        }
    }

    @Test
    void tempFilesLeftByAKilledDaemonAreSweptAtStart() throws IOException {
        Files.createDirectories(d.paths.bin());
        Path leftover = d.paths.bin().resolve(".hero_echo_server.8812.tmp");
        Files.write(leftover, new byte[]{0x7f, 'E'});
        d.restart();
        assertThat(leftover).doesNotExist();
    }

    List<String> binDir() throws IOException {
        if (!Files.isDirectory(d.paths.bin())) return List.of();
        try (Stream<Path> s = Files.list(d.paths.bin())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

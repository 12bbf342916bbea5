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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's API where it differed from ours: rpc.health, service.start with reset and version, service.install with reset. */
class SeedApiTest {
    static final String ASSET = EchoReleases.ASSET;

    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();
    FakeForge forge;
    TestDaemon d;
    byte[] v1;

    @BeforeEach
    void up() throws IOException {
        var releases = EchoReleases.open();
        forge = releases.forge();
        v1 = releases.v1();
        d = daemons.start(Services.all(), releases.env());
    }

    @AfterEach
    void down() {
        forge.close();
    }

    JsonNode start(Map<String, Object> extra) {
        var params = new HashMap<String, Object>(Map.of("name", "hero_echo"));
        params.putAll(extra);
        return d.result("service.start", params);
    }

    long pid() {
        return d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/pid").asLong();
    }

    Path installed() {
        return d.paths.bin().resolve("hero_echo_server");
    }

    @Test
    void rpcHealthAnswersForTheDaemon() {
        JsonNode h = d.result("rpc.health", Map.of());
        assertThat(h.get("ok").asBoolean()).isTrue();
        assertThat(h.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(h.get("services").asInt()).isEqualTo(Services.all().size());
        assertThat(h.get("running").asInt()).isZero();
        assertThat(d.call("rpc.health", Map.of("name", "x")).at("/error/code").asInt()).isEqualTo(-32602);
    }

    @Test
    void startWithAVersionInstallsItFirstAndOnlyWhenItIsNotInstalled() throws IOException {
        JsonNode first = start(Map.of("version", "v1.0.0"));
        assertThat(first.get("installed").asText()).isEqualTo("v1.0.0");
        assertThat(first.get("healthy").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(installed())).isEqualTo(v1);
        long pid = pid();
        assertThat(d.result("rpc.health", Map.of()).get("running").asInt()).isEqualTo(1);

        JsonNode same = start(Map.of("version", "v1.0.0"));
        assertThat(same.get("installed").isNull()).isTrue();
        assertThat(same.get("already_running")).hasSize(1);
        assertThat(pid()).isEqualTo(pid);
        assertThat(forge.downloads.get(ASSET).get()).isEqualTo(1);

        // a running service whose binaries were replaced starts again on the new ones
        JsonNode newer = start(Map.of("version", "v2.0.0"));
        assertThat(newer.get("installed").asText()).isEqualTo("v2.0.0");
        assertThat(newer.get("started")).hasSize(1);
        assertThat(pid()).isNotEqualTo(pid);
        assertThat(FileDigest.sha256(installed())).isEqualTo(FileDigest.sha256(EchoBinaries.dev()));
        assertThat(d.result("service.status", Map.of("name", "hero_echo")).get("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void anInstanceStartedWithTheVersionItsClassHasInstalledAsksNoForge() {
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        forge.close();
        JsonNode b = d.result("service.start", Map.of("name", "hero_echo@b", "version", "v1.0.0"));
        assertThat(b.get("installed").isNull()).as(b.toString()).isTrue();
        assertThat(b.get("healthy").asBoolean()).isTrue();
        d.result("service.stop", Map.of("name", "hero_echo@b"));
    }

    @Test
    void anUnknownVersionIsRefusedAndNothingStarts() {
        JsonNode e = d.call("service.start", Map.of("name", "hero_echo", "version", "v9.9.9"));
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32008);
        assertThat(e.at("/error/message").asText()).contains("v9.9.9");
        assertThat(d.result("service.status", Map.of("name", "hero_echo")).get("state").asText()).isEqualTo("STOPPED");
    }

    @Test
    void startWithResetStopsWhatRunsAndStartsAfresh() {
        start(Map.of("version", "v1.0.0"));
        long pid = pid();
        JsonNode plain = start(Map.of());
        assertThat(plain.get("reset").asBoolean()).isFalse();
        assertThat(pid()).isEqualTo(pid);

        JsonNode reset = start(Map.of("reset", true));
        assertThat(reset.get("reset").asBoolean()).isTrue();
        assertThat(reset.get("started")).hasSize(1);
        assertThat(reset.get("already_running")).isEmpty();
        assertThat(reset.get("healthy").asBoolean()).isTrue();
        assertThat(pid()).isNotEqualTo(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(d.result("service.status", Map.of("name", "hero_echo")).at("/actions/0/restarts").asInt(0)).isZero();
    }

    @Test
    void installWithResetStartsOverWithoutTheEarlierInstall() throws IOException {
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v2.0.0"));
        Path kept = d.paths.state().resolve("previous/hero_echo");
        assertThat(kept.resolve("record.json")).isRegularFile();

        // the same version again: without reset nothing is written, with reset every binary is, and nothing is kept
        assertThat(d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v2.0.0"))
                .get("changed").asBoolean()).isFalse();
        JsonNode r = d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v2.0.0", "reset", true));
        assertThat(r.get("changed").asBoolean()).isTrue();
        assertThat(kept).doesNotExist();
        assertThat(d.result("service.inspect", Map.of("name", "hero_echo")).at("/installed/version").asText()).isEqualTo("v2.0.0");
        assertThat(d.result("service.verify", Map.of("name", "hero_echo")).get("ok").asBoolean()).isTrue();
    }

    @Test
    void installWithResetOfAnInstanceStartsItsClassOver() {
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v1.0.0"));
        d.result("service.start", Map.of("name", "hero_echo@b"));
        d.result("service.install", Map.of("name", "hero_echo", "mode", "download", "version", "v2.0.0"));
        Path kept = d.paths.state().resolve("previous/hero_echo");
        assertThat(kept.resolve("record.json")).isRegularFile();

        JsonNode r = d.result("service.install", Map.of("name", "hero_echo@b", "mode", "download", "version", "v2.0.0", "reset", true));
        assertThat(r.get("changed").asBoolean()).isTrue();
        assertThat(kept).as("the rollback copies of the class the instance's binaries are").doesNotExist();
        assertThat(d.result("service.verify", Map.of("name", "hero_echo@b")).get("ok").asBoolean()).isTrue();
        d.result("service.stop", Map.of("name", "hero_echo@b"));
    }
}

package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.FileTree;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `heromgr self upgrade` of an installed bundle against a forge (FakeForge as lhumina_code/heromgr) holding the same
 * bundle repacked as two more versions, a good one and a broken one (its jar damaged: its daemon never answers),
 * and a release whose checksum does not match. A service keeps running with the same pid throughout, although the
 * daemon runs with --stop-services-on-exit: the upgrade stops it as one being replaced.
 */
class SelfUpgradeIT {
    @Test
    void upgradesSwitchesAndRollsBackWhileTheServiceKeepsItsPid() throws Exception {
        try (var bundle = InstalledBundle.unpackAndInstall(); var forge = new FakeForge("lhumina_code/heromgr")) {
            Path work = bundle.dir.resolve("releases");
            byte[] good = repack(bundle.unpacked, work, "0.2.0", false);
            byte[] broken = repack(bundle.unpacked, work, "0.3.0", true);
            release(forge, "v0.2.0", "0.2.0", good, sha256(good));
            release(forge, "v0.3.0", "0.3.0", broken, sha256(broken));
            release(forge, "v0.4.0", "0.4.0", good, "0".repeat(64));
            FileTree.delete(work);
            bundle.extraEnv.put("FORGEJO_URL", forge.url());

            // the strictest daemon: it stops its services when stopped, except when stopped to be replaced
            bundle.run("daemon", "start", "--stop-services-on-exit").expect(0);
            long firstDaemon = bundle.daemonPid();
            bundle.run("run", "--name", "sleeper", "--", "/bin/sleep", "600").expect(0);
            long sleeper = bundle.servicePid("sleeper");

            assertThat(bundle.run("self", "upgrade", "--version", "v0.4.0").expect(1).err()).contains("sha256").contains("nothing was switched");
            assertThat(current(bundle)).isEqualTo(bundle.version);
            assertThat(bundle.daemonPid()).as("the daemon was left alone").isEqualTo(firstDaemon);

            upgradeSwitchesAndTheNewDaemonAdoptsTheService(bundle, firstDaemon, sleeper);
            aBrokenUpgradeIsRolledBack(bundle, sleeper);
            assertThat(steps(bundle.rpc("service.ops", "{\"name\":\"heromgr\"}"))).as("newest first")
                    .containsExactly("heromgr.rollback 0.2.0 ok", "heromgr.upgrade 0.3.0 ok", "heromgr.upgrade 0.2.0 ok");
            bundle.run("stop", "sleeper").expect(0);
        }
    }

    private static void upgradeSwitchesAndTheNewDaemonAdoptsTheService(InstalledBundle bundle, long oldDaemon, long sleeper) throws Exception {
        assertThat(bundle.run("self", "upgrade", "--version", "v0.2.0").expect(0).out()).contains(bundle.version + " -> 0.2.0");
        assertThat(current(bundle)).isEqualTo("0.2.0");
        long daemon = bundle.daemonPid();
        assertThat(daemon).isNotEqualTo(oldDaemon);
        assertThat(InstalledBundle.command(daemon)).isEqualTo(bundle.home.resolve("lib/heromgr/0.2.0/runtime/bin/java").toString());
        assertThat(bundle.servicePid("sleeper")).as("the service, adopted by the new daemon").isEqualTo(sleeper);
        assertThat(ProcessHandle.of(daemon).flatMap(h -> h.info().arguments()).map(List::of).orElseThrow())
                .as("the new daemon keeps the old one's options").contains("--stop-services-on-exit");
        assertThat(installed(bundle)).as("the previous version kept for a rollback").containsExactlyInAnyOrder(bundle.version, "0.2.0");
    }

    private static void aBrokenUpgradeIsRolledBack(InstalledBundle bundle, long sleeper) throws Exception {
        String rolledBack = bundle.run("self", "upgrade", "--version", "v0.3.0").expect(1).err();
        assertThat(rolledBack).contains("rolled back").contains("the daemon of 0.3.0 exited");
        assertThat(current(bundle)).isEqualTo("0.2.0");
        assertThat(InstalledBundle.command(bundle.daemonPid())).isEqualTo(bundle.home.resolve("lib/heromgr/0.2.0/runtime/bin/java").toString());
        assertThat(bundle.servicePid("sleeper")).isEqualTo(sleeper);
        assertThat(installed(bundle)).doesNotContain("0.3.0");
        JsonNode rollback = bundle.rpc("service.ops", "{\"name\":\"heromgr\",\"limit\":1}").get(0);
        assertThat(rollback.path("params").path("reason").asText()).contains("exited");
    }

    /** Each operation as "method to-version outcome". */
    private static List<String> steps(JsonNode ops) {
        List<String> steps = new ArrayList<>();
        ops.forEach(op -> steps.add(op.path("method").asText() + " " + op.path("params").path("to").asText() + " " + op.path("outcome").asText()));
        return steps;
    }

    /** The installed bundle's folder copied as another version: VERSION changed, the jar damaged when broken. */
    static byte[] repack(Path unpacked, Path work, String version, boolean broken) throws Exception {
        Path copy = work.resolve("heromgr-" + version);
        Files.createDirectories(work);
        InstalledBundle.exec(List.of("cp", "-a", unpacked.toString(), copy.toString()), Map.of(), 120).expect(0);
        Files.writeString(copy.resolve("VERSION"), version + "\n");
        if (broken) Files.write(copy.resolve("heromgr.jar"), "not a jar".getBytes());
        Path archive = work.resolve("heromgr-" + version + "-linux-amd64.tar.gz");
        InstalledBundle.exec(List.of("tar", "--format=ustar", "-C", work.toString(), "-czf", archive.toString(), copy.getFileName().toString()),
                Map.of(), 120).expect(0);
        return Files.readAllBytes(archive);
    }

    static void release(FakeForge forge, String tag, String version, byte[] bundle, String sha256) {
        String asset = "heromgr-" + version + "-linux-amd64.tar.gz";
        forge.release(tag, Instant.parse("2026-01-01T00:00:00Z"), Map.of(asset, bundle, asset + ".sha256",
                (sha256 + "  " + asset + "\n").getBytes()));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String current(InstalledBundle bundle) throws IOException {
        return bundle.home.resolve("lib/heromgr").relativize(bundle.launcher().toRealPath()).getName(0).toString();
    }

    private static List<String> installed(InstalledBundle bundle) throws IOException {
        try (var all = Files.list(bundle.home.resolve("lib/heromgr"))) {
            return all.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        }
    }
}

package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.fs.JsonCodec;
import heromgr.testkit.FileTree;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bundle under a real systemd (PID 1 of a throwaway machine, {@link SystemdMachine}), as an operator runs it:
 * `self unit --system --install`, `systemctl enable --now` (which returns only once the daemon said READY=1, and it
 * says so only once it answers), a service started, `systemctl restart` that leaves the service's pid alone, then
 * `self upgrade` through systemctl, to a good version and to a broken one rolled back, the service's pid unchanged
 * and systemd never restarting a daemon on its own (NRestarts 0: no second daemon raced the one the upgrade started),
 * the rollback starting the old one again though the unit's starts are at systemd's start limit;
 * then a hung daemon, killed by the watchdog and started again, which adopts the service.
 */
class SystemdBootIT {
    private static final String UNIT = "heromgr.service";
    private static final Map<String, String> HOME = Map.of("HERO_HOME", "/srv/hero");
    private static final String HEROMGR = "/srv/hero/bin/heromgr";

    @Test
    void theUnitKeepsTheDaemonUpAndTheUpgradeGoesThroughSystemctl() throws Exception {
        SystemdMachine.cannotBoot().ifPresent(reason -> Assumptions.abort("no systemd machine here: " + reason));
        Path archive = InstalledBundle.archive();
        String version = archive.getFileName().toString().replaceAll("^heromgr-|-linux-amd64\\.tar\\.gz$", "");
        Path work = Files.createTempDirectory("heromgr-systemd-it");
        try (var forge = new FakeForge("lhumina_code/heromgr"); var machine = SystemdMachine.boot(archive.getParent())) {
            InstalledBundle.exec(List.of("tar", "-xzf", archive.toString(), "-C", work.toString()), Map.of(), 120).expect(0);
            Path unpacked = work.resolve("heromgr-" + version);
            byte[] good = SelfUpgradeIT.repack(unpacked, work.resolve("r"), "0.2.0", false);
            byte[] broken = SelfUpgradeIT.repack(unpacked, work.resolve("r"), "0.3.0", true);
            SelfUpgradeIT.release(forge, "v0.2.0", "0.2.0", good, SelfUpgradeIT.sha256(good));
            SelfUpgradeIT.release(forge, "v0.3.0", "0.3.0", broken, SelfUpgradeIT.sha256(broken));

            machine.run(Map.of(), "mkdir", "-p", "/srv/unpacked").expect(0);
            machine.run(Map.of(), "tar", "-xzf", SystemdMachine.DIST.resolve(archive.getFileName()).toString(), "-C", "/srv/unpacked").expect(0);
            machine.run(HOME, "/srv/unpacked/heromgr-" + version + "/bin/heromgr", "self", "install").expect(0);
            assertThat(machine.run(HOME, HEROMGR, "self", "unit", "--system", "--install").expect(0).out())
                    .contains("systemctl daemon-reload && systemctl enable --now heromgr.service");
            machine.run(Map.of(), "systemctl", "daemon-reload").expect(0);
            machine.run(Map.of(), "systemctl", "enable", "--now", UNIT).expect(0);
            JsonNode health = health(machine);
            assertThat(health.path("systemd_unit").asText()).isEqualTo(UNIT);
            assertThat(machine.property(UNIT, "ActiveState")).isEqualTo("active");
            assertThat(machine.property(UNIT, "MainPID")).isEqualTo(health.path("pid").asText());

            machine.run(HOME, HEROMGR, "run", "--name", "sleeper", "--", "/bin/sleep", "600").expect(0);
            long sleeper = sleeperPid(machine);
            machine.run(Map.of(), "systemctl", "restart", UNIT).expect(0);
            long restarted = health(machine).path("pid").asLong();
            assertThat(restarted).isNotEqualTo(health.path("pid").asLong());
            assertThat(sleeperPid(machine)).as("the service across systemctl restart").isEqualTo(sleeper);

            Map<String, String> upgrade = Map.of("HERO_HOME", "/srv/hero", "FORGEJO_URL", forge.url());
            assertThat(machine.run(upgrade, HEROMGR, "self", "upgrade", "--version", "v0.2.0").expect(0).out())
                    .contains("through /usr/bin/systemctl (heromgr.service)").contains(version + " -> 0.2.0");
            assertThat(machine.run(Map.of(), "readlink", "/proc/" + machine.property(UNIT, "MainPID") + "/exe").expect(0).out().strip())
                    .isEqualTo("/srv/hero/lib/heromgr/0.2.0/runtime/bin/java");
            assertThat(sleeperPid(machine)).as("the service across the upgrade").isEqualTo(sleeper);
            assertThat(machine.property(UNIT, "NRestarts")).as("systemd restarted nothing on its own").isEqualTo("0");

            // systemd refuses a sixth start within 10 s of the first (StartLimitBurst=5), manual ones included: from a
            // flushed count, three restarts, the broken daemon's start and systemd's restart of it leave the rollback's
            // start the sixth (on a machine quick enough to do them within 10 s), and it must still start 0.2.0
            machine.run(Map.of(), "systemctl", "reset-failed", UNIT).expect(0);
            for (int i = 0; i < 3; i++) machine.run(Map.of(), "systemctl", "restart", UNIT).expect(0);
            String rolledBack = machine.run(upgrade, HEROMGR, "self", "upgrade", "--version", "v0.3.0", "--timeout-ms", "30000").expect(1).err();
            assertThat(rolledBack).contains("rolled back").containsPattern("the daemon of 0\\.2\\.0 \\(pid \\d+\\) answers again");
            assertThat(machine.run(Map.of(), "readlink", "/proc/" + machine.property(UNIT, "MainPID") + "/exe").expect(0).out().strip())
                    .isEqualTo("/srv/hero/lib/heromgr/0.2.0/runtime/bin/java");
            assertThat(machine.property(UNIT, "ActiveState")).isEqualTo("active");
            assertThat(sleeperPid(machine)).as("the service across the rollback").isEqualTo(sleeper);

            // a hung daemon (stopped: it neither answers nor pets the watchdog) is killed by systemd and started again;
            // the new one adopts the service (WatchdogSec=30s, then TimeoutAbortSec=10s, RestartSec=2s: well within the bound)
            String hung = machine.property(UNIT, "MainPID");
            int restarts = Integer.parseInt(machine.property(UNIT, "NRestarts"));
            machine.run(Map.of(), "kill", "-STOP", hung).expect(0);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    !machine.property(UNIT, "MainPID").equals(hung) && machine.run(HOME, HEROMGR, "status", "sleeper").code() == 0);
            assertThat(machine.property(UNIT, "NRestarts")).as("one restart, the watchdog's").isEqualTo(Integer.toString(restarts + 1));
            assertThat(health(machine).path("pid").asText()).isEqualTo(machine.property(UNIT, "MainPID"));
            assertThat(sleeperPid(machine)).as("the service across the watchdog's restart").isEqualTo(sleeper);
        } finally {
            FileTree.delete(work);
        }
    }

    private static JsonNode health(SystemdMachine machine) throws Exception {
        return JsonCodec.MAPPER.readTree(machine.run(HOME, "curl", "-sf", "--unix-socket", "/srv/hero/var/sockets/heromgr/service.sock",
                "http://heromgr/health").expect(0).out());
    }

    private static long sleeperPid(SystemdMachine machine) throws Exception {
        String status = machine.run(HOME, HEROMGR, "rpc", "service.status", "{\"name\":\"sleeper\"}", "--json").expect(0).out();
        return JsonCodec.MAPPER.readTree(status).path("actions").get(0).path("pid").asLong();
    }
}

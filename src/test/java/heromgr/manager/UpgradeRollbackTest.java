package heromgr.manager;

import heromgr.api.InstallMode;
import heromgr.manager.Results.DeployResult;
import heromgr.manager.Results.ServiceSummary;
import heromgr.manager.Results.UpgradeResult;
import heromgr.testkit.ApiFailure;
import heromgr.testkit.InMemorySupervisor.Outcome;
import heromgr.testkit.ManagerFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * upgrade and deploy, on the manager alone with the real installer: a new version that fails to start or to turn
 * healthy is rolled back to the one before (its files, its record, a running service), an install that fails touches
 * nothing, and a deploy stops at the step that fails. "app" runs v1 before each test.
 */
class UpgradeRollbackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    final ManagerFixture fx = new ManagerFixture(ReleasedService.of("app"), ReleasedService.of("fresh"));
    /** The supervisor's starts and stops before the step a test looks at. */
    int before;

    @BeforeEach
    void runV1() {
        fx.manager.install("app", InstallMode.DOWNLOAD, "v1", false, null);
        fx.manager.start("app", true, TIMEOUT, false);
        before = fx.supervisor.changes().size();
    }

    /** The starts and stops since {@link #runV1}. */
    List<String> changes() {
        List<String> all = fx.supervisor.changes();
        return all.subList(before, all.size());
    }

    String binary(String name) throws IOException {
        return Files.readString(fx.paths.bin().resolve(name + "_server"), StandardCharsets.ISO_8859_1);
    }

    ServiceSummary listed(String name) {
        return fx.manager.list().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    long pid() {
        return fx.manager.status("app").actions().getFirst().pid();
    }

    @Test
    void aHealthyNewVersionIsUpgradedTo() throws IOException {
        UpgradeResult r = fx.manager.upgrade("app", "v2", TIMEOUT, null);
        assertThat(r.from()).isEqualTo("v1");
        assertThat(r.to()).isEqualTo("v2");
        assertThat(r.changed()).isTrue();
        assertThat(r.rolledBack()).isFalse();
        assertThat(r.healthy()).isTrue();
        assertThat(binary("app")).contains("v2");
        assertThat(listed("app").version()).isEqualTo("v2");
        assertThat(changes()).containsExactly("stop app", "start app");
    }

    @Test
    void aNewVersionThatCrashesIsRolledBackAndTheOldOneRunsAgain() throws IOException {
        fx.supervisor.script("app", Outcome.crashes(1), Outcome.healthy());
        UpgradeResult r = fx.manager.upgrade("app", "v2", TIMEOUT, null);
        assertThat(r.rolledBack()).isTrue();
        assertThat(r.from()).isEqualTo("v1");
        assertThat(r.to()).isEqualTo("v2");
        assertThat(r.reason()).contains("exited during start (exit code 1)");
        assertThat(r.state()).isEqualTo("RUNNING");
        assertThat(r.healthy()).isTrue();
        assertThat(binary("app")).contains("v1");
        assertThat(listed("app").version()).isEqualTo("v1");
        // stopped before the files go back, started after
        assertThat(changes()).containsExactly("stop app", "start app", "stop app", "start app");

        OperationLog.Entry rollback = fx.manager.operations("app", 10).getFirst();
        assertThat(rollback.method()).isEqualTo("service.rollback");
        assertThat(rollback.caller()).isEqualTo("heromgr");
        assertThat(rollback.params().get("to").asText()).isEqualTo("v1");
        assertThat(rollback.outcome()).isEqualTo("ok");
    }

    @Test
    void aNewVersionThatNeverTurnsHealthyIsRolledBack() throws IOException {
        fx.supervisor.script("app", Outcome.unhealthy(), Outcome.healthy());
        UpgradeResult r = fx.manager.upgrade("app", "v2", Duration.ofMillis(300), null);
        assertThat(r.rolledBack()).isTrue();
        assertThat(r.reason()).contains("did not become healthy within 300 ms");
        assertThat(r.healthy()).isTrue();
        assertThat(binary("app")).contains("v1");
    }

    @Test
    void aReleaseTheInstallerRefusesTouchesNothing() throws IOException {
        long running = pid();
        ApiFailure f = ApiFailure.of(() -> fx.manager.upgrade("app", ReleasedService.NOT_ELF + "-v2", TIMEOUT, null));
        assertThat(f.code()).isEqualTo(-32009);
        assertThat(f.message()).contains("not an ELF binary");
        assertThat(changes()).isEmpty();
        assertThat(pid()).isEqualTo(running);
        assertThat(binary("app")).contains("v1");
    }

    @Test
    void theVersionInPlaceRestartsNothing() {
        long running = pid();
        UpgradeResult r = fx.manager.upgrade("app", "v1", TIMEOUT, null);
        assertThat(r.changed()).isFalse();
        assertThat(r.rolledBack()).isFalse();
        assertThat(changes()).doesNotContain("stop app");
        assertThat(pid()).isEqualTo(running);
    }

    @Test
    void aFailedUpgradeWithNothingToGoBackToSaysSo() {
        fx.supervisor.script("fresh", Outcome.crashes(1));
        ApiFailure f = ApiFailure.of(() -> fx.manager.upgrade("fresh", "v1", TIMEOUT, null));
        assertThat(f.code()).isEqualTo(-32003);
        assertThat(f.message()).contains("fresh: upgrade to v1 failed").contains("no previous install to roll back to");
    }

    @Test
    void aDeployInstallsRestartsAndVerifies() throws IOException {
        long old = pid();
        DeployResult r = fx.manager.deploy("app", InstallMode.DOWNLOAD, "v2", TIMEOUT, null);
        assertThat(r.build()).isNull();
        assertThat(r.install().version()).isEqualTo("v2");
        assertThat(r.verify().ok()).as(r.verify().problems().toString()).isTrue();
        assertThat(r.state()).isEqualTo("RUNNING");
        assertThat(changes()).containsExactly("stop app", "start app");
        assertThat(pid()).isNotEqualTo(old);
        assertThat(binary("app")).contains("v2");
    }

    @Test
    void aDeployWhoseStartFailsStopsThereAndKeepsWhatItInstalled() throws IOException {
        fx.supervisor.script("app", Outcome.crashes(1));
        ApiFailure f = ApiFailure.of(() -> fx.manager.deploy("app", InstallMode.DOWNLOAD, "v2", TIMEOUT, null));
        assertThat(f.code()).isEqualTo(-32004);
        assertThat(changes()).containsExactly("stop app", "start app");
        assertThat(binary("app")).contains("v2");
    }
}

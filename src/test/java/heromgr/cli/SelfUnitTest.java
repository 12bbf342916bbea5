package heromgr.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `heromgr self unit`: the unit it prints or installs passes Debian's `systemd-analyze verify` without a single
 * complaint (an unknown setting or a launcher systemd cannot find would be named there), for a user and a system unit,
 * with a launcher path that needs systemd's quoting and escaping.
 */
class SelfUnitTest {
    private static final Path LAUNCHER = Path.of("bin/heromgr").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void installsAUserUnitThatSystemdAccepts() throws Exception {
        Path home = dir.resolve("userhome");
        Map<String, String> env = Map.of("HOME", home.toString(), "HEROMGR_LAUNCHER", LAUNCHER.toString(),
                "HERO_HOME", dir.resolve("hero").toString());
        CliRun run = CliRun.of(env, "self", "unit", "--install");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path unit = home.resolve(".config/systemd/user/heromgr.service");
        assertThat(run.out()).contains("wrote " + unit)
                .contains("systemctl --user daemon-reload && systemctl --user enable --now heromgr.service");
        String text = Files.readString(unit);
        assertThat(text).contains("Type=notify", "WatchdogSec=30s", "KillMode=process", "WantedBy=default.target",
                "ExecStart=" + LAUNCHER + " daemon\n", "Environment=\"HERO_HOME=" + dir.resolve("hero") + "\"",
                "Environment=\"HEROMGR_SYSTEMD_UNIT=heromgr.service\"", "Environment=\"HEROMGR_SYSTEMD_SCOPE=user\"");
        assertThat(CliRun.of(env, "self", "unit").out()).isEqualTo(text);

        Path runtime = Files.createDirectory(dir.resolve("runtime"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThat(verify(Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", runtime.toString()), "--user", unit)).isEmpty();
    }

    @Test
    void aSystemUnitThatStopsTheServicesWithAnAwkwardLauncherPath() throws Exception {
        Path launcher = Files.createDirectories(dir.resolve("hero mgr 100%/bin")).resolve("heromgr");
        Files.createSymbolicLink(launcher, LAUNCHER);
        CliRun run = CliRun.of(Map.of("HEROMGR_LAUNCHER", launcher.toString(), "HERO_HOME", dir.resolve("hero").toString()),
                "self", "unit", "--system", "--stop-services-on-exit");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("KillMode=process", "TimeoutStopSec=120s", "WantedBy=multi-user.target",
                "Environment=\"HEROMGR_SYSTEMD_UNIT=heromgr.service\"", "Environment=\"HEROMGR_SYSTEMD_SCOPE=system\"",
                "ExecStart=\"" + launcher.toString().replace("%", "%%") + "\" daemon --stop-services-on-exit\n");
        Path unit = Files.writeString(Files.createDirectory(dir.resolve("system")).resolve("heromgr.service"), run.out());
        assertThat(verify(Map.of(), null, unit)).isEmpty();
    }

    @Test
    void anInstalledHeromgrRunsThroughTheHomesLinkSoAnUpgradeSwitchesWhatSystemdStarts() throws Exception {
        Path hero = dir.resolve("hero");
        Path launcher = Files.createDirectories(hero.resolve("lib/heromgr/0.1.0/bin")).resolve("heromgr");
        Files.createSymbolicLink(launcher, LAUNCHER);
        Path link = Files.createDirectories(hero.resolve("bin")).resolve("heromgr");
        Files.createSymbolicLink(link, Path.of("../lib/heromgr/0.1.0/bin/heromgr"));
        // run by its version's own path, as `self install` from the unpacked bundle's copy would be
        CliRun run = CliRun.of(Map.of("HEROMGR_LAUNCHER", launcher.toString(), "HERO_HOME", hero.toString()), "self", "unit");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("ExecStart=" + link + " daemon\n", "Environment=\"HEROMGR_SYSTEMD_SCOPE=user\"");
    }

    @Test
    void anUnpackedBundleNotInstalledIsPointedOut() throws Exception {
        Path bundle = dir.resolve("unpacked/heromgr-0.1.0");
        Files.createDirectories(bundle.resolve("runtime/bin"));
        Files.createDirectories(bundle.resolve("bin"));
        Files.writeString(bundle.resolve("VERSION"), "0.1.0\n");
        Files.writeString(bundle.resolve("heromgr.jar"), "");
        for (String program : List.of("bin/heromgr", "runtime/bin/java")) {
            Files.copy(LAUNCHER, bundle.resolve(program));
        }
        CliRun run = CliRun.of(Map.of("HEROMGR_LAUNCHER", bundle.resolve("bin/heromgr").toString(), "HERO_HOME", dir.resolve("hero").toString()),
                "self", "unit");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("is an unpacked bundle, not installed in " + dir.resolve("hero")).contains("heromgr self install");
    }

    @Test
    void refusesWhatItCannotDo() {
        CliRun both = CliRun.of(Map.of("HEROMGR_LAUNCHER", LAUNCHER.toString()), "self", "unit", "--user", "--system");
        assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("--user and --system exclude each other");
        CliRun noLauncher = CliRun.of(Map.of(), "self", "unit");
        assertThat(noLauncher.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(noLauncher.err()).contains("cannot tell which heromgr launcher runs");
        CliRun missing = CliRun.of(Map.of("HEROMGR_LAUNCHER", dir.resolve("nothing").toString()), "self", "unit");
        assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILED);
    }

    /** systemd-analyze verify's complaints (stdout and stderr); it must also exit 0. */
    private static String verify(Map<String, String> env, String scope, Path unit) throws Exception {
        var command = new ArrayList<>(List.of("systemd-analyze"));
        if (scope != null) command.add(scope);
        command.addAll(List.of("verify", unit.toString()));
        var pb = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}

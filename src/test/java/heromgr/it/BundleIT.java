package heromgr.it;

import heromgr.testkit.FileTree;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle as a user gets it (runs after `mvn package`, in the integration-test phase): unpacked, installed with
 * `self install`, then everything run from $HERO_HOME/bin/heromgr with an environment of HOME and PATH=$HERO_HOME/bin
 * alone: the bundle's own Java and start-up caches, the daemon, a service through start, health and stop, and the
 * CLI's exit codes.
 */
class BundleIT {
    private static final String RELEASES = "https://forge.ourworld.tf/lhumina_code/heromgr/releases/download/";

    @Test
    void anInstalledBundleRunsWithNothingButHome() throws Exception {
        try (var bundle = InstalledBundle.unpackAndInstall()) {
            var link = bundle.launcher();
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(link.toRealPath()).isEqualTo(bundle.home.resolve("lib/heromgr/" + bundle.version + "/bin/heromgr").toRealPath());
            bundle.runWith(bundle.unpacked.resolve("bin/heromgr"), "self", "install").expect(0);   // twice is fine
            assertThat(bundle.run("version").expect(0).out()).isEqualTo("heromgr " + bundle.version + "\n");
            // with no PATH at all (bash then has its own default): the same
            assertThat(InstalledBundle.exec(List.of(link.toString(), "version"), Map.of("HOME", bundle.user.toString()), 60)
                    .expect(0).out()).startsWith("heromgr ");

            long daemon = startDaemonFromTheCaches(bundle);
            assertThat(InstalledBundle.command(daemon)).as("the daemon runs on the bundle's own Java")
                    .isEqualTo(bundle.home.resolve("lib/heromgr/" + bundle.version + "/runtime/bin/java").toString());

            bundle.run("run", "--name", "sleeper", "--", "/bin/sleep", "600").expect(0);
            long sleeper = bundle.servicePid("sleeper");
            assertThat(bundle.run("status", "sleeper").expect(0).out()).contains("RUNNING");
            bundle.run("health", "sleeper").expect(0);
            bundle.run("stop", "sleeper").expect(0);
            assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            bundle.run("status", "sleeper").expect(5);
            bundle.run("health", "sleeper").expect(1);
            bundle.run("status", "nosuch").expect(4);
            assertThat(bundle.run("frobnicate").expect(2).err()).contains("frobnicate");

            bundle.run("daemon", "stop").expect(0);
            assertThat(bundle.run("list").expect(3).err()).contains("heromgr daemon start");
        }
    }

    /**
     * Installed on a machine that never saw the build: the folder the start-up caches were trained in
     * (target/bundle) is hidden from the CLI and the daemon, and both still start and take their classes from the
     * caches. (The daemon once died at start under systemd in such a machine, of a class from the cache without a
     * CodeSource (fs.ProgramJar); hiding the folder alone does not bring that about here: SystemdBootIT is where it
     * showed.)
     */
    @Test
    void anInstalledBundleRunsWhereItsBuildFolderIsGone() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "hiding a folder in a mount namespace needs root");
        Path trainedIn = Path.of("target/bundle").toAbsolutePath();
        try (var bundle = InstalledBundle.unpackAndInstall()) {
            bundle.hidden = trainedIn;
            long daemon = startDaemonFromTheCaches(bundle);
            try (var seen = Files.list(Path.of("/proc/" + daemon + "/root" + trainedIn))) {
                assertThat(seen).as("the daemon does not see the training folder").isEmpty();
            }

            bundle.run("run", "--name", "sleeper", "--", "/bin/sleep", "600").expect(0);
            bundle.servicePid("sleeper");
            assertThat(bundle.run("status", "sleeper").expect(0).out()).contains("RUNNING");
            bundle.run("stop", "sleeper").expect(0);
            bundle.run("daemon", "stop").expect(0);
        }
    }

    /**
     * The README's first command, run by bash as written but against a local copy of the release: it installs the
     * bundle whose sha256 matches the published one, and stops before unpacking one that does not.
     */
    @Test
    void theReadmesInstallLineChecksTheArchiveBeforeItUnpacksIt() throws Exception {
        Path archive = InstalledBundle.archive();
        String name = archive.getFileName().toString();
        String version = name.substring("heromgr-".length(), name.length() - "-linux-amd64.tar.gz".length());
        byte[] sum = Files.readAllBytes(archive.resolveSibling(name + ".sha256"));
        Path dir = Files.createTempDirectory("heromgr-readme-it");
        try (var forge = new FakeForge("lhumina_code/heromgr")) {
            String line = readmeInstallLine().replace("0.1.0", version)
                    .replace(RELEASES + "v" + version + "/", forge.url() + "/download/lhumina_code/heromgr/v" + version + "/");
            Map<String, String> env = Map.of("HOME", dir.resolve("user").toString(), "PATH", "/usr/bin:/bin");
            Files.createDirectories(dir.resolve("user"));

            forge.release("v" + version, Instant.now(), Map.of(name, "not the bundle".getBytes(), name + ".sha256", sum));
            var damaged = InstalledBundle.exec(List.of("bash", "-c", line.replace("cd /tmp", "cd " + dir)), env, 180);
            assertThat(damaged.code()).isNotZero();
            assertThat(damaged.out() + damaged.err()).contains("FAILED");
            assertThat(dir.resolve("heromgr-" + version)).as("nothing unpacked").doesNotExist();
            assertThat(dir.resolve("user/hero")).as("nothing installed").doesNotExist();

            forge.release("v" + version, Instant.now(), Map.of(name, Files.readAllBytes(archive), name + ".sha256", sum));
            InstalledBundle.exec(List.of("bash", "-c", line.replace("cd /tmp", "cd " + dir)), env, 180).expect(0);
            assertThat(InstalledBundle.exec(List.of(dir.resolve("user/hero/bin/heromgr").toString(), "version"), env, 60)
                    .expect(0).out()).isEqualTo("heromgr " + version + "\n");
        } finally {
            FileTree.delete(dir);
        }
    }

    /** The CLI and then the daemon started, each seen taking its classes from its own cache; the daemon's pid. */
    private static long startDaemonFromTheCaches(InstalledBundle bundle) throws Exception {
        Path folder = bundle.home.resolve("lib/heromgr/" + bundle.version);
        bundle.extraEnv.put("HEROMGR_JAVA_OPTS", "-Xlog:aot=info");
        assertThat(bundle.run("version").expect(0).out()).as("the CLI's cache, trained for this runtime, is used")
                .contains("Opened AOT cache " + folder.resolve("heromgr.aot"));
        bundle.run("daemon", "start").expect(0);
        bundle.extraEnv.remove("HEROMGR_JAVA_OPTS");
        long daemon = bundle.daemonPid();
        assertThat(Files.readString(bundle.home.resolve("var/log/heromgr/daemon.out")))
                .contains("Opened AOT cache " + folder.resolve("heromgr-daemon.aot"));
        return daemon;
    }

    private static String readmeInstallLine() throws Exception {
        return Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("cd /tmp && curl ")).findFirst()
                .filter(l -> l.contains(RELEASES)).orElseThrow(() -> new AssertionError("README.md has no install line from " + RELEASES));
    }
}

package heromgr.it;

import heromgr.testkit.FileTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real systemd as PID 1 of a throwaway machine (src/test/resources/heromgr/it/systemd-boot.sh: a pid and mount
 * namespace over the host's root, its writes in a tmpfs), for what only a real init can prove. Closing it SIGKILLs
 * its systemd, which ends every process of the namespace, and removes its folder.
 */
final class SystemdMachine implements AutoCloseable {
    private static final Path SYSTEMD = Path.of("/lib/systemd/systemd");
    private static final Duration BOOT = Duration.ofSeconds(120);

    private final Path dir;
    private final Process unshare;
    private final long init;

    private SystemdMachine(Path dir, Process unshare, long init) {
        this.dir = dir;
        this.unshare = unshare;
        this.init = init;
    }

    /** Why this machine cannot boot one (not root, a tool missing), if it cannot. */
    static Optional<String> cannotBoot() {
        if (!"root".equals(System.getProperty("user.name"))) return Optional.of("booting systemd in a namespace needs root");
        for (Path tool : List.of(SYSTEMD, Path.of("/usr/bin/unshare"), Path.of("/usr/bin/nsenter"), Path.of("/usr/bin/setpriv"))) {
            if (!Files.isExecutable(tool)) return Optional.of(tool + " is missing (Debian's systemd and util-linux)");
        }
        return Optional.empty();
    }

    /** Where {@link #boot} shows the host folder it is given, read-only. */
    static final Path DIST = Path.of("/srv/dist");

    /**
     * Boots one, with the host's folder dist seen inside at {@link #DIST} (the machine's /tmp is its own, so a
     * checkout under the host's /tmp is not visible there otherwise), and waits until systemctl says it is running.
     */
    static SystemdMachine boot(Path dist) throws Exception {
        Path dir = Files.createTempDirectory("heromgr-systemd-");
        Path script = dir.resolve("systemd-boot.sh");
        try (var in = SystemdMachine.class.getResourceAsStream("systemd-boot.sh")) {
            Files.copy(in, script);
        }
        // A test JVM killed mid-test (a CI timeout, a kill -9) must not leave the machine running: setpriv has the
        // kernel SIGKILL unshare when the thread that started it dies, and --kill-child has unshare's death SIGKILL the
        // machine's PID 1, which ends every process of the namespace. So boot and close on one thread (a test's own).
        Process unshare = new ProcessBuilder("/usr/bin/setpriv", "--pdeathsig", "KILL",
                "/usr/bin/unshare", "-m", "-p", "-f", "--kill-child=SIGKILL", "--propagation", "private", "/bin/bash",
                script.toString(), dir.resolve("machine").toString(), dist.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("boot.log").toFile()).start();
        try {
            long init = await().atMost(BOOT).until(() -> unshare.children().findFirst().map(ProcessHandle::pid), Optional::isPresent).get();
            var machine = new SystemdMachine(dir, unshare, init);
            await().atMost(BOOT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!unshare.isAlive()) throw new AssertionError("systemd did not boot: " + Files.readString(dir.resolve("boot.log")));
                return machine.run(Map.of(), "systemctl", "is-system-running").out().strip().matches("running|degraded");
            });
            return machine;
        } catch (Exception | AssertionError e) {
            unshare.destroyForcibly();
            unshare.waitFor(30, TimeUnit.SECONDS);
            FileTree.delete(dir);
            throw e;
        }
    }

    /** Runs command inside the machine, as root, with PATH, HOME=/root and env. */
    InstalledBundle.Run run(Map<String, String> env, String... command) throws Exception {
        var argv = new ArrayList<>(List.of("/usr/bin/nsenter", "-t", Long.toString(init), "-m", "-p", "--", "/usr/bin/env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(List.of(command));
        return InstalledBundle.exec(argv, Map.of(), 240);
    }

    /** A property of a unit, as `systemctl show --value` gives it. */
    String property(String unit, String name) throws Exception {
        return run(Map.of(), "systemctl", "show", "--property=" + name, "--value", unit).expect(0).out().strip();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
        unshare.destroyForcibly();
        unshare.waitFor(60, TimeUnit.SECONDS);
        FileTree.delete(dir);
    }
}

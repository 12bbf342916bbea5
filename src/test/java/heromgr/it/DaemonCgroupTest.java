package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonizingFixture;
import heromgr.proc.os.PosixSignals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The daemon as a separate JVM, with a service whose helper double-forked out of its group and tree: the daemon is
 * killed with SIGKILL, the next one adopts the service, and its stop kills the helper too (it never left the action's
 * cgroup); the daemon's cgroup directory goes when that daemon exits. Needs cgroup v2 and root (or delegation).
 */
class DaemonCgroupTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private Path root;
    private Path daemonCgroup;
    private final List<Long> pids = new ArrayList<>();

    @BeforeEach
    void up() throws IOException {
        root = Files.createTempDirectory("heromgr-cgroup-");
    }

    @AfterEach
    void down() throws IOException {
        try {
            for (long pid : pids) {
                if (ProcessHandle.of(pid).isPresent()) PosixSignals.kill(pid, 9);
            }
            // left behind only by a failed test: empty once the kills above took effect
            if (daemonCgroup != null) {
                await().atMost(BOUND).ignoreExceptions().until(() -> {
                    try (var leaves = Files.list(daemonCgroup).filter(Files::isDirectory)) {
                        for (Path leaf : leaves.toList()) Files.deleteIfExists(leaf);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        return true;
                    }
                    Files.deleteIfExists(daemonCgroup);
                    return true;
                });
            }
        } finally {
            TestDaemon.deleteTree(root);
        }
    }

    @Test
    void aStopByTheDaemonThatAdoptedTheServiceKillsItsDaemonizedHelperToo() throws Exception {
        Path home = root.resolve("home");
        Path script = DaemonizingFixture.write(root, null);
        long main;
        long helper;
        Path leaf;
        try (DaemonProcess first = DaemonProcess.start(home)) {
            first.result("service.create", Map.of("name", "spawner", "argv", List.of("/bin/sh", script.toString(), root.toString())));
            main = action(first).get("pid").asLong();
            pids.add(main);
            JsonNode cgroup = first.result("service.inspect", Map.of("name", "spawner")).at("/actions/0/cgroup");
            assumeThat(cgroup.isTextual()).as("cgroup v2 with the right to make cgroups").isTrue();
            leaf = Path.of(cgroup.asText());
            daemonCgroup = leaf.getParent();
            await().atMost(BOUND).until(() -> Files.readString(leaf.resolve("cgroup.procs")).contains(Long.toString(main)));
            Files.createFile(root.resolve("go"));
            await().atMost(BOUND).until(() -> DaemonizingFixture.grandchild(root) != 0);
            helper = DaemonizingFixture.grandchild(root);
            pids.add(helper);
            await().atMost(BOUND).until(() -> DaemonizingFixture.parent(helper) != main);

            PosixSignals.kill(first.process.pid(), 9);
            await().atMost(BOUND).until(() -> !first.process.isAlive());
        }
        long ticks = DaemonizingFixture.startTicks(helper);
        long mainTicks = DaemonizingFixture.startTicks(main);
        assertThat(DaemonizingFixture.gone(helper, ticks)).isFalse();

        try (DaemonProcess second = DaemonProcess.start(home)) {
            assertThat(action(second).get("pid").asLong()).as("adopted, not restarted").isEqualTo(main);
            second.result("service.stop", Map.of("name", "spawner"));

            assertThat(DaemonizingFixture.gone(helper, ticks)).isTrue();
            assertThat(DaemonizingFixture.gone(main, mainTicks)).isTrue();
            PosixSignals.kill(second.process.pid(), 15);
            await().atMost(Duration.ofSeconds(20)).until(() -> !second.process.isAlive());
            assertThat(second.process.exitValue()).isZero();
        }
        assertThat(daemonCgroup).as("removed when the daemon exited").doesNotExist();
    }

    private static JsonNode action(DaemonProcess d) throws IOException {
        return d.result("service.status", Map.of("name", "spawner")).at("/actions/0");
    }
}

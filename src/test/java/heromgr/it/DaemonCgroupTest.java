package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.testkit.DaemonizingFixture;
import heromgr.proc.os.PosixSignals;
import heromgr.proc.os.ProcTable;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.DaemonProcess;
import heromgr.testkit.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
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
    @RegisterExtension
    final DaemonExtension daemons = new DaemonExtension();

    /** Left behind only by a failed test: empty once the extension killed every process of the daemons. */
    private void removeAtEnd(Path daemonCgroup) {
        daemons.atEnd(() -> await().atMost(BOUND).ignoreExceptions().until(() -> {
            try (var leaves = Files.list(daemonCgroup).filter(Files::isDirectory)) {
                for (Path leaf : leaves.toList()) Files.deleteIfExists(leaf);
            } catch (NoSuchFileException gone) {
                return true;
            }
            Files.deleteIfExists(daemonCgroup);
            return true;
        }));
    }

    @Test
    void aStopByTheDaemonThatAdoptedTheServiceKillsItsDaemonizedHelperToo() throws Exception {
        Path root = daemons.root();
        Path home = root.resolve("home");
        Path script = DaemonizingFixture.write(root, null);
        long main;
        long helper;
        Path leaf;
        Path daemonCgroup;
        try (DaemonProcess first = daemons.startProcess(home)) {
            first.result("service.create", Map.of("name", "spawner", "argv", List.of("/bin/sh", script.toString(), root.toString())));
            main = action(first).get("pid").asLong();
            JsonNode cgroup = first.result("service.inspect", Map.of("name", "spawner")).at("/actions/0/cgroup");
            assumeThat(cgroup.isTextual()).as("cgroup v2 with the right to make cgroups").isTrue();
            leaf = Path.of(cgroup.asText());
            daemonCgroup = leaf.getParent();
            removeAtEnd(daemonCgroup);
            await().atMost(BOUND).until(() -> Files.readString(leaf.resolve("cgroup.procs")).contains(Long.toString(main)));
            Files.createFile(root.resolve("go"));
            await().atMost(BOUND).until(() -> DaemonizingFixture.grandchild(root) != 0);
            helper = daemons.killAtEnd(DaemonizingFixture.grandchild(root));
            await().atMost(BOUND).until(() -> DaemonizingFixture.parent(helper) != main);

            PosixSignals.kill(first.process.pid(), 9);
            await().atMost(BOUND).until(() -> !first.process.isAlive());
        }
        long ticks = DaemonizingFixture.startTicks(helper);
        long mainTicks = DaemonizingFixture.startTicks(main);
        assertThat(DaemonizingFixture.gone(helper, ticks)).isFalse();

        try (DaemonProcess second = daemons.startProcess(home)) {
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

    @Test
    void theSpawnServerKeepsTheDaemonsDescriptorsFromAServiceAndGoesWhenTheDaemonIsKilledWhileTheServiceStays() throws Exception {
        Path home = daemons.root().resolve("home");
        try (DaemonProcess daemon = daemons.startProcess(home)) {
            daemon.result("service.create", Map.of("name", "spawner", "argv", List.of("/bin/sleep", "600")));
            long main = daemons.killAtEnd(action(daemon).get("pid").asLong());
            JsonNode cgroup = daemon.result("service.inspect", Map.of("name", "spawner")).at("/actions/0/cgroup");
            assumeThat(cgroup.isTextual()).as("cgroup v2 with the right to make cgroups").isTrue();
            removeAtEnd(Path.of(cgroup.asText()).getParent());
            List<Long> servers = ProcTable.children(daemon.process.pid()).stream()
                    .filter(c -> ProcTable.arguments(c).contains("--serve")).toList();
            assumeThat(servers).as("heromgr-spawn built (mvn compile, needs gcc)").hasSize(1);
            long server = daemons.killAtEnd(servers.getFirst());
            try (var fds = Files.list(Path.of("/proc", Long.toString(main), "fd"))) {
                assertThat(fds.map(fd -> fd.getFileName().toString()).sorted()).as("none of the daemon's sockets or files")
                        .containsExactly("0", "1", "2");
            }

            PosixSignals.kill(daemon.process.pid(), 9);

            await().atMost(BOUND).until(() -> !ProcFs.running(server));
            assertThat(ProcFs.running(main)).as("the service stays for the next daemon").isTrue();
        }
    }

    private static JsonNode action(DaemonProcess d) {
        return d.result("service.status", Map.of("name", "spawner")).at("/actions/0");
    }
}

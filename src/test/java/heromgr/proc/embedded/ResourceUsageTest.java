package heromgr.proc.embedded;

import heromgr.proc.ActionSpec;
import heromgr.proc.ResourceUsage;
import heromgr.proc.ServiceSpec;
import heromgr.proc.cgroup.ControlGroups;
import heromgr.proc.reclaim.Reclaimer;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** An action's CPU time and memory, from its cgroup (every process of it) or, without one, from its main process. */
class ResourceUsageTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** A main process that sleeps while a child it started spins: only a cgroup sees the child's CPU. */
    private static final String BUSY_CHILD = "sh -c 'while :; do :; done' & exec sleep 300";

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();

    private long start(EmbeddedSupervisor sup, String script) {
        long pid = sup.start(new ServiceSpec("web", List.of(ActionSpec.process("main", List.of("/bin/sh", "-c", script), Map.of(), tmp,
                tmp.resolve("logs/main.log"))))).getFirst().pid();
        return fixture.killAfter(pid);
    }

    @Test
    void aCgroupCountsEveryProcessOfTheAction() {
        EmbeddedSupervisor sup = fixture.supervisor(tmp.resolve("state/runtime.json"));
        assumeThat(sup.controlGroup("web", "main")).as("cgroup v2 with the right to make cgroups").isPresent();
        start(sup, BUSY_CHILD);

        ResourceUsage first = await().atMost(BOUND).until(() -> sup.usage("web", "main").orElse(null), u -> u != null && u.cpuUsec() > 0);
        assertThat(first.wholeGroup()).isTrue();
        assertThat(first.memoryBytes()).as("the sleeping shell and the spinning one are resident").isPositive();
        await().atMost(BOUND).until(() -> sup.usage("web", "main").orElseThrow().cpuUsec() > first.cpuUsec() + 100_000);

        sup.stop("web");
        assertThat(sup.usage("web", "main")).as("nothing runs").isEmpty();
        sup.controlGroup("web", "main").ifPresent(leaf -> await().atMost(BOUND).ignoreExceptions().until(() -> {
            Files.deleteIfExists(leaf);
            return true;
        }));
    }

    @Test
    void withoutACgroupTheMainProcessIsCounted() {
        var sup = fixture.closeAfter(new EmbeddedSupervisor(tmp.resolve("state/runtime.json"), Reclaimer.standard(),
                owner -> ControlGroups.under(tmp, owner)));
        start(sup, "while :; do :; done");

        ResourceUsage used = await().atMost(BOUND).until(() -> sup.usage("web", "main").orElse(null), u -> u != null && u.cpuUsec() > 50_000);
        assertThat(used.wholeGroup()).isFalse();
        assertThat(used.memoryBytes()).isPositive();
        assertThat(sup.usage("web", "nosuch")).isEqualTo(Optional.empty());
        assertThat(sup.usage("nosuch", "main")).isEmpty();
    }
}

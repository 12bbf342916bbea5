package heromgr.proc.os;

import heromgr.proc.ActionKind;
import heromgr.proc.ActionSpec;
import heromgr.proc.ActionState;
import heromgr.proc.ResourceLimits;
import heromgr.proc.RestartPolicy;
import heromgr.proc.ServiceSpec;
import heromgr.proc.Signal;
import heromgr.proc.SupervisorException;
import heromgr.proc.embedded.EmbeddedSupervisor;
import heromgr.testkit.ProcFs;
import heromgr.testkit.SupervisorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** user, group and rlimits through setpriv/prlimit, which exec in place: the pid stays the service's own. */
class RunAsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String SHOW = "echo uid=$(id -u) gid=$(id -g) groups=$(id -G) nofile=$(ulimit -n)";

    @RegisterExtension
    final SupervisorExtension fixture = new SupervisorExtension();
    private final Path tmp = fixture.dir();
    private final EmbeddedSupervisor sup = fixture.supervisor();

    /** Work dir /: the test's temp dir is private to root, and nobody could not even look at its own cwd. */
    private ActionSpec show(String name) {
        return new ActionSpec(name, List.of("/bin/sh", "-c", SHOW), Map.of(), Path.of("/"), ActionKind.ONESHOT, Signal.TERM,
                Duration.ofSeconds(5), tmp.resolve(name + ".log"), RestartPolicy.never());
    }

    private String runToEnd(ActionSpec spec) throws Exception {
        fixture.killAfter(sup.start(new ServiceSpec(spec.name(), List.of(spec))).getFirst().pid());
        await().atMost(BOUND).until(() -> sup.status(spec.name()).getFirst().state() == ActionState.EXITED);
        return Files.readString(spec.logFile());
    }

    @Test
    void runsAsNobodyWithTheOpenFilesLimit() throws Exception {
        assumeThat(Accounts.effectiveUid()).as("needs root").isZero();
        String out = runToEnd(show("asnobody").withUser("nobody", null).withLimits(new ResourceLimits(123)));
        assertThat(out).contains("uid=65534 ").contains("nofile=123");
        assertThat(out).doesNotContain("groups=0"); // root's groups are not carried over
    }

    @Test
    void aGroupAloneChangesOnlyTheGroup() throws Exception {
        assumeThat(Accounts.effectiveUid()).as("needs root").isZero();
        String gid = Integer.toString(Accounts.groupId("nogroup").orElseThrow());
        String out = runToEnd(show("asgroup").withUser(null, "nogroup"));
        assertThat(out).contains("uid=0 gid=" + gid + " groups=" + gid + " ");
    }

    @Test
    void theLimitAloneNeedsNoPrivilege() throws Exception {
        String out = runToEnd(show("limited").withLimits(new ResourceLimits(77)));
        assertThat(out).contains("nofile=77");
    }

    @Test
    void theWrappersKeepThePidTheServicesOwn() {
        assumeThat(Accounts.effectiveUid()).as("needs root").isZero();
        ActionSpec sleeper = ActionSpec.process("sleeper", List.of("/bin/sleep", "1000"), Map.of(), Path.of("/"), tmp.resolve("s.log"))
                .withUser("nobody", "nogroup").withLimits(new ResourceLimits(64));
        long pid = fixture.killAfter(sup.start(new ServiceSpec("sleeper", List.of(sleeper))).getFirst().pid());
        await().atMost(BOUND).until(() -> "sleep".equals(ProcFs.stat(pid)[2]));
        assertThat(ProcFs.pgid(pid)).isEqualTo(pid);
        sup.stop("sleeper");
        assertThat(ProcFs.running(pid)).isFalse();
    }

    @Test
    void anUnknownUserOrGroupIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> sup.start(new ServiceSpec("x", List.of(show("x").withUser("no-such-user-hm", null)))))
                .isInstanceOf(SupervisorException.class).hasMessage("action x: no such user no-such-user-hm");
        assertThatThrownBy(() -> sup.start(new ServiceSpec("y", List.of(show("y").withUser(null, "no-such-group-hm")))))
                .isInstanceOf(SupervisorException.class).hasMessage("action y: no such group no-such-group-hm");
    }

    @Test
    void anotherUserNeedsARootDaemon() {
        assumeThat(Accounts.effectiveUid()).as("needs a non-root daemon").isNotZero();
        assertThatThrownBy(() -> sup.start(new ServiceSpec("x", List.of(show("x").withUser("nobody", null)))))
                .isInstanceOf(SupervisorException.class)
                .hasMessage("action x: running as user nobody needs the daemon to run as root");
    }
}

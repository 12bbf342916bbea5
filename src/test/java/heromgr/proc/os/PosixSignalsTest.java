package heromgr.proc.os;

import heromgr.proc.Signal;
import heromgr.testkit.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PosixSignalsTest {
    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
            PosixSignals.kill(child.pid(), 9);
        }
    }

    @Test
    void killOfNonexistentPidReturnsFalse() throws IOException {
        long pidMax = Long.parseLong(ProcFs.read(Path.of("/proc/sys/kernel/pid_max")).trim());
        long unused = Math.min(pidMax + 1, Integer.MAX_VALUE);
        assertThat(PosixSignals.kill(unused, 0)).isFalse();
        assertThat(PosixSignals.kill(unused, Signal.TERM)).isFalse();
    }

    @Test
    void signalZeroProbesALiveProcess() {
        assertThat(PosixSignals.kill(ProcessHandle.current().pid(), 0)).isTrue();
    }

    @Test
    void refusesPidsThatMeanGroupsOrEveryone() {
        assertThatThrownBy(() -> PosixSignals.kill(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PosixSignals.kill(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PosixSignals.killGroup(1, 0)).isInstanceOf(IllegalArgumentException.class);
        long ownGroup = ProcFs.pgid(ProcessHandle.current().pid());
        assertThatThrownBy(() -> PosixSignals.killGroup(ownGroup, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void killGroupReachesAProcessGroup() throws IOException {
        child = new ProcessBuilder("/usr/bin/setsid", "/bin/sleep", "1000").start();
        long pid = child.pid();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcFs.pgid(pid) == pid);
        assertThat(PosixSignals.groupAlive(pid)).isTrue();

        assertThat(PosixSignals.killGroup(pid, Signal.TERM.number())).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
        assertThat(child.exitValue()).isEqualTo(128 + 15);
        await().atMost(Duration.ofSeconds(10)).until(() -> !PosixSignals.groupAlive(pid));
    }
}

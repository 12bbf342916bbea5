package heromgr.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What `self upgrade` reads of its unit from `systemctl show` (the output of systemd 252, Debian 12's). */
class SystemdUnitStateTest {
    @Test
    void aUnitThatHitItsStartLimitHasGivenUp() {
        var state = DaemonRestart.Systemd.UnitState.of("NRestarts=1\nActiveState=failed\nResult=start-limit-hit\n");
        assertThat(state.restarts()).isEqualTo(1);
        assertThat(state.gaveUp()).isTrue();
        assertThat(state.result()).isEqualTo("start-limit-hit");
    }

    @Test
    void aUnitRestartingOnItsOwnHasNotGivenUp() {
        var state = DaemonRestart.Systemd.UnitState.of("ActiveState=activating\nNRestarts=3\nResult=exit-code\n");
        assertThat(state.restarts()).isEqualTo(3);
        assertThat(state.gaveUp()).isFalse();
    }

    @Test
    void aCountSystemdDoesNotGiveIsMinusOne() {
        assertThat(DaemonRestart.Systemd.UnitState.of("ActiveState=inactive\n").restarts()).isEqualTo(-1);
        assertThat(DaemonRestart.Systemd.UnitState.of("NRestarts=\n").restarts()).isEqualTo(-1);
    }
}

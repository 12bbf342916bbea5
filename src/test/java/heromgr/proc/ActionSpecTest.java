package heromgr.proc;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The with-methods: each changes only the components it names (setting them back gives the original, equal in all
 * sixteen), and a copy is checked and defaulted by the canonical constructor like a new spec.
 */
class ActionSpecTest {
    /** Every component away from its default, so a with-method that drops one is seen. */
    private static final ActionSpec ORIGINAL = new ActionSpec("server", List.of("/bin/sleep", "60"), Map.of("K", "V"),
            Path.of("/tmp"), ActionKind.ONESHOT, Signal.INT, Duration.ofSeconds(3), Path.of("/tmp/server.log"),
            RestartPolicy.onFailure(), Reclaim.ports(8080), List.of(HealthCheck.Tcp.of(8080)),
            new HealthPolicy(Duration.ofSeconds(1), 5, Duration.ofSeconds(2), 1), "nobody", "nogroup",
            new ResourceLimits(4096), new LogRotation(1 << 20, 2));

    @Test
    void eachWithMethodChangesOnlyWhatItNames() {
        ActionSpec restart = ORIGINAL.withRestart(RestartPolicy.never());
        assertThat(restart.restart()).isEqualTo(RestartPolicy.never());
        assertThat(restart.withRestart(ORIGINAL.restart())).isEqualTo(ORIGINAL);

        ActionSpec stop = ORIGINAL.withStop(Signal.QUIT, Duration.ofSeconds(7));
        assertThat(stop.stopSignal()).isEqualTo(Signal.QUIT);
        assertThat(stop.stopTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(stop.withStop(ORIGINAL.stopSignal(), ORIGINAL.stopTimeout())).isEqualTo(ORIGINAL);

        ActionSpec reclaim = ORIGINAL.withReclaim(Reclaim.ports(9090));
        assertThat(reclaim.reclaim()).isEqualTo(Reclaim.ports(9090));
        assertThat(reclaim.withReclaim(ORIGINAL.reclaim())).isEqualTo(ORIGINAL);

        ActionSpec health = ORIGINAL.withHealth(List.of(HealthCheck.Tcp.of(9090)), HealthPolicy.defaults());
        assertThat(health.health()).containsExactly(HealthCheck.Tcp.of(9090));
        assertThat(health.healthPolicy()).isEqualTo(HealthPolicy.defaults());
        assertThat(health.withHealth(ORIGINAL.health(), ORIGINAL.healthPolicy())).isEqualTo(ORIGINAL);

        ActionSpec user = ORIGINAL.withUser("root", null);
        assertThat(user.user()).isEqualTo("root");
        assertThat(user.group()).isNull();
        assertThat(user.withUser(ORIGINAL.user(), ORIGINAL.group())).isEqualTo(ORIGINAL);

        ActionSpec limits = ORIGINAL.withLimits(new ResourceLimits(1024));
        assertThat(limits.limits()).isEqualTo(new ResourceLimits(1024));
        assertThat(limits.withLimits(ORIGINAL.limits())).isEqualTo(ORIGINAL);

        ActionSpec rotation = ORIGINAL.withLogRotation(LogRotation.defaults());
        assertThat(rotation.logRotation()).isEqualTo(LogRotation.defaults());
        assertThat(rotation.withLogRotation(ORIGINAL.logRotation())).isEqualTo(ORIGINAL);
    }

    @Test
    void aCopyIsDefaultedAndCheckedLikeANewSpec() {
        assertThat(ORIGINAL.withReclaim(null).reclaim()).isEqualTo(Reclaim.none());
        ActionSpec noHealth = ORIGINAL.withHealth(null, null);
        assertThat(noHealth.health()).isEmpty();
        assertThat(noHealth.healthPolicy()).isEqualTo(HealthPolicy.defaults());
        assertThat(ORIGINAL.withLimits(null).limits()).isEqualTo(ResourceLimits.INHERIT);
        assertThat(ORIGINAL.withLogRotation(null).logRotation()).isEqualTo(LogRotation.defaults());

        assertThatThrownBy(() -> ORIGINAL.withStop(Signal.TERM, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative stop timeout");
        assertThatThrownBy(() -> ORIGINAL.withUser(" ", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user is blank");
        assertThatThrownBy(() -> ORIGINAL.withRestart(null)).isInstanceOf(NullPointerException.class);
    }
}

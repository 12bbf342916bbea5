package heromgr.proc;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The with-methods of RestartPolicy and HealthPolicy: each changes only the components it names (setting them back
 * gives the original, equal in every component), and a copy is checked by the canonical constructor like a new policy.
 */
class PolicyCopyTest {
    /** Every component away from its default, so a with-method that drops one is seen. */
    private static final RestartPolicy RESTART = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, Duration.ofMillis(7), 3.0,
            Duration.ofSeconds(9), 0.25, Duration.ofSeconds(4), 6, Duration.ofSeconds(45));
    private static final HealthPolicy HEALTH = new HealthPolicy(Duration.ofSeconds(3), 5, Duration.ofSeconds(2), 4);

    @Test
    void eachRestartPolicyWithMethodChangesOnlyWhatItNames() {
        RestartPolicy backoff = RESTART.withBackoff(Duration.ofMillis(50), 1.5, Duration.ofSeconds(5), 0.5);
        assertThat(backoff).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, Duration.ofMillis(50), 1.5,
                Duration.ofSeconds(5), 0.5, Duration.ofSeconds(4), 6, Duration.ofSeconds(45)));
        assertThat(backoff.withBackoff(RESTART.initialDelay(), RESTART.factor(), RESTART.maxDelay(), RESTART.jitter()))
                .isEqualTo(RESTART);

        RestartPolicy stable = RESTART.withStablePeriod(Duration.ofSeconds(1));
        assertThat(stable.stablePeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(stable.withStablePeriod(RESTART.stablePeriod())).isEqualTo(RESTART);

        RestartPolicy limit = RESTART.withStartLimit(2, Duration.ofSeconds(8));
        assertThat(limit.startLimit()).isEqualTo(2);
        assertThat(limit.startLimitWindow()).isEqualTo(Duration.ofSeconds(8));
        assertThat(limit.withStartLimit(RESTART.startLimit(), RESTART.startLimitWindow())).isEqualTo(RESTART);
    }

    @Test
    void eachHealthPolicyWithMethodChangesOnlyWhatItNames() {
        HealthPolicy interval = HEALTH.withInterval(Duration.ofSeconds(1));
        assertThat(interval).isEqualTo(new HealthPolicy(Duration.ofSeconds(1), 5, Duration.ofSeconds(2), 4));
        assertThat(interval.withInterval(HEALTH.interval())).isEqualTo(HEALTH);

        HealthPolicy liveness = HEALTH.withLiveness(0);
        assertThat(liveness).isEqualTo(new HealthPolicy(Duration.ofSeconds(3), 5, Duration.ofSeconds(2), 0));
        assertThat(liveness.withLiveness(HEALTH.livenessFailures())).isEqualTo(HEALTH);

        HealthPolicy start = HEALTH.withStartPeriod(Duration.ZERO);
        assertThat(start).isEqualTo(new HealthPolicy(Duration.ofSeconds(3), 5, Duration.ZERO, 4));
        assertThat(start.withStartPeriod(HEALTH.startPeriod())).isEqualTo(HEALTH);
    }

    @Test
    void aCopyIsCheckedLikeANewPolicy() {
        assertThatThrownBy(() -> RESTART.withStablePeriod(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("stablePeriod");
        assertThatThrownBy(() -> RESTART.withBackoff(Duration.ofSeconds(10), 2, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> HEALTH.withInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("health interval must be positive");
        assertThatThrownBy(() -> HEALTH.withLiveness(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("liveness failures");
        assertThatThrownBy(() -> HEALTH.withStartPeriod(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("startPeriod");
    }
}

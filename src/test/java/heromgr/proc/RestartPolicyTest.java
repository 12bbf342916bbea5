package heromgr.proc;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartPolicyTest {
    @Test
    void theFactoriesUseTheDocumentedDefaults() {
        RestartPolicy p = RestartPolicy.always();
        assertThat(p.mode()).isEqualTo(RestartPolicy.Mode.ALWAYS);
        assertThat(p.initialDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.factor()).isEqualTo(2.0);
        assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.jitter()).isEqualTo(0.1);
        assertThat(p.stablePeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.startLimit()).isEqualTo(10);
        assertThat(p.startLimitWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(RestartPolicy.onFailure().mode()).isEqualTo(RestartPolicy.Mode.ON_FAILURE);
        assertThat(RestartPolicy.never().mode()).isEqualTo(RestartPolicy.Mode.NEVER);
    }

    @Test
    void theFirstRestartIsImmediateThenTheDelayDoublesUpToTheCap() {
        RestartPolicy p = RestartPolicy.always().withBackoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(30), 0);
        assertThat(List.of(0, 1, 2, 3, 4).stream().map(n -> p.delayBefore(n, 0.5).toMillis()).toList())
                .containsExactly(0L, 100L, 200L, 400L, 800L);
        assertThat(p.delayBefore(40, 0.5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterSpreadsEachDelayByTheFractionButNeverPastTheCap() {
        RestartPolicy p = RestartPolicy.always();
        assertThat(p.delayBefore(1, 0.0).toMillis()).isEqualTo(90);
        assertThat(p.delayBefore(1, 0.999999).toMillis()).isBetween(109L, 110L);
        assertThat(p.delayBefore(30, 0.999999)).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.delayBefore(30, 0.0)).isEqualTo(Duration.ofSeconds(27));
    }

    @Test
    void invalidSettingsAreRefusedNamingTheField() {
        RestartPolicy p = RestartPolicy.always();
        assertThatThrownBy(() -> p.withBackoff(Duration.ofMillis(-1), 2, Duration.ofSeconds(1), 0)).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> p.withBackoff(Duration.ZERO, 0.5, Duration.ofSeconds(1), 0)).hasMessageContaining("factor");
        assertThatThrownBy(() -> p.withBackoff(Duration.ZERO, Double.NaN, Duration.ofSeconds(1), 0)).hasMessageContaining("factor");
        assertThatThrownBy(() -> p.withBackoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0)).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> p.withBackoff(Duration.ZERO, 2, Duration.ofSeconds(1), 1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> p.withStablePeriod(Duration.ofSeconds(-1))).hasMessageContaining("stablePeriod");
        assertThatThrownBy(() -> p.withStartLimit(-1, Duration.ofSeconds(1))).hasMessageContaining("startLimit");
        assertThatThrownBy(() -> p.withStartLimit(3, Duration.ZERO)).hasMessageContaining("startLimitWindow");
        assertThat(p.withStartLimit(0, Duration.ZERO).startLimit()).isZero(); // 0 turns the limit off
    }
}

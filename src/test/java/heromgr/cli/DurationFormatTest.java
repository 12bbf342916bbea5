package heromgr.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DurationFormatTest {
    @Test
    void uptimeUsesTwoUnitsAtMost() {
        assertThat(DurationFormat.uptime(0)).isEqualTo("0s");
        assertThat(DurationFormat.uptime(3_999)).isEqualTo("3s");
        assertThat(DurationFormat.uptime(59_000)).isEqualTo("59s");
        assertThat(DurationFormat.uptime(60_000)).isEqualTo("1m0s");
        assertThat(DurationFormat.uptime((4 * 60 + 12) * 1000)).isEqualTo("4m12s");
        assertThat(DurationFormat.uptime(((2 * 60 + 3) * 60 + 59) * 1000L)).isEqualTo("2h3m");
        assertThat(DurationFormat.uptime((26 * 3600 + 120) * 1000L)).isEqualTo("1d2h");
        assertThat(DurationFormat.uptime(-5)).isEqualTo("0s");
    }

    @Test
    void elapsedHasOneDecimalFromASecondOn() {
        assertThat(DurationFormat.elapsed(850)).isEqualTo("850 ms");
        assertThat(DurationFormat.elapsed(4_200)).isEqualTo("4.2 s");
        assertThat(DurationFormat.elapsed(61_049)).isEqualTo("61.0 s");
    }
}

package heromgr.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --since/--until: the forms a person types, read in their time zone; the API's subset. */
class TimeBoundTest {
    private static final Instant NOW = Instant.parse("2026-12-05T13:30:00Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aTimeAgo() {
        assertThat(TimeBound.parse("10m", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-05T13:20:00Z"));
        assertThat(TimeBound.parse("2h ago", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-05T11:30:00Z"));
        assertThat(TimeBound.parse("-90s", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-05T13:28:30Z"));
        assertThat(TimeBound.parse("1w", NOW, BERLIN)).isEqualTo(Instant.parse("2026-11-28T13:30:00Z"));
        assertThat(TimeBound.parse("now", NOW, BERLIN)).isEqualTo(NOW);
    }

    @Test
    void localDaysAndTimesAreTheZones() {
        assertThat(TimeBound.parse("today", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-04T23:00:00Z"));
        assertThat(TimeBound.parse("yesterday", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-03T23:00:00Z"));
        assertThat(TimeBound.parse("14:30", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-05T13:30:00Z"));
        assertThat(TimeBound.parse("9:05:10", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-05T08:05:10Z"));
        assertThat(TimeBound.parse("2026-12-01 08:00", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
        assertThat(TimeBound.parse("2026-12-01", NOW, BERLIN)).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(TimeBound.parse("2026-12-01T08:00:00+02:00", NOW, BERLIN)).isEqualTo(Instant.parse("2026-12-01T06:00:00Z"));
    }

    @Test
    void whatIsNoTimeIsNamed() {
        assertThatThrownBy(() -> TimeBound.parse("soon", NOW, BERLIN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'soon' is not a time: use e.g. 10m");
        assertThatThrownBy(() -> TimeBound.parse("2026-13-01", NOW, BERLIN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeBound.parse("25:00", NOW, BERLIN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theApiTakesATimeAgoOrAnInstantWithItsOffset() {
        assertThat(TimeBound.parseForApi("10m", NOW)).isEqualTo(Instant.parse("2026-12-05T13:20:00Z"));
        assertThat(TimeBound.parseForApi("2026-12-05T13:00:00Z", NOW)).isEqualTo(Instant.parse("2026-12-05T13:00:00Z"));
    }
}

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

    private static void reads(String text, String instant) {
        assertThat(TimeBound.parse(text, NOW, BERLIN)).as(text).isEqualTo(Instant.parse(instant));
    }

    @Test
    void aTimeAgo() {
        reads("10m", "2026-12-05T13:20:00Z");
        reads("2h ago", "2026-12-05T11:30:00Z");
        reads("-90s", "2026-12-05T13:28:30Z");
        reads("1w", "2026-11-28T13:30:00Z");
        reads("now", NOW.toString());
    }

    @Test
    void localDaysAndTimesAreTheZones() {
        reads("today", "2026-12-04T23:00:00Z");
        reads("yesterday", "2026-12-03T23:00:00Z");
        reads("14:30", "2026-12-05T13:30:00Z");
        reads("9:05:10", "2026-12-05T08:05:10Z");
        reads("2026-12-01 08:00", "2026-12-01T07:00:00Z");
        reads("2026-12-01", "2026-11-30T23:00:00Z");
        reads("2026-12-01T08:00:00+02:00", "2026-12-01T06:00:00Z");
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

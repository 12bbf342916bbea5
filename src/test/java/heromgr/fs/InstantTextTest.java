package heromgr.fs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class InstantTextTest {
    @Test
    void theTextIsInstantsOwnWhetherRememberedOrNot() {
        Random random = new Random(15);
        Instant[] instants = new Instant[64];
        for (int i = 0; i < instants.length; i++) {
            instants[i] = Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000_000));
        }
        instants[1] = Instant.ofEpochSecond(instants[0].getEpochSecond());
        for (int round = 0; round < 3; round++) {
            for (Instant instant : instants) assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
            assertThat(InstantText.of(instants[7])).isSameAs(InstantText.of(instants[7]));
        }
    }
}

package heromgr.proc.embedded;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A crash loop's exit warnings: the first few logged, then one per period saying how many were left out. */
class ExitWarningsTest {
    private static final long PERIOD = ExitWarnings.PERIOD.toNanos();

    @Test
    void aLoopIsToldAFewTimesAPeriodAndCountsWhatItLeftOut() {
        var w = new ExitWarnings();
        var logged = new ArrayList<String>();
        for (int i = 0; i < 100; i++) {
            String line = w.admit("exit " + i, i * (PERIOD / 100));
            if (line != null) logged.add(line);
        }
        assertThat(logged).containsExactly("exit 0", "exit 1", "exit 2");
        assertThat(w.admit("exit 100", PERIOD)).isEqualTo("exit 100 (97 more exits since the last one logged, not logged)");
        assertThat(w.admit("exit 101", PERIOD + 1)).isEqualTo("exit 101");
    }

    @Test
    void rareExitsAreEachLogged() {
        var w = new ExitWarnings();
        List<String> lines = List.of(w.admit("a", 0), w.admit("b", PERIOD), w.admit("c", 3 * PERIOD));
        assertThat(lines).containsExactly("a", "b", "c");
    }
}

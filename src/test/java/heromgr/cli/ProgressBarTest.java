package heromgr.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress bar's text: what a terminal shows while a release downloads. */
class ProgressBarTest {
    @Test
    void aKnownTotalDrawsABarThePercentageAndBothSizes() {
        assertThat(ProgressBar.line("hero_echo_server", 1024 * 1024, 2 * 1024 * 1024))
                .isEqualTo("hero_echo_server  [###############---------------]  50%  1.0 MiB / 2.0 MiB");
        assertThat(ProgressBar.line("x", 0, 10)).isEqualTo("x  [------------------------------]   0%  0 B / 10 B");
        assertThat(ProgressBar.line("x", 10, 10)).isEqualTo("x  [##############################] 100%  10 B / 10 B");
    }

    @Test
    void theBarNeverOverflowsWhenMoreArrivesThanAnnounced() {
        assertThat(ProgressBar.line("x", 15, 10)).startsWith("x  [##############################] 100%  15 B");
    }

    @Test
    void anUnknownTotalShowsTheBytesSoFar() {
        assertThat(ProgressBar.line("hero_echo_server", 3 * 1024 * 1024 + 512 * 1024, -1)).isEqualTo("hero_echo_server  3.5 MiB");
    }

    @Test
    void aLongLabelIsCutSoTheLineFitsATerminal() {
        String line = ProgressBar.line("a_very_long_binary_name_that_goes_on_and_on", 1, 2);
        assertThat(line).startsWith("a_very_long_binary_name…  [").hasSizeLessThanOrEqualTo(80);
    }

    @Test
    void sizesUseBinaryUnits() {
        assertThat(ProgressBar.size(1023)).isEqualTo("1023 B");
        assertThat(ProgressBar.size(1536)).isEqualTo("1.5 KiB");
        assertThat(ProgressBar.size(20L * 1024 * 1024)).isEqualTo("20.0 MiB");
        assertThat(ProgressBar.size(3L << 30)).isEqualTo("3.0 GiB");
    }

    @Test
    void redrawingPadsOverALongerLineAndClearingErasesIt() {
        assertThat(ProgressBar.redraw("abc", 0)).isEqualTo("\rabc");
        assertThat(ProgressBar.redraw("abc", 5)).isEqualTo("\rabc  ");
        assertThat(ProgressBar.clear(3)).isEqualTo("\r   \r");
        assertThat(ProgressBar.clear(0)).isEmpty();
    }
}

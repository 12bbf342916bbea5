package heromgr.cli;

import heromgr.cli.TableFormat.Cell;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableFormatTest {
    private static Terminal terminal(boolean color) {
        var sink = new PrintWriter(Writer.nullWriter());
        return new Terminal(sink, sink, Map.of(), color);
    }

    @Test
    void columnsAlignOnTheWidestCell() {
        var table = new TableFormat("NAME", "STATE", "PID")
                .row("hero_echo", "RUNNING", "4242")
                .row("x", "STOPPED", "-");

        assertThat(table.render(terminal(false))).containsExactly(
                "NAME       STATE    PID",
                "hero_echo  RUNNING  4242",
                "x          STOPPED  -");
    }

    @Test
    void colorsDoNotShiftColumns() {
        var table = new TableFormat("A", "B").row(new Cell("ok", "32"), Cell.of("x"));

        var lines = table.render(terminal(true));

        assertThat(lines.get(1)).isEqualTo("\u001b[32mok\u001b[0m  x");
        assertThat(lines.get(0)).isEqualTo("\u001b[1mA\u001b[0m   \u001b[1mB\u001b[0m");
    }

    @Test
    void lastColumnHasNoTrailingBlanks() {
        var table = new TableFormat("A", "DETAIL").row("1", "").row("2", "long detail");

        assertThat(table.render(terminal(false))).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }

    @Test
    void rowWidthMustMatchHeaders() {
        assertThatThrownBy(() -> new TableFormat("A", "B").row("only one"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package heromgr.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A left-aligned text table. Widths come from the visible text, so colored cells (whose ANSI codes take no
 * room on screen) still line up.
 */
public final class TableFormat {
    /** One cell: its text and an optional ANSI SGR code to paint it with (null: plain). */
    public record Cell(String text, String sgr) {
        public static Cell of(String text) {
            return new Cell(text, null);
        }
    }

    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<List<Cell>> rows = new ArrayList<>();

    public TableFormat(String... headers) {
        this.headers = List.of(headers);
    }

    public TableFormat row(Cell... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(headers.size() + " cells expected, got " + cells.length);
        }
        rows.add(List.of(cells));
        return this;
    }

    /** Convenience for rows without colors. */
    public TableFormat row(String... texts) {
        Cell[] cells = new Cell[texts.length];
        for (int i = 0; i < texts.length; i++) cells[i] = Cell.of(texts[i]);
        return row(cells);
    }

    public int size() {
        return rows.size();
    }

    /** The table as lines, header first; trailing blanks trimmed so the output diffs cleanly. */
    public List<String> render(Terminal terminal) {
        int[] widths = widths();
        List<String> lines = new ArrayList<>(rows.size() + 1);
        List<Cell> header = new ArrayList<>();
        for (String h : headers) header.add(new Cell(h, "1"));
        lines.add(line(header, widths, terminal));
        for (List<Cell> row : rows) lines.add(line(row, widths, terminal));
        return lines;
    }

    private int[] widths() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = headers.get(i).length();
        for (List<Cell> row : rows) {
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row.get(i).text().length());
        }
        return widths;
    }

    private static String line(List<Cell> cells, int[] widths, Terminal terminal) {
        var sb = new StringBuilder(80);
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            if (i > 0) sb.append(GAP);
            sb.append(cell.sgr() == null ? cell.text() : terminal.paint(cell.sgr(), cell.text()));
            if (i < cells.size() - 1) sb.repeat(' ', widths[i] - cell.text().length());
        }
        return sb.toString().stripTrailing();
    }
}

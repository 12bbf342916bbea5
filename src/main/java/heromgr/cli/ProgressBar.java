package heromgr.cli;

import java.util.Locale;

/**
 * The text of a one-line progress bar, kept free of I/O so its shape can be tested: a label, the bar, the percentage
 * and the sizes, or only the bytes so far when the total is unknown. Redrawn in place with a carriage return, each
 * new line padded over a longer previous one.
 */
final class ProgressBar {
    static final int WIDTH = 30;
    static final int LABEL = 24;
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private ProgressBar() {
    }

    /** E.g. {@code hero_echo_server  [###############---------------]  50%  1.0 MiB / 2.0 MiB}; total < 0: unknown. */
    static String line(String label, long done, long total) {
        String name = label.length() > LABEL ? label.substring(0, LABEL - 1) + "…" : label;
        if (total <= 0) return name + "  " + size(done);
        long shown = Math.min(done, total);
        int filled = (int) (shown * WIDTH / total);
        return name + "  [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", shown * 100 / total) + "  " + size(done) + " / " + size(total);
    }

    /** Bytes in binary units with one decimal: 512 B, 1.5 KiB, 20.0 MiB. */
    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        double v = bytes;
        int unit = -1;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /** What redraws line over a previously drawn line of previousLength characters (0: nothing drawn yet). */
    static String redraw(String line, int previousLength) {
        return "\r" + line + " ".repeat(Math.max(0, previousLength - line.length()));
    }

    /** What erases a drawn line of that length and leaves the cursor at its start, so output continues cleanly. */
    static String clear(int length) {
        return length == 0 ? "" : "\r" + " ".repeat(length) + "\r";
    }
}

package heromgr.cli;

import java.util.Locale;

/** Durations for humans: uptimes coarse and compact (3s, 4m12s, 2h3m), operation times with a decimal (4.2 s). */
public final class DurationFormat {
    private DurationFormat() {
    }

    /** Two units at most: beyond a minute, seconds stop mattering to someone reading a status table. */
    public static String uptime(long ms) {
        long s = Math.max(0, ms) / 1000;
        if (s < 60) return s + "s";
        long m = s / 60;
        if (m < 60) return m + "m" + (s % 60) + "s";
        long h = m / 60;
        if (h < 24) return h + "h" + (m % 60) + "m";
        return (h / 24) + "d" + (h % 24) + "h";
    }

    /** Any duration for a person: as {@link #elapsed} below a minute, as {@link #uptime} from there on. */
    public static String human(long ms) {
        return Math.abs(ms) < 60_000 ? elapsed(ms) : uptime(ms);
    }

    /** An operation's duration: "850 ms" below a second, else seconds with one decimal ("4.2 s"). */
    public static String elapsed(long ms) {
        if (ms < 1000) return Math.max(0, ms) + " ms";
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}

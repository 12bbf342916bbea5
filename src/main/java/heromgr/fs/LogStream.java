package heromgr.fs;

import java.util.Locale;

/** The output stream of a process a log line came from: each has its own file (see {@link LogFiles#stderrOf}). */
public enum LogStream {
    STDOUT, STDERR;

    /** The name used on the wire and on the command line: "stdout", "stderr". */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LogStream ofWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}

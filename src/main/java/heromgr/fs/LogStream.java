package heromgr.fs;

import java.util.Locale;

/** The output stream of a process a log line came from: each has its own file (see {@link LogFiles#stderrOf}). */
public enum LogStream {
    STDOUT, STDERR;

    /** The name used on the wire and on the command line: "stdout", "stderr". */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value, which "No enum constant heromgr.fs.LogStream.X" did not */
    public static LogStream ofWire(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stream '" + name + "' must be stdout or stderr");
        }
    }
}

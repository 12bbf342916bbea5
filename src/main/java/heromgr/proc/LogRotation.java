package heromgr.proc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Size-based rotation of an action's log: once the file holds more than maxBytes, its front goes to
 * {@code <log>.1} (the older ones shift to .2 … .keep, the oldest beyond keep is deleted) while the service keeps
 * appending (see the log room's LogRotator). The defaults keep 64 MiB live plus 5 rotated files: 384 MiB at most per action,
 * room for the 200 MiB burst the issue asks to keep completely, and a rotation copies at most one file's worth.
 */
public record LogRotation(long maxBytes, int keep) {
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_KEEP = 5;
    private static final LogRotation DEFAULTS = new LogRotation(DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    /** A bound on the files looked for beyond keep, so a listing never walks an unbounded directory. */
    private static final int MAX_LISTED = 10_000;

    public LogRotation {
        if (maxBytes <= 0) throw new IllegalArgumentException("log rotation: max bytes must be positive, not " + maxBytes);
        if (keep <= 0) throw new IllegalArgumentException("log rotation: keep must be positive, not " + keep);
    }

    public static LogRotation defaults() {
        return DEFAULTS;
    }

    /** The n-th rotated file of log ({@code main.log.1} is the newest). */
    public static Path rotated(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }

    /** The rotated files that exist, newest first ({@code .1}, {@code .2}, …): rotation keeps them numbered without gaps. */
    public static List<Path> rotatedFiles(Path log) {
        var out = new ArrayList<Path>();
        for (int n = 1; n <= MAX_LISTED; n++) {
            Path p = rotated(log, n);
            if (!Files.exists(p)) break;
            out.add(p);
        }
        return out;
    }

    /** The rotated files, oldest first, then the live one: the log as one stream of bytes, in the order written. */
    public static List<Path> chain(Path log) {
        var files = new ArrayList<>(rotatedFiles(log).reversed());
        files.add(log);
        return files;
    }
}

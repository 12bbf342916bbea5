package heromgr.proc;

import heromgr.fs.LogFiles;

import java.nio.file.Path;
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

    public LogRotation {
        if (maxBytes <= 0) throw new IllegalArgumentException("log rotation: max bytes must be positive, not " + maxBytes);
        if (keep <= 0) throw new IllegalArgumentException("log rotation: keep must be positive, not " + keep);
    }

    public static LogRotation defaults() {
        return DEFAULTS;
    }

    /** The n-th rotated file of log ({@code main.log.1} is the newest). */
    public static Path rotated(Path log, int n) {
        return LogFiles.rotated(log, n);
    }

    /** The rotated files that exist, newest first ({@code .1}, {@code .2}, …): rotation keeps them numbered without gaps. */
    public static List<Path> rotatedFiles(Path log) {
        return LogFiles.rotatedFiles(log);
    }

    /** The rotated files, oldest first, then the live one: the log as one stream of bytes, in the order written. */
    public static List<Path> chain(Path log) {
        return LogFiles.chain(log);
    }
}

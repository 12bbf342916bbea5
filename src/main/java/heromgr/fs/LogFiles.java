package heromgr.fs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an action's log files are, given its log (the stdout file, e.g. {@code main.log}): the stderr file beside it
 * ({@code main.err.log}), the rotated files of each ({@code main.log.1} … , newest first) and the time index of each
 * file ({@code .main.log.idx}, hidden). Action names hold no dot, so {@code *.err.log} is never an action's log.
 */
public final class LogFiles {
    /** A bound on the files looked for beyond keep, so a listing never walks an unbounded directory. */
    private static final int MAX_LISTED = 10_000;
    private static final String LOG = ".log";

    private LogFiles() {
    }

    /** The file the action's stderr goes to: {@code main.log} → {@code main.err.log}; another name gets ".err" appended. */
    public static Path stderrOf(Path log) {
        String name = log.getFileName().toString();
        return log.resolveSibling(name.endsWith(LOG)
                ? name.substring(0, name.length() - LOG.length()) + ".err" + LOG
                : name + ".err");
    }

    /** The file of one stream of the action whose (stdout) log is log. */
    public static Path of(Path log, LogStream stream) {
        return stream == LogStream.STDOUT ? log : stderrOf(log);
    }

    /** Whether a file name found in a log folder is a stderr file rather than an action's log. */
    public static boolean isStderr(String fileName) {
        return fileName.endsWith(".err" + LOG);
    }

    /** The n-th rotated file of a log file ({@code main.log.1} is the newest). */
    public static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** The rotated files that exist, newest first ({@code .1}, {@code .2}, …): rotation keeps them numbered without gaps. */
    public static List<Path> rotatedFiles(Path file) {
        var out = new ArrayList<Path>();
        for (int n = 1; n <= MAX_LISTED; n++) {
            Path p = rotated(file, n);
            if (!Files.exists(p)) break;
            out.add(p);
        }
        return out;
    }

    /** The rotated files, oldest first, then the live one: the log as one stream of bytes, in the order written. */
    public static List<Path> chain(Path file) {
        var files = new ArrayList<>(rotatedFiles(file).reversed());
        files.add(file);
        return files;
    }

    /** The time index kept beside a (live or rotated) log file: {@code main.log} → {@code .main.log.idx}. */
    public static Path indexOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".idx");
    }
}

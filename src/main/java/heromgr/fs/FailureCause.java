package heromgr.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/** Why a file could not be written, in words a person reads in an error message. */
public final class FailureCause {
    private FailureCause() {
    }

    /** The file the failure names (when it names one) and the cause in words: "/h/bin/x: no space left on device". */
    public static String describe(IOException e) {
        if (e instanceof LinkRefusedException) return e.getMessage();
        return e instanceof FileSystemException fse && fse.getFile() != null ? fse.getFile() + ": " + inWords(e) : inWords(e);
    }

    /** For a write to file that failed: "cannot write <file>: <the cause in words>". */
    public static UncheckedIOException writing(Path file, IOException e) {
        return new UncheckedIOException("cannot write " + file + ": " + inWords(e), e);
    }

    /**
     * Whether the write failed for want of room or permission to write here (a full disk or quota, a read-only file
     * system, a refused link), not because of what was written: the same write works again once that is fixed.
     */
    public static boolean isStorage(IOException e) {
        if (e instanceof LinkRefusedException) return true;
        String words = inWords(e);
        return words.equals("no space left on device") || words.equals("disk quota exceeded") || words.equals("read-only file system");
    }

    /** "no space left on device", "read-only file system", "permission denied", …: the system's reason, lower case. */
    public static String inWords(IOException e) {
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (e instanceof AccessDeniedException && reason == null) return "permission denied";
        if (e instanceof LinkRefusedException) return e.getMessage();
        if (reason == null) return e.getClass().getSimpleName();
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) return "no space left on device";
        if (lower.contains("disk quota exceeded")) return "disk quota exceeded";
        if (lower.contains("read-only file system")) return "read-only file system";
        return reason;
    }
}

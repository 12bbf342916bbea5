package heromgr.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A test hook: the daemon stops dead (SIGKILL to itself, so no finally block or shutdown hook runs) the n-th time it
 * reaches a named point, to prove that what it writes survives a crash there. Armed by
 * {@code HEROMGR_CRASH_AT=<point>[:<n>]} (n from 1, default 1), e.g. {@code state-temp-written} or
 * {@code create-defined:3}; read once, when this class loads. Unset, each check is one read of a null static final.
 */
public enum CrashPoint {
    /** An install's asset is downloaded into its temp file in bin/, not yet checked. */
    INSTALL_DOWNLOADED,
    /** An install's assets are downloaded and checked; nothing in bin/ is switched yet. */
    INSTALL_VERIFIED,
    /** An install kept the binary it replaces aside (previous/), the new one not yet renamed over it. */
    INSTALL_SWITCHING,
    /** An install's binaries are all in place, its install record not yet written. */
    INSTALL_BEFORE_RECORD,
    /** A create wrote its definition and has not begun its start (n: the n-th create of this daemon, in a batch too). */
    CREATE_DEFINED,
    /** Half of the first pending line of the operation log written (and synced), the rest not. */
    OPS_MID_RECORD,
    /** runtime.json's temp file written, not yet renamed over it. */
    STATE_TEMP_WRITTEN(Stage.TEMP_WRITTEN, "[^/]+/runtime\\.json"),
    /** runtime.json renamed into place (it has no folder fsync: the next write may not have begun). */
    STATE_RENAMED(Stage.RENAMED, "[^/]+/runtime\\.json"),
    /** A transient definition's temp file written, not yet renamed. */
    DEFINITION_TEMP_WRITTEN(Stage.TEMP_WRITTEN, "transient/[^/]+\\.json"),
    /** A transient definition renamed into place, its folder not yet synced. */
    DEFINITION_RENAMED(Stage.RENAMED, "transient/[^/]+\\.json"),
    /** An install record's temp file written, not yet renamed. */
    INSTALL_RECORD_TEMP_WRITTEN(Stage.TEMP_WRITTEN, "installed/[^/]+\\.json"),
    /** An install record renamed into place, its folder not yet synced. */
    INSTALL_RECORD_RENAMED(Stage.RENAMED, "installed/[^/]+\\.json"),
    /** A build record's temp file written, not yet renamed. */
    BUILD_RECORD_TEMP_WRITTEN(Stage.TEMP_WRITTEN, "builds/[^/]+\\.json"),
    /** A build record renamed into place, its folder not yet synced. */
    BUILD_RECORD_RENAMED(Stage.RENAMED, "builds/[^/]+\\.json");

    /** The two moments of an atomic write ({@link AtomicFile}) a point can name. */
    enum Stage { TEMP_WRITTEN, RENAMED }

    public static final String VARIABLE = "HEROMGR_CRASH_AT";
    private static final CrashPoint ARMED;
    private static final int AT;
    private static final AtomicInteger REACHED = new AtomicInteger();

    static {
        String value = System.getenv(VARIABLE);
        if (value == null || value.isBlank()) {
            ARMED = null;
            AT = 0;
        } else {
            String[] parts = value.strip().split(":", 2);
            ARMED = named(parts[0]);
            AT = parts.length == 1 ? 1 : Integer.parseInt(parts[1]);
        }
    }

    private final Stage stage;
    private final Pattern file;

    CrashPoint() {
        this(null, null);
    }

    CrashPoint(Stage stage, String file) {
        this.stage = stage;
        this.file = file == null ? null : Pattern.compile(file);
    }

    /** The point armed in this process, or null; an unknown name fails with the known ones (checked at daemon start). */
    public static CrashPoint armed() {
        return ARMED;
    }

    /** Its name in {@value #VARIABLE}: lower case, words joined by '-'. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Stops the process dead here when this is the armed point, reached for the n-th time. */
    public void reach() {
        if (due()) stopDead();
    }

    /** True (once) when the armed point is this one and this is its n-th time: the caller does its part, then {@link #stopDead}. */
    public boolean due() {
        return ARMED == this && REACHED.incrementAndGet() == AT;
    }

    /** At an atomic write of target: the armed point's if it names this stage of a file like target. */
    static void atAtomicWrite(Stage stage, Path target) {
        CrashPoint p = ARMED;
        if (p == null || p.stage != stage) return;
        int n = target.getNameCount();
        if (n >= 2 && p.file.matcher(target.subpath(n - 2, n).toString()).matches()) p.reach();
    }

    /** SIGKILL to this process, as a crash would end it: no finally block, no shutdown hook, no flush. */
    public static void stopDead() {
        System.err.println("heromgr: crash point " + ARMED.wireName() + " reached (" + VARIABLE + "): SIGKILL to myself");
        try {
            new ProcessBuilder("/bin/kill", "-KILL", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
        } catch (IOException | InterruptedException e) {
            // no kill(1): halt is the next best (it skips the shutdown hooks, though not the kernel's view of an exit)
        }
        Runtime.getRuntime().halt(137);
    }

    private static CrashPoint named(String wire) {
        for (CrashPoint p : values()) {
            if (p.wireName().equals(wire)) return p;
        }
        var known = new StringBuilder();
        for (CrashPoint p : values()) known.append(known.isEmpty() ? "" : ", ").append(p.wireName());
        throw new IllegalArgumentException(VARIABLE + "=" + wire + " names no crash point (known: " + known + ")");
    }
}

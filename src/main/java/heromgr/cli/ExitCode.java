package heromgr.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The CLI's exit codes: scripts branch on them, so they are part of the interface and listed in --help. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int NO_SUCH_SERVICE = 4;

    /** For the --help footer, in order. */
    static Map<String, String> helpList() {
        var list = new LinkedHashMap<String, String>();
        list.put(String.valueOf(OK), "ok");
        list.put(String.valueOf(FAILED), "the operation failed (or a health check is failing)");
        list.put(String.valueOf(USAGE), "usage error");
        list.put(String.valueOf(UNREACHABLE), "daemon not reachable");
        list.put(String.valueOf(NO_SUCH_SERVICE), "no such service");
        return list;
    }

    private ExitCode() {
    }
}

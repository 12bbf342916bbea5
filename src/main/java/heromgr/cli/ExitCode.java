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
    /** status: the service is not running (stopped, exited, starting or stopping); systemctl's is-active says 3, taken here. */
    public static final int NOT_RUNNING = 5;
    /** status: the service crashed (FAILED) or is crash-looping (BACKOFF), like systemctl is-failed. */
    public static final int SERVICE_FAILED = 6;
    /** The daemon refused the call: the caller may only read (a member of its viewer group), and the call changes something. */
    public static final int FORBIDDEN = 7;

    /** status's exit code for a service state: 0 only when it runs, so `heromgr service status x && …` means it is up. */
    static int ofState(String state) {
        return switch (state) {
            case "RUNNING" -> OK;
            case "FAILED", "BACKOFF" -> SERVICE_FAILED;
            default -> NOT_RUNNING;
        };
    }

    /** For the --help footer, in order. */
    static Map<String, String> helpList() {
        var list = new LinkedHashMap<String, String>();
        list.put(String.valueOf(OK), "ok");
        list.put(String.valueOf(FAILED), "the operation failed (or a health check is failing)");
        list.put(String.valueOf(USAGE), "usage error");
        list.put(String.valueOf(UNREACHABLE), "daemon not reachable");
        list.put(String.valueOf(NO_SUCH_SERVICE), "no such service");
        list.put(String.valueOf(NOT_RUNNING), "status: the service is not running (stopped, exited, starting, stopping)");
        list.put(String.valueOf(SERVICE_FAILED), "status: the service failed or is crash-looping (FAILED, BACKOFF)");
        list.put(String.valueOf(FORBIDDEN), "forbidden: this user may only read (the daemon's viewer group)");
        return list;
    }

    private ExitCode() {
    }
}

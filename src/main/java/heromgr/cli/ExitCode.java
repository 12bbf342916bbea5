package heromgr.cli;

/** The CLI's exit codes: scripts branch on them, so they are part of the interface and listed in --help. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int NO_SUCH_SERVICE = 4;

    /** The JSON-RPC error code the daemon uses for an unknown service name (ErrorCode.SERVICE_NOT_FOUND). */
    static final int SERVICE_NOT_FOUND_RPC = -32001;

    /** Lines for picocli's exit-code list, "code:description". */
    static final String[] HELP_LIST = {
        "0:ok",
        "1:the operation failed (or a health check is failing)",
        "2:usage error",
        "3:daemon not reachable",
        "4:no such service",
    };

    private ExitCode() {
    }
}

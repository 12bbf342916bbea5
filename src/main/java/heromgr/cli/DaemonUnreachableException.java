package heromgr.cli;

import java.nio.file.Path;

/** No daemon is listening on the socket: a condition of its own (exit 3) because the fix is to start it. */
public final class DaemonUnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path socket;
    private final String reason;

    public DaemonUnreachableException(Path socket, String reason) {
        super("daemon not reachable at " + socket + ": " + reason);
        this.socket = socket;
        this.reason = reason;
    }

    public Path socket() {
        return socket;
    }

    public String reason() {
        return reason;
    }

    /** The one line a user sees, with what to do about it. */
    public String userMessage() {
        return "heromgr: " + getMessage() + ". Start it with: heromgr daemon";
    }
}

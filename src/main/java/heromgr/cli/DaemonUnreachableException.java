package heromgr.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import heromgr.fs.HeroPaths;

import java.nio.file.Path;
import java.util.Map;

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

    /**
     * The one line a user sees, with what to do about it: the exact command that starts a daemon on this socket
     * (the plain one only when, in this environment, it would listen there anyway).
     */
    /** What --json prints on stdout: the message and the socket, as one object. */
    public String jsonMessage() {
        return JsonText.pretty(JsonNodeFactory.instance.objectNode().put("message", getMessage()).put("socket", socket.toString()));
    }

    public String userMessage(Map<String, String> env) {
        boolean plain = env.get("HEROMGR_SOCKET") == null && socket.equals(HeroPaths.fromEnvironment(env, null).managerSocket());
        return "heromgr: " + getMessage() + ". Start it with: heromgr daemon start" + (plain ? "" : " --socket " + socket);
    }
}

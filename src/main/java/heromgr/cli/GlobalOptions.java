package heromgr.cli;

import heromgr.service.HeroPaths;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** The options every client command takes, mixed into each so they may follow the operation's own arguments. */
public final class GlobalOptions {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "The daemon's socket (default: $HEROMGR_SOCKET, else $HERO_SOCKET_DIR/heromgr/service.sock).")
    Path socket;

    @Option(names = "--json", description = "Print the RPC result (or error object) as JSON and nothing else.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** The socket to talk to: the option, else $HEROMGR_SOCKET, else the Hero convention. */
    public Path socket(Map<String, String> env) {
        if (socket != null) return socket;
        String fromEnv = env.get("HEROMGR_SOCKET");
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        return HeroPaths.fromEnvironment(env, null).managerSocket();
    }

    public boolean json() {
        return json;
    }
}

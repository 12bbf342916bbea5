package heromgr.cli;

import heromgr.fs.HeroPaths;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Map;

/**
 * The options every client command takes (--socket, --json), declared on each so they may follow the
 * operation's own arguments.
 */
public record GlobalOptions(Path socketOption, boolean json) {
    static final String SOCKET = "--socket";
    static final String JSON = "--json";

    static void declare(CommandSpec spec) {
        spec.addOption(LeafCommand.valueOption(SOCKET, "PATH", Path.class,
                "The daemon's socket (default: $HEROMGR_SOCKET, else $HERO_SOCKET_DIR/heromgr/service.sock)."));
        spec.addOption(LeafCommand.flagOption(JSON, "Print the RPC result (or error object) as JSON and nothing else."));
    }

    static GlobalOptions read(CommandSpec spec) {
        Path socket = spec.findOption(SOCKET).getValue();
        Boolean json = spec.findOption(JSON).getValue();
        return new GlobalOptions(socket, Boolean.TRUE.equals(json));
    }

    /** The socket to talk to: the option, else $HEROMGR_SOCKET, else the Hero convention. */
    public Path socket(Map<String, String> env) {
        if (socketOption != null) return socketOption;
        String fromEnv = env.get("HEROMGR_SOCKET");
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        return HeroPaths.fromEnvironment(env, null).managerSocket();
    }
}

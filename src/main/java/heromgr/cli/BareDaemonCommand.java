package heromgr.cli;

import heromgr.server.AccessGroups;
import heromgr.server.Daemon;
import heromgr.server.web.LoopbackAddress;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * `heromgr daemon` with nothing but its own options, each at most once as `--option VALUE`, run without picocli:
 * its model of the command tree and the parse were ~45 ms of the daemon's start before it did anything of its own.
 * The same {@link Daemon#run} with the same arguments as {@link DaemonCommand} would give it; anything else on the
 * line (help, `daemon start|stop|status`, `--option=VALUE`, an @file, a repeated or unknown option, a value that looks
 * like an option or is not valid) goes to picocli, which answers it as before.
 */
final class BareDaemonCommand {
    private static final Set<String> VALUED = Set.of(DaemonCommand.HOME, DaemonCommand.SOCKET, DaemonCommand.OPERATOR_GROUP,
            DaemonCommand.VIEWER_GROUP, DaemonCommand.HTTP);

    private BareDaemonCommand() {
    }

    /** The daemon's exit code, or empty when args are not a plain `daemon` line (picocli runs them). */
    static Optional<Integer> run(String[] args, Terminal terminal) {
        return parse(args).map(line -> {
            Path socket = line.socket();
            return Daemon.run(line.home(), socket != null ? socket : DaemonCommand.socketFromEnvironment(terminal),
                    line.stopServices(), line.http(), line.groups());
        });
    }

    /** What a plain `daemon` line asks for: the arguments of {@link Daemon#run}, the socket before the environment's. */
    record DaemonLine(Path home, Path socket, boolean stopServices, String http, AccessGroups groups) {
    }

    /** The line's options, or empty when picocli must read it. */
    static Optional<DaemonLine> parse(String[] args) {
        if (args.length == 0 || !args[0].equals("daemon")) return Optional.empty();
        Map<String, String> values = new HashMap<>();
        boolean stopServices = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@")) return Optional.empty(); // an @file picocli expands
            if (arg.equals(DaemonCommand.STOP_SERVICES) && !stopServices) {
                stopServices = true;
            } else if (VALUED.contains(arg) && i + 1 < args.length && !args[i + 1].startsWith("-") && !args[i + 1].startsWith("@") && !values.containsKey(arg)) {
                values.put(arg, args[++i]);
            } else {
                return Optional.empty();
            }
        }
        try {
            String http = values.get(DaemonCommand.HTTP);
            if (http != null) LoopbackAddress.parse(http);
            return Optional.of(new DaemonLine(path(values.get(DaemonCommand.HOME)), path(values.get(DaemonCommand.SOCKET)),
                    stopServices, http, new AccessGroups(values.get(DaemonCommand.OPERATOR_GROUP), values.get(DaemonCommand.VIEWER_GROUP))));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // picocli's usage error names it
        }
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }
}

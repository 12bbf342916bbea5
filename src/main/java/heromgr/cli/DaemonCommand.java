package heromgr.cli;

import heromgr.fs.HeroPaths;
import heromgr.server.AccessGroups;
import heromgr.server.Daemon;
import heromgr.server.web.LoopbackAddress;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/**
 * `heromgr daemon`: runs the manager in the foreground (a user systemd unit or a terminal supervises it);
 * `daemon start|stop|status` ({@link DaemonControl}) run it detached and look after it.
 */
final class DaemonCommand extends LeafCommand {
    static final String HOME = "--home";
    static final String SOCKET = "--socket";
    static final String STOP_SERVICES = "--stop-services-on-exit";
    static final String OPERATOR_GROUP = "--operator-group";
    static final String VIEWER_GROUP = "--viewer-group";
    static final String HTTP = "--http";

    DaemonCommand(Terminal terminal) {
        super(terminal);
    }

    /** The daemon and its start|stop|status, which a run attaches only when it names `daemon`. */
    static CommandLine commandLine(Terminal terminal) {
        var commandLine = new CommandLine(new DaemonCommand(terminal).spec());
        for (var control : DaemonControl.all(terminal)) commandLine.addSubcommand(control.spec());
        return commandLine;
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("daemon", "Run the service-manager daemon in the foreground until SIGTERM/SIGINT",
                "(or detached: daemon start, and daemon stop, daemon status).");
        declareLocation(spec);
        spec.addOption(flagOption(STOP_SERVICES,
                "Stop the managed services when the daemon stops (default: leave them running for the next daemon to adopt)."));
        declareAccess(spec);
        spec.addOption(valueOption(HTTP, "HOST:PORT", String.class,
                "Also serve the Admin UI on this loopback address (127.0.0.1:PORT, PORT 0: any free port), behind a token; "
                        + "`heromgr ui` prints the URL (default: $HEROMGR_HTTP, else only admin.sock)."));
        return spec;
    }

    /** --operator-group and --viewer-group: who else may connect, for running one and for starting one detached alike. */
    static void declareAccess(CommandSpec spec) {
        spec.addOption(valueOption(OPERATOR_GROUP, "GROUP", String.class,
                "Members of GROUP may operate the daemon like its own user (the socket and its folder are opened to it by an ACL)."));
        spec.addOption(valueOption(VIEWER_GROUP, "GROUP", String.class,
                "Members of GROUP may only read: list, status, inspect, health, logs, events, metrics (a change: exit 7)."));
    }

    /** --home and --socket: which daemon, for running one and for looking after one alike. */
    static void declareLocation(CommandSpec spec) {
        spec.addOption(valueOption(HOME, "DIR", Path.class, "HERO_HOME to manage (default: $HERO_HOME, else ~/hero)."));
        spec.addOption(valueOption(SOCKET, "PATH", Path.class,
                "Socket to listen on (default: $HEROMGR_SOCKET, else $HERO_SOCKET_DIR/heromgr/service.sock, "
                        + "or with --home DIR: DIR/var/sockets/heromgr/service.sock)."));
    }

    @Override
    public Integer call() {
        Path socket = option(SOCKET);
        boolean stopServices = Boolean.TRUE.equals(option(STOP_SERVICES));
        String http = option(HTTP);
        if (http != null) {
            try {
                LoopbackAddress.parse(http);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandSpec().commandLine(), e.getMessage());
            }
        }
        return Daemon.run(option(HOME), socket != null ? socket : socketFromEnvironment(terminal), stopServices, http,
                new AccessGroups(option(OPERATOR_GROUP), option(VIEWER_GROUP)));
    }

    /** HEROMGR_SOCKET moves the daemon and the client together, so one variable points both at a sandbox. */
    static Path socketFromEnvironment(Terminal terminal) {
        String value = terminal.env().get("HEROMGR_SOCKET");
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    /** The socket a daemon of these options listens on: the option, else $HEROMGR_SOCKET, else the home's. */
    static Path socket(Terminal terminal, Path home, Path socketOption) {
        if (socketOption != null) return socketOption.toAbsolutePath();
        Path fromEnv = socketFromEnvironment(terminal);
        return fromEnv != null ? fromEnv.toAbsolutePath() : HeroPaths.fromEnvironment(terminal.env(), home).managerSocket();
    }
}

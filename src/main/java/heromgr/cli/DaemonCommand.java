package heromgr.cli;

import heromgr.server.Daemon;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;

/** `heromgr daemon`: runs the manager in the foreground (a user systemd unit or a terminal supervises it). */
final class DaemonCommand extends LeafCommand {
    DaemonCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = newSpec("daemon", "Run the service-manager daemon in the foreground until SIGTERM/SIGINT.");
        spec.addOption(valueOption("--home", "DIR", Path.class, "HERO_HOME to manage (default: $HERO_HOME, else ~/hero)."));
        spec.addOption(valueOption("--socket", "PATH", Path.class,
                "Socket to listen on (default: $HEROMGR_SOCKET, else $HERO_SOCKET_DIR/heromgr/service.sock)."));
        spec.addOption(flagOption("--stop-services-on-exit",
                "Stop the managed services when the daemon stops (default: leave them running for the next daemon to adopt)."));
        return spec;
    }

    @Override
    public Integer call() {
        Path socket = option("--socket");
        boolean stopServices = Boolean.TRUE.equals(option("--stop-services-on-exit"));
        return Daemon.run(option("--home"), socket != null ? socket : socketFromEnvironment(), stopServices);
    }

    /** HEROMGR_SOCKET moves the daemon and the client together, so one variable points both at a sandbox. */
    private Path socketFromEnvironment() {
        String value = terminal.env().get("HEROMGR_SOCKET");
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}

package heromgr.cli;

import heromgr.server.Daemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `heromgr daemon`: runs the manager in the foreground (a user systemd unit or a terminal supervises it). */
@Command(name = "daemon", description = "Run the service-manager daemon in the foreground until SIGTERM/SIGINT.")
public final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Option(names = "--home", paramLabel = "DIR", description = "HERO_HOME to manage (default: $HERO_HOME, else ~/hero).")
    Path home;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Socket to listen on (default: $HEROMGR_SOCKET, else $HERO_SOCKET_DIR/heromgr/service.sock).")
    Path socket;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        return Daemon.run(home, socket != null ? socket : socketFromEnvironment());
    }

    /** HEROMGR_SOCKET moves the daemon and the client together, so one variable points both at a sandbox. */
    private Path socketFromEnvironment() {
        String value = main.terminal().env().get("HEROMGR_SOCKET");
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}

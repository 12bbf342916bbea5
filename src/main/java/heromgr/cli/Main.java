package heromgr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.IVersionProvider;

/** The heromgr command line: the daemon itself, and the client commands that talk to it over its socket. */
@Command(name = "heromgr",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Service manager for the Hero stack: runs the daemon, and builds, installs, starts and watches "
                + "services through it.",
        subcommands = {DaemonCommand.class, ServiceCommand.class, RpcCommand.class, VersionCommand.class,
                CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:the operation failed (or a health check is failing)",
            "2:usage error",
            "3:daemon not reachable",
            "4:no such service",
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  HEROMGR_SOCKET   the daemon's socket, when --socket is not given",
            "  HERO_SOCKET_DIR  otherwise the socket is $HERO_SOCKET_DIR/heromgr/service.sock",
            "  NO_COLOR         set to turn colors off",
        })
public final class Main {
    private final Terminal terminal;

    Main(Terminal terminal) {
        this.terminal = terminal;
    }

    public Terminal terminal() {
        return terminal;
    }

    public static void main(String[] args) {
        System.exit(execute(args, Terminal.system()));
    }

    /** Runs the command line and returns its exit code instead of exiting, so tests can run it in-process. */
    public static int execute(String[] args, Terminal terminal) {
        CommandLine commandLine = commandLine(terminal);
        int code = commandLine.execute(args);
        terminal.flush();
        return code;
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandLine commandLine = new CommandLine(new Main(terminal))
                .setOut(terminal.out())
                .setErr(terminal.err())
                .setColorScheme(CommandLine.Help.defaultColorScheme(terminal.color() ? Ansi.ON : Ansi.OFF));
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            // Unexpected failures (bugs, the daemon's own start-up errors) get one line, not a stack trace;
            // HEROMGR_DEBUG brings the trace back for whoever debugs it.
            terminal.err().println("heromgr: " + e);
            if (terminal.env().get("HEROMGR_DEBUG") != null) e.printStackTrace(terminal.err());
            return ExitCode.FAILED;
        });
        return commandLine;
    }

    /** The jar's Implementation-Version; "dev" when run from classes (IDE, tests). */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"heromgr " + version()};
        }
    }
}

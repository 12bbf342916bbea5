package heromgr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.List;

/** The heromgr command line: the daemon itself, and the client commands that talk to it over its socket. */
public final class Main {
    private static final String DESCRIPTION = "Service manager for the Hero stack: runs the daemon, and builds, "
            + "installs, starts and watches services through it.";

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && RpcClient.COMMANDS.contains(args[0])) RpcClient.prepareSocket();
        int code = execute(args, Terminal.system());
        if (args.length > 0 && args[0].equals("daemon")) System.exit(code);
        // A client run has written and flushed everything and registered no shutdown hooks, so it halts:
        // System.exit would first log the exit through System.Logger, whose first use sets up java.util.logging
        // (~15 ms). The daemon still exits the orderly way, for its logging's sake.
        Runtime.getRuntime().halt(code);
    }

    /** Runs the command line and returns its exit code instead of exiting, so tests can run it in-process. */
    public static int execute(String[] args, Terminal terminal) {
        // a shell's question for candidates, not a command: its words are not this command line's to parse
        int code = args.length > 0 && args[0].equals(Completer.COMMAND)
                ? Completer.run(List.of(args).subList(1, args.length), terminal)
                : BareStatusCommand.run(args, terminal)
                        .or(() -> BareDaemonCommand.run(args, terminal))
                        .orElseGet(() -> commandLine(terminal).execute(args));
        terminal.flush();
        return code;
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandTree commandLine = new CommandTree(rootSpec());
        // every command is built only if the arguments reach it: TopCommand's class initialiser alone spun
        // three Comparator lambdas at run time for a `service status`
        commandLine.addSubcommand("daemon", () -> DaemonCommand.commandLine(terminal));
        commandLine.addSubcommand("service", ServiceCommand.commandLine(terminal));
        // the everyday operations also at the top level (heromgr status x), each the very command of `service`
        for (var op : ServiceCommand.SHORTCUTS) commandLine.addSubcommand(op, ServiceCommand.command(terminal, op));
        commandLine.addSubcommand("up", () -> new FleetCommand(terminal, true).spec());
        commandLine.addSubcommand("down", () -> new FleetCommand(terminal, false).spec());
        commandLine.addSubcommand("rpc", () -> new RpcCommand(terminal).spec());
        commandLine.addSubcommand("events", () -> new EventsCommand(terminal).spec());
        commandLine.addSubcommand("top", () -> new TopCommand(terminal).spec());
        commandLine.addSubcommand("ui", () -> new UiCommand(terminal).spec());
        commandLine.addSubcommand("run", () -> new RunCommand(terminal).spec());
        commandLine.addSubcommand("version", () -> new VersionCommand(terminal).spec());
        commandLine.addSubcommand("completion", () -> new CompletionCommand(terminal).spec());
        commandLine.addSubcommand("self", () -> SelfCommand.commandLine(terminal));
        // Set after the subcommands are added: CommandLine's setters apply to the subcommands present (and
        // CommandTree gives them to the subcommands it attaches later).
        commandLine.setOut(terminal.out())
                .setErr(terminal.err())
                .setColorScheme(CommandLine.Help.defaultColorScheme(terminal.color() ? Ansi.ON : Ansi.OFF))
                .setParameterExceptionHandler(new UsageError(terminal))
                .setExecutionExceptionHandler((e, cmd, parseResult) -> unexpected(terminal, e));
        return commandLine;
    }

    /**
     * Unexpected failures (bugs, the daemon's own start-up errors) get one line, not a stack trace; HEROMGR_DEBUG
     * brings the trace back for whoever debugs it. The exit code.
     */
    static int unexpected(Terminal terminal, Exception e) {
        terminal.err().println("heromgr: " + e);
        if (terminal.env().get("HEROMGR_DEBUG") != null) e.printStackTrace(terminal.err());
        return ExitCode.FAILED;
    }

    private static CommandSpec rootSpec() {
        CommandSpec root = CommandSpec.create().name("heromgr").version("heromgr " + version());
        root.addOption(LeafCommand.helpOption());
        root.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print the version and exit.").build());
        UsageMessageSpec usage = root.usageMessage();
        usage.description(DESCRIPTION);
        usage.exitCodeListHeading("%nExit codes:%n");
        usage.exitCodeList(ExitCode.helpList());
        usage.footerHeading("%nEnvironment:%n");
        usage.footer(
                "  HEROMGR_SOCKET   the daemon's socket, when --socket is not given",
                "  HERO_SOCKET_DIR  otherwise the socket is $HERO_SOCKET_DIR/heromgr/service.sock",
                "  NO_COLOR         set to turn colors off",
                "  TERM=dumb        plain output, as in a pipe: no colors, no progress bar, no redrawn screen");
        return root;
    }

    /** The jar's Implementation-Version; "dev" when run from classes (IDE, tests). */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}

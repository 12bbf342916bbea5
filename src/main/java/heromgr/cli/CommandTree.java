package heromgr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A command line that attaches its subcommands only once it knows the arguments, and then only the branch they
 * name. Each subcommand picocli wraps costs ~1 ms of start-up (its own interpreter, which registers some 50
 * converters partly by reflection), and a run uses one branch of the ~16: `heromgr service status x` needs
 * heromgr, service and status, not the other nine operations or the other top-level commands.
 * <p>
 * Subcommands are registered as usual ({@link #addSubcommand(String, Object)}); they are attached when the
 * root parses ({@link #parseArgs}), a nested tree when its parent attaches it. If the first argument names one
 * of them, only that one is attached (a run never reaches its siblings: picocli descends into the subcommand);
 * otherwise all are, in order, so help, usage errors and "did you mean" suggestions see the whole level.
 * The settings given to the root before (out, err, colors, exception handlers) are passed on to what is
 * attached, as picocli's setters do for the subcommands present when they are called.
 */
final class CommandTree extends CommandLine {
    private record Pending(String name, Object command, String[] aliases) {
    }

    private final List<Pending> pending = new ArrayList<>();

    CommandTree(CommandSpec spec) {
        super(spec);
    }

    /** The whole tree of this command line (for completion scripts): every subcommand attached. */
    static CommandLine whole(CommandLine commandLine) {
        if (commandLine instanceof CommandTree tree) tree.attach(List.of(), true);
        return commandLine;
    }

    @Override
    public CommandLine addSubcommand(String name, Object command, String... aliases) {
        pending.add(new Pending(name, command, aliases));
        return this;
    }

    /** Registers a subcommand that is built (spec and all) only if it is attached. */
    CommandTree addSubcommand(String name, Supplier<?> command) {
        pending.add(new Pending(name, command, new String[0]));
        return this;
    }

    @Override
    public ParseResult parseArgs(String... args) {
        attach(Arrays.asList(args), true);
        ParseResult result = super.parseArgs(args);
        // picocli lets unmatched arguments pass when --help is among them (`heromgr sideways --help` printed the
        // top-level help and exited 0): an unknown command is a mistake whatever follows it
        for (ParseResult level = result; level != null; level = level.subcommand()) {
            if (!level.unmatched().isEmpty()) throw new UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
        }
        return result;
    }

    /** Attaches the subcommands that args (the arguments after this command's name) can reach. */
    private void attach(List<String> args, boolean root) {
        String first = args.isEmpty() ? null : args.getFirst();
        List<Pending> chosen = new ArrayList<>(pending);
        for (Pending p : pending) {
            if (p.name().equals(first)) chosen = List.of(p);
        }
        pending.clear();
        for (Pending p : chosen) {
            List<String> rest = p.name().equals(first) ? args.subList(1, args.size()) : List.of();
            Object command = p.command() instanceof Supplier<?> lazy ? lazy.get() : p.command();
            if (command instanceof CommandTree nested) nested.attach(rest, false);
            super.addSubcommand(p.name(), command, p.aliases());
        }
        if (root && !chosen.isEmpty()) {
            // Picocli's setters apply to the subcommands present: give the new ones the root's settings.
            setOut(getOut());
            setErr(getErr());
            setColorScheme(getColorScheme());
            setExecutionExceptionHandler(getExecutionExceptionHandler());
            setParameterExceptionHandler(getParameterExceptionHandler());
        }
    }
}

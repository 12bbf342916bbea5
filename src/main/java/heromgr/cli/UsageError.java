package heromgr.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage mistake in one line, where to read more, and exit 2: the whole help (up to 30 lines) buries the one
 * thing that was wrong. "Did you mean" suggestions stay: they are the likely fix.
 */
final class UsageError implements IParameterExceptionHandler {
    private final Terminal terminal;

    UsageError(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        terminal.err().println("heromgr: " + message(e));
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            var suggestions = unmatched.getSuggestions();
            terminal.err().println("Did you mean: " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?");
        }
        terminal.err().println(seeHelp(command));
        return ExitCode.USAGE;
    }

    /** picocli's words where they are a person's ("Unknown option: '--bogus'"), plainer ones where they are not. */
    private static String message(ParameterException e) {
        CommandLine command = e.getCommandLine();
        boolean group = !command.getSubcommands().isEmpty();
        if (e instanceof UnmatchedArgumentException u && group && !u.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '" + u.getUnmatched().getFirst() + "'";
        }
        if (group && e.getMessage().startsWith("Missing required subcommand")) return "missing command after `" + command.getCommandSpec().qualifiedName() + "`";
        return e.getMessage();
    }

    /** The pointer to the help of the command the mistake was made in. */
    static String seeHelp(CommandLine command) {
        return seeHelp(command.getCommandSpec().qualifiedName());
    }

    /** qualifiedName: the command as typed, e.g. "heromgr service status". */
    static String seeHelp(String qualifiedName) {
        return "see `" + qualifiedName + " --help`";
    }
}

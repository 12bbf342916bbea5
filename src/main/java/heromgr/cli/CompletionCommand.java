package heromgr.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;

/** `heromgr completion`: a bash completion script generated from the command model, so it never drifts. */
final class CompletionCommand extends LeafCommand {
    CompletionCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        return newSpec("completion", "Print a bash completion script.", "Use: source <(heromgr completion)");
    }

    @Override
    public Integer call() {
        // A fresh, whole tree: this run's tree holds only the branch that leads here (see CommandTree).
        terminal.out().print(AutoComplete.bash("heromgr", CommandTree.whole(Main.commandLine(terminal))));
        return ExitCode.OK;
    }
}

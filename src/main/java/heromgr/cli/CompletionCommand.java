package heromgr.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** `heromgr completion`: a bash completion script generated from the command model, so it never drifts. */
@Command(name = "completion", description = {"Print a bash completion script.",
        "Use: source <(heromgr completion)"})
public final class CompletionCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        main.terminal().out().print(AutoComplete.bash("heromgr", spec.root().commandLine()));
        return ExitCode.OK;
    }
}

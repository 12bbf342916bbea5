package heromgr.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** `heromgr version`: the CLI's own version, without asking the daemon. */
@Command(name = "version", description = "Print heromgr's version.")
public final class VersionCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() {
        main.terminal().out().println("heromgr " + Main.version());
        return ExitCode.OK;
    }
}

package heromgr.cli;

import picocli.CommandLine.Model.CommandSpec;

/** `heromgr version`: the CLI's own version, without asking the daemon. */
final class VersionCommand extends LeafCommand {
    VersionCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    CommandSpec spec() {
        return newSpec("version", "Print heromgr's version.");
    }

    @Override
    public Integer call() {
        terminal.out().println("heromgr " + Main.version());
        return ExitCode.OK;
    }
}

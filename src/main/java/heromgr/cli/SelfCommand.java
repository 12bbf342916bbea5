package heromgr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** `heromgr self …`: heromgr looking after its own installation. Each subcommand is a class of its own. */
final class SelfCommand {
    private SelfCommand() {
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandSpec group = CommandSpec.create().name("self");
        group.usageMessage().description("heromgr's own installation in a Hero home: install, upgrade.");
        group.addOption(LeafCommand.helpOption());
        var commandLine = new CommandLine(group);
        commandLine.addSubcommand(new SelfInstallCommand(terminal).spec());
        commandLine.addSubcommand(new SelfUpgradeCommand(terminal).spec());
        return commandLine;
    }
}

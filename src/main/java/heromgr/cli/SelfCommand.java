package heromgr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** `heromgr self …`: heromgr looking after itself (its installation, its systemd unit). Each subcommand is a class of its own. */
final class SelfCommand {
    private SelfCommand() {
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandSpec group = CommandSpec.create().name("self");
        group.usageMessage().description("heromgr itself: its installation in a Hero home (install, upgrade) and how it is kept running (unit).");
        group.addOption(LeafCommand.helpOption());
        var commandLine = new CommandTree(group);
        commandLine.addSubcommand("install", () -> new SelfInstallCommand(terminal).spec());
        commandLine.addSubcommand("upgrade", () -> new SelfUpgradeCommand(terminal).spec());
        commandLine.addSubcommand("unit", () -> new SelfUnitCommand(terminal).spec());
        return commandLine;
    }
}

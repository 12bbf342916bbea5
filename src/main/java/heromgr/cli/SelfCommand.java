package heromgr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** `heromgr self …`: heromgr looking after itself (its systemd unit). */
final class SelfCommand {
    private SelfCommand() {
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandSpec group = CommandSpec.create().name("self");
        group.usageMessage().description("heromgr itself: how it is kept running.");
        group.addOption(LeafCommand.helpOption());
        var commandLine = new CommandTree(group);
        commandLine.addSubcommand("unit", () -> new SelfUnitCommand(terminal).spec());
        return commandLine;
    }
}

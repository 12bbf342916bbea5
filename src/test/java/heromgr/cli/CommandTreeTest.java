package heromgr.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run builds the branch of the command tree its arguments name, and the whole level when they name none. */
class CommandTreeTest {
    private static CommandLine tree() {
        var sink = new PrintWriter(Writer.nullWriter());
        return Main.commandLine(new Terminal(sink, sink, Map.of(), false));
    }

    @Test
    void aRunAttachesOnlyTheBranchItNames() {
        CommandLine root = tree();
        root.parseArgs("service", "status", "hero_echo");

        assertThat(root.getSubcommands()).containsOnlyKeys("service");
        assertThat(root.getSubcommands().get("service").getSubcommands()).containsOnlyKeys("status");
    }

    @Test
    void withoutAKnownNameTheWholeLevelIsThereInOrder() {
        CommandLine root = tree();
        root.parseArgs("service", "--help");

        assertThat(root.getSubcommands()).containsOnlyKeys("service");
        assertThat(root.getSubcommands().get("service").getSubcommands().keySet()).containsExactlyElementsOf(
                ServiceCommand.OPERATIONS.stream().map(ServiceCommand.Operation::name).toList());
        CommandLine other = tree();
        other.parseArgs("--help");
        assertThat(other.getSubcommands().keySet()).containsExactly("daemon", "service", "list", "status", "start", "stop", "restart",
                "logs", "health", "inspect", "up", "down", "rpc", "events", "top", "ui", "run", "version", "completion", "self");
    }

    @Test
    void attachedSubcommandsGetTheRootsSettings() {
        CommandLine root = tree();
        root.parseArgs("service", "status", "x");

        CommandLine status = root.getSubcommands().get("service").getSubcommands().get("status");
        assertThat(status.getOut()).isSameAs(root.getOut());
        assertThat(status.getErr()).isSameAs(root.getErr());
        assertThat(status.getColorScheme()).isSameAs(root.getColorScheme());
        assertThat(status.getExecutionExceptionHandler()).isSameAs(root.getExecutionExceptionHandler());
    }

    @Test
    void wholeAttachesEverything() {
        CommandLine root = CommandTree.whole(tree());

        assertThat(root.getSubcommands()).hasSize(20);
        assertThat(root.getSubcommands().get("daemon").getSubcommands()).containsOnlyKeys("start", "stop", "status");
        assertThat(root.getSubcommands().get("self").getSubcommands()).containsKeys("install", "upgrade", "unit");
        assertThat(root.getSubcommands().get("service").getSubcommands()).hasSize(ServiceCommand.OPERATIONS.size());
    }
}

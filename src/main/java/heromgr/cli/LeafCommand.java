package heromgr.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command that does something (as opposed to a group like `service`). Commands are declared with picocli's
 * programmatic model rather than annotations: reading annotations costs ~100 ms of start-up per run (reflection
 * plus a dynamic proxy class per annotation type, which the AOT cache cannot hold), a third of a CLI call.
 */
abstract class LeafCommand implements Callable<Integer> {
    protected final Terminal terminal;
    private CommandSpec spec;

    LeafCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** This command's spec, bound to this object so picocli's execute() calls {@link #call()}. */
    abstract CommandSpec spec();

    /** Starts the spec: name, description and -h/--help, which every command has. */
    protected final CommandSpec newSpec(String name, String... description) {
        spec = CommandSpec.wrapWithoutInspection(this).name(name);
        spec.usageMessage().description(description);
        spec.addOption(helpOption());
        return spec;
    }

    protected final CommandSpec commandSpec() {
        return spec;
    }

    /** The parsed value of an option, or its default (null, or false for flags). */
    protected final <T> T option(String name) {
        return spec.findOption(name).getValue();
    }

    protected final <T> T positional(int index) {
        return spec.positionalParameters().get(index).getValue();
    }

    static OptionSpec helpOption() {
        return OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build();
    }

    static OptionSpec valueOption(String name, String label, Class<?> type, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(type).description(description).build();
    }

    /** A value option whose values are a closed set: completion offers them. */
    static OptionSpec choiceOption(String name, String label, List<String> choices, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(String.class).completionCandidates(choices).description(description).build();
    }

    static OptionSpec flagOption(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).description(description).build();
    }
}

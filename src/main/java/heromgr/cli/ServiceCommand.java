package heromgr.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;

/**
 * `heromgr service <op>`: one subcommand per service.* method, declared as data. Each operation only names its
 * flags, how they map to params, and the view for its result; calling and error handling are
 * {@link RpcSession}'s. Optional params are sent only when given, so the daemon's defaults stay the single
 * source of truth.
 */
final class ServiceCommand {
    /**
     * A flag of an operation and its param. A valued flag (label non-null) sends its value; a switch sends
     * {@code whenSet} when given (--force → true, --no-wait → "wait": false).
     */
    record Flag(String[] names, String label, Class<?> type, String param, Object whenSet, String description) {
        static Flag value(String name, String label, Class<?> type, String param, String description) {
            return new Flag(new String[] {name}, label, type, param, null, description);
        }

        static Flag value(String[] names, String label, Class<?> type, String param, String description) {
            return new Flag(names, label, type, param, null, description);
        }

        static Flag toggle(String name, String param, boolean whenSet, String description) {
            return new Flag(new String[] {name}, null, boolean.class, param, whenSet, description);
        }

        OptionSpec option() {
            var builder = OptionSpec.builder(names).type(type).description(description);
            return label == null ? builder.build() : builder.paramLabel(label).build();
        }
    }

    record Operation(String name, String description, boolean takesName, List<Flag> flags, ResultView view) {
        String method() {
            return "service." + name;
        }
    }

    private static final String FORCE = "--force";

    static final List<Operation> OPERATIONS = List.of(
            new Operation("list", "List the registered services.", false, List.of(), (r, out) -> out.serviceList(r)),
            new Operation("inspect", "Show a service's full definition and state.", true, List.of(), (r, out) -> out.tree(r)),
            new Operation("status", "Show the state of a service's actions.", true, List.of(), (r, out) -> out.status(r)),
            new Operation("health", "Run a service's health checks (exit 1 when unhealthy).", true, List.of(),
                    (r, out) -> out.health(r)),
            new Operation("build", "Build a service's binaries from source.", true, List.of(
                    Flag.value("--profile", "P", String.class, "profile", "Build profile, e.g. release or debug."),
                    Flag.toggle(FORCE, "force", true, "Build even when the binaries are up to date.")),
                    OperationSummary::build),
            new Operation("install", "Install a service's binaries into $HERO_HOME/bin.", true, List.of(
                    Flag.value("--mode", "MODE", String.class, "mode", "Where binaries come from, e.g. source."),
                    Flag.value("--version", "V", String.class, "version", "Version to install."),
                    Flag.toggle(FORCE, "force", true, "Install even when the installed files are identical.")),
                    OperationSummary::install),
            new Operation("start", "Start a service (and wait until it is healthy, unless --no-wait).", true, List.of(
                    Flag.toggle("--no-wait", "wait", false, "Return once spawned, without waiting for health."),
                    Flag.value("--timeout-ms", "N", Long.class, "timeout_ms", "How long to wait for health, in ms.")),
                    OperationSummary::start),
            new Operation("stop", "Stop a service's processes.", true, List.of(), OperationSummary::stop),
            new Operation("restart", "Stop and start a service.", true, List.of(), OperationSummary::restart),
            new Operation("logs", "Print the last lines of a service's logs.", true, List.of(
                    Flag.value("--action", "A", String.class, "action", "Only this action's log."),
                    Flag.value(new String[] {"-n", "--lines"}, "N", Integer.class, "lines", "How many lines.")),
                    (r, out) -> out.logLines(r)));

    private ServiceCommand() {
    }

    /** The `service` group: no action of its own, so picocli reports a missing operation as a usage error. */
    static CommandLine commandLine(Terminal terminal) {
        CommandSpec group = CommandSpec.create().name("service");
        group.usageMessage().description("Manage services through the daemon.");
        group.addOption(LeafCommand.helpOption());
        var commandLine = new CommandTree(group);
        for (Operation op : OPERATIONS) commandLine.addSubcommand(op.name(), () -> new OperationCommand(terminal, op).spec());
        return commandLine;
    }

    /** One operation as a command: its spec from the table, and the call that gathers the params. */
    static final class OperationCommand extends LeafCommand {
        private final Operation operation;

        OperationCommand(Terminal terminal, Operation operation) {
            super(terminal);
            this.operation = operation;
        }

        @Override
        CommandSpec spec() {
            CommandSpec spec = newSpec(operation.name(), operation.description());
            GlobalOptions.declare(spec);
            if (operation.takesName()) {
                spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("NAME").type(String.class)
                        .description("The service's name, e.g. hero_echo.").build());
            }
            for (Flag flag : operation.flags()) spec.addOption(flag.option());
            return spec;
        }

        @Override
        public Integer call() {
            return new RpcSession(terminal, GlobalOptions.read(commandSpec()))
                    .invoke(operation.method(), params(), operation.view());
        }

        ObjectNode params() {
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            if (operation.takesName()) params.put("name", this.<String>positional(0));
            for (Flag flag : operation.flags()) {
                Object value = option(flag.names()[flag.names().length - 1]);
                if (flag.label() == null) {
                    if (Boolean.TRUE.equals(value)) put(params, flag.param(), flag.whenSet());
                } else if (value != null) {
                    put(params, flag.param(), value);
                }
            }
            return operation.takesName() || !params.isEmpty() ? params : null;
        }

        private static void put(ObjectNode params, String key, Object value) {
            switch (value) {
                case Boolean b -> params.put(key, b);
                case Long l -> params.put(key, l);
                case Integer i -> params.put(key, i);
                default -> params.put(key, value.toString());
            }
        }
    }
}

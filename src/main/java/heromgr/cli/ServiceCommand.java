package heromgr.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.api.InstallMode;
import heromgr.api.TimeBound;
import heromgr.fs.LogStream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashMap;
import java.util.function.Supplier;

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
    record Flag(String[] names, String label, Class<?> type, String param, Object whenSet, String description, List<String> choices) {
        Flag(String[] names, String label, Class<?> type, String param, Object whenSet, String description) {
            this(names, label, type, param, whenSet, description, null);
        }

        /** A valued flag whose values are a closed set (completion offers them; the daemon checks them). */
        static Flag choice(String name, String label, List<String> choices, String param, String description) {
            return new Flag(new String[] {name}, label, String.class, param, null, description, choices);
        }

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
            if (choices != null) builder.completionCandidates(choices);
            return label == null ? builder.build() : builder.paramLabel(label).build();
        }
    }

    /** sent: params every call of the operation carries (list asks for usage: a person reading the table wants it). */
    record Operation(String name, String description, boolean takesName, List<Flag> flags, ResultView view, Map<String, Object> sent) {
        Operation(String name, String description, boolean takesName, List<Flag> flags, ResultView view) {
            this(name, description, takesName, flags, view, Map.of());
        }

        String method() {
            return "service." + name;
        }
    }

    private static final String FORCE = "--force";
    private static final String LOGS = "logs";
    /** service.logs' default, for when the daemon is down and cannot apply it. */
    static final int DEFAULT_LINES = 100;
    private static final List<String> MODES = Arrays.stream(InstallMode.values()).map(InstallMode::wireName).toList();
    /** The operations that download releases or build (start: with --version): on a terminal they draw their progress on one line. */
    static final Set<String> SHOWS_PROGRESS = Set.of("build", "install", "upgrade", "deploy", "start");
    /** The operations that may run cargo: in a pipe, its output is streamed to stderr as it comes. */
    static final Set<String> STREAMS_BUILD = Set.of("build", "deploy");

    static final List<Operation> OPERATIONS = List.of(
            new Operation("list", "List the registered services with their pid, uptime, restarts, CPU and memory.", false, List.of(),
                    (r, out) -> out.serviceList(r), Map.of("usage", true)),
            new Operation("inspect", "Show a service's full definition and state.", true, List.of(), (r, out) -> out.tree(r)),
            Status.OPERATION,
            new Operation("health", "Run a service's health checks (exit 1 unhealthy or not running).", true, List.of(),
                    (r, out) -> out.health(r)),
            new Operation("build", "Build a service's binaries from source.", true, List.of(
                    Flag.value("--profile", "P", String.class, "profile", "Build profile, e.g. release or debug."),
                    Flag.toggle(FORCE, "force", true, "Build even when the binaries are up to date.")),
                    OperationSummary::build),
            new Operation("install", "Install a service's binaries into $HERO_HOME/bin.", true, List.of(
                    Flag.choice("--mode", "MODE", MODES, "mode", "Where binaries come from: source (the last build) or download (a forge release)."),
                    Flag.value("--version", "V", String.class, "version", "Release tag to download (default: the latest)."),
                    Flag.toggle(FORCE, "force", true, "Install even when the installed files are identical."),
                    Flag.toggle("--reset", "reset", true, "Start over: drop the install record and the rollback copies first (implies --force).")),
                    OperationSummary::install),
            new Operation("start", "Start a service (and wait until it is healthy, unless --no-wait).", true, List.of(
                    Flag.toggle("--wait", "wait", true, "Wait until healthy (the default): the daemon wakes on the service's events."),
                    Flag.toggle("--no-wait", "wait", false, "Return once spawned, without waiting for health."),
                    Flag.toggle("--no-deps", "with_deps", false, "Do not start missing dependencies (fail instead)."),
                    Flag.toggle("--reset", "reset", true, "Stop it first and drop its failed state, restart counters and backoff."),
                    Flag.value("--version", "V", String.class, "version", "Install this release first, unless it is the installed one."),
                    Flag.value("--timeout-ms", "N", Long.class, "timeout_ms", "How long to wait for health, in ms.")),
                    OperationSummary::start),
            new Operation("verify", "Check what install put in place: present, executable, ELF, checksum, fresh; a program's or script's noted files (exit 1 if not).",
                    true, List.of(), (r, out) -> out.verify(r)),
            new Operation("upgrade", "Install a release, restart, wait until healthy; roll back on failure (exit 1 if rolled back).",
                    true, List.of(
                    Flag.value("--version", "V", String.class, "version", "Release tag (default: the latest)."),
                    Flag.value("--timeout-ms", "N", Long.class, "timeout_ms", "How long to wait for health, in ms.")),
                    (r, out) -> {
                        out.tree(r);
                        return r.path("rolled_back").asBoolean(false) ? ExitCode.FAILED : ExitCode.OK;
                    }),
            new Operation("deploy", "Build or download, install, restart, verify and check health, as one operation.", true, List.of(
                    Flag.choice("--mode", "MODE", MODES, "mode", "source (build) or download (a forge release)."),
                    Flag.value("--version", "V", String.class, "version", "Release tag to download (default: the latest)."),
                    Flag.value("--timeout-ms", "N", Long.class, "timeout_ms", "How long to wait for health, in ms.")),
                    OperationSummary::deploy),
            new Operation("troubleshoot", "Diagnose a service: state, health, blockers, failures, last log lines, hints.",
                    true, List.of(), (r, out) -> out.tree(r)),
            new Operation("stop", "Stop a service's processes (refused while dependents run, unless --cascade).", true, List.of(
                    Flag.toggle("--cascade", "cascade", true, "Stop the services that depend on it first.")),
                    OperationSummary::stop),
            new Operation("restart", "Stop and start a service.", true, List.of(), OperationSummary::restart),
            new Operation("logs", "Print the last lines of services' logs, with times (-f: keep following).", true, List.of(
                    Flag.value("--action", "A", String.class, "action", "Only this action's log."),
                    Flag.value(new String[] {"-n", "--lines"}, "N", Integer.class, "lines", "How many lines (the last of each action)."),
                    Flag.value("--since", "TIME", String.class, "since",
                            "Only lines written since TIME: 10m, 2h, 3d (ago), today, yesterday, 14:30, 2026-12-05 14:30 (local) or an ISO instant."),
                    Flag.value("--until", "TIME", String.class, "until", "Only lines written until TIME (the forms of --since)."),
                    Flag.choice("--stream", "STREAM", List.of("stdout", "stderr"), "stream", "Only the lines of this stream."),
                    new Flag(new String[] {"--all"}, null, boolean.class, null, true, "Every service's logs."),
                    new Flag(new String[] {"--plain"}, null, boolean.class, null, true,
                            "Only the lines as logged: no time, service or stream mark (for grep)."),
                    new Flag(new String[] {"-f", "--follow"}, null, boolean.class, null, true,
                            "Keep printing lines as they are appended, until interrupted.")),
                    (r, out) -> out.logLines(r)),
            new Operation("delete", "Stop and forget a service (a service class stays listed: it is code).", true, List.of(
                    Flag.toggle("--purge-binaries", "purge_binaries", true, "Also remove its installed binaries from $HERO_HOME/bin."),
                    Flag.toggle("--cascade", "cascade", true, "Delete the services that depend on it too.")),
                    OperationSummary::delete));

    /**
     * status's operation on its own: BareStatusCommand takes it without initialising ServiceCommand, whose table of
     * every operation and flag was ~1.5 ms of an interpreted bare status.
     */
    static final class Status {
        static final Operation OPERATION = new Operation("status", "Show a service's state (exit 0 running, 5 not running, 6 failed).",
                true, List.of(), (r, out) -> out.status(r));

        private Status() {
        }
    }

    /** The operations also offered at the top level: `heromgr status x` is `heromgr service status x`. */
    static final List<String> SHORTCUTS = List.of("list", "status", "start", "stop", "restart", "logs", "health", "inspect");

    private ServiceCommand() {
    }

    /** The `service` group: no action of its own, so picocli reports a missing operation as a usage error. */
    static CommandLine commandLine(Terminal terminal) {
        CommandSpec group = CommandSpec.create().name("service");
        group.usageMessage().description("Manage services through the daemon.");
        group.addOption(LeafCommand.helpOption());
        var commandLine = new CommandTree(group);
        for (Operation op : OPERATIONS) commandLine.addSubcommand(op.name(), command(terminal, op.name()));
        return commandLine;
    }

    /** The command of one operation, built only when a run reaches it (wherever it is attached). */
    static Supplier<CommandSpec> command(Terminal terminal, String name) {
        Operation operation = operation(name);
        return () -> new OperationCommand(terminal, operation).spec();
    }

    static Operation operation(String name) {
        return OPERATIONS.stream().filter(op -> op.name().equals(name)).findFirst().orElseThrow();
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
            if (operation.name().equals(LOGS)) {
                spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel("NAME").type(List.class)
                        .auxiliaryTypes(String.class).description("The services, e.g. hero_echo hero_books (or --all).").build());
            } else if (AllServices.walks(operation.name())) {
                spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("1..*").required(true).paramLabel("NAME").type(List.class)
                        .auxiliaryTypes(String.class).description("The service's name, e.g. hero_echo; several, or all (every service): "
                                + "one walk in dependency order, as `heromgr up`/`down` (a stop takes what depends on them first).").build());
            } else if (operation.takesName()) {
                spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("NAME").type(String.class)
                        .description("The service's name, e.g. hero_echo" + (AllServices.meant(operation, AllServices.ALL)
                                ? "; all: every service (the list)." : ".")).build());
            }
            for (Flag flag : operation.flags()) spec.addOption(flag.option());
            return spec;
        }

        @Override
        public Integer call() {
            GlobalOptions global = GlobalOptions.read(commandSpec());
            if (operation.name().equals(LOGS)) return new LogsCommand(terminal, global, new RpcSession(terminal, global, commandSpec())).run(logsRequest());
            ObjectNode params = params();
            var session = new RpcSession(terminal, global, commandSpec());
            List<String> walked = walked();
            if (walked != null) return AllServices.run(terminal, global, commandSpec(), operation, session, params, walked);
            // a bar is for a person at a terminal; in a pipe only cargo's own lines, on stderr; never mixed into --json
            boolean bar = SHOWS_PROGRESS.contains(operation.name()) && terminal.interactive();
            boolean stream = STREAMS_BUILD.contains(operation.name()) && !terminal.interactive();
            if ((bar || stream) && !global.json()) {
                var view = ProgressView.of(terminal, global.socket(terminal.env()), name(), stream);
                return session.invoke(operation.method(), params, operation.view(), view);
            }
            return session.invoke(operation.method(), params, operation.view());
        }

        /** The one service named (the first, when several are). */
        private String name() {
            Object value = positional(0);
            return value instanceof List<?> names ? (String) names.getFirst() : (String) value;
        }

        /** The services a walk goes from (empty: every one) when the command names several or all; null for one. */
        private List<String> walked() {
            if (!operation.takesName()) return null;
            Object value = positional(0);
            List<String> names = value instanceof List<?> list ? list.stream().map(String.class::cast).toList() : List.of((String) value);
            if (names.contains(AllServices.ALL) && AllServices.offers(operation.name())) {
                if (names.size() > 1) throw new ParameterException(commandSpec().commandLine(), "name services or all, not both");
                return List.of();
            }
            return names.size() > 1 ? names : null;
        }

        /** logs' command line, its times read in the local time zone; a mistake is a usage error. */
        LogsCommand.Request logsRequest() {
            List<String> names = positional(0);
            // a name given twice is one service: its lines once
            names = names == null ? List.of() : names.stream().distinct().toList();
            boolean all = Boolean.TRUE.equals(option("--all"));
            if (names.isEmpty() == !all) {
                throw new ParameterException(commandSpec().commandLine(), all ? "name services or --all, not both" : "name a service (or several, or --all)");
            }
            boolean follow = Boolean.TRUE.equals(option("--follow"));
            if (follow && option("--until") != null) throw new ParameterException(commandSpec().commandLine(), "--until and --follow contradict each other");
            Integer lines = option("--lines");
            Instant since = time("--since");
            Instant until = time("--until");
            if (since != null && until != null && since.isAfter(until)) {
                // no line can be in such a window: an empty answer would look like a quiet service
                throw new ParameterException(commandSpec().commandLine(), "--since " + option("--since") + " is after --until " + option("--until"));
            }
            return new LogsCommand.Request(names, all, option("--action"), lines == null ? DEFAULT_LINES : lines, since, until,
                    stream(), follow, Boolean.TRUE.equals(option("--plain")));
        }

        /** --stream, read here (the lines of both streams are merged by the CLI): a mistake is a usage error. */
        private LogStream stream() {
            String text = option("--stream");
            if (text == null) return null;
            try {
                return LogStream.ofWire(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandSpec().commandLine(), "--stream must be stdout or stderr, not " + text);
            }
        }

        private Instant time(String option) {
            String text = option(option);
            try {
                return text == null ? null : TimeBound.parse(text, Instant.now(), ZoneId.systemDefault());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandSpec().commandLine(), option + ": " + e.getMessage());
            }
        }

        ObjectNode params() {
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            if (operation.takesName()) params.put("name", name());
            operation.sent().forEach((key, value) -> put(params, key, value));
            var setBy = new HashMap<String, String>();
            for (Flag flag : operation.flags()) {
                if (flag.param() == null) continue;   // a client-side flag (logs --follow)
                String name = flag.names()[flag.names().length - 1];
                Object value = option(name);
                if (flag.label() == null) {
                    if (!Boolean.TRUE.equals(value)) continue;
                    // two switches of one param (--wait, --no-wait) both given contradict each other: no "last one wins"
                    String other = setBy.put(flag.param(), name);
                    if (other != null) {
                        throw new ParameterException(commandSpec().commandLine(), other + " and " + name + " contradict each other");
                    }
                    put(params, flag.param(), flag.whenSet());
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

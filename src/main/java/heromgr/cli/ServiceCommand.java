package heromgr.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * `heromgr service <op>`: one subcommand per service.* method. Each only gathers its params and names the
 * view for the result; calling and error handling are {@link RpcSession}'s. Optional params are sent only
 * when given, so the daemon's defaults stay the single source of truth.
 */
@Command(name = "service", description = "Manage services through the daemon.")
public final class ServiceCommand {
    private static final String NAME = "NAME";
    private static final String NAME_HELP = "The service's name, e.g. hero_echo.";

    @ParentCommand
    private Main main;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Command(name = "list", description = "List the registered services.")
    int list(@Mixin GlobalOptions global) {
        return invoke(global, "service.list", null, (r, out) -> out.serviceList(r));
    }

    @Command(name = "inspect", description = "Show a service's full definition and state.")
    int inspect(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name) {
        return invoke(global, "service.inspect", params(name), (r, out) -> out.tree(r));
    }

    @Command(name = "status", description = "Show the state of a service's actions.")
    int status(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name) {
        return invoke(global, "service.status", params(name), (r, out) -> out.status(r));
    }

    @Command(name = "health", description = "Run a service's health checks (exit 1 when unhealthy).")
    int health(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name) {
        return invoke(global, "service.health", params(name), (r, out) -> out.health(r));
    }

    @Command(name = "build", description = "Build a service's binaries from source.")
    int build(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name,
              @Option(names = "--profile", paramLabel = "P", description = "Build profile, e.g. release or debug.") String profile,
              @Option(names = "--force", description = "Build even when the binaries are up to date.") boolean force) {
        ObjectNode params = params(name);
        if (profile != null) params.put("profile", profile);
        if (force) params.put("force", true);
        return invoke(global, "service.build", params, OperationSummary::build);
    }

    @Command(name = "install", description = "Install a service's binaries into $HERO_HOME/bin.")
    int install(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name,
                @Option(names = "--mode", paramLabel = "MODE", description = "Where binaries come from, e.g. source.") String mode,
                @Option(names = "--version", paramLabel = "V", description = "Version to install.") String version,
                @Option(names = "--force", description = "Install even when the installed files are identical.") boolean force) {
        ObjectNode params = params(name);
        if (mode != null) params.put("mode", mode);
        if (version != null) params.put("version", version);
        if (force) params.put("force", true);
        return invoke(global, "service.install", params, OperationSummary::install);
    }

    @Command(name = "start", description = "Start a service (and wait until it is healthy, unless --no-wait).")
    int start(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name,
              @Option(names = "--no-wait", description = "Return once spawned, without waiting for health.") boolean noWait,
              @Option(names = "--timeout-ms", paramLabel = "N", description = "How long to wait for health.") Long timeoutMs) {
        ObjectNode params = params(name);
        if (noWait) params.put("wait", false);
        if (timeoutMs != null) params.put("timeout_ms", timeoutMs);
        return invoke(global, "service.start", params, OperationSummary::start);
    }

    @Command(name = "stop", description = "Stop a service's processes.")
    int stop(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name) {
        return invoke(global, "service.stop", params(name), OperationSummary::stop);
    }

    @Command(name = "restart", description = "Stop and start a service.")
    int restart(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name) {
        return invoke(global, "service.restart", params(name), OperationSummary::restart);
    }

    @Command(name = "logs", description = "Print the last lines of a service's logs.")
    int logs(@Mixin GlobalOptions global, @Parameters(paramLabel = NAME, description = NAME_HELP) String name,
             @Option(names = "--action", paramLabel = "A", description = "Only this action's log.") String action,
             @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many lines.") Integer lines) {
        ObjectNode params = params(name);
        if (action != null) params.put("action", action);
        if (lines != null) params.put("lines", lines);
        return invoke(global, "service.logs", params, (r, out) -> out.logLines(r));
    }

    private int invoke(GlobalOptions global, String method, ObjectNode params, ResultView view) {
        return new RpcSession(main.terminal(), global).invoke(method, params, view);
    }

    private static ObjectNode params(String name) {
        return JsonNodeFactory.instance.objectNode().put("name", name);
    }
}

package heromgr.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * `heromgr start|stop|restart|status all`: every registered service; `heromgr start|stop|restart A B…`: those services,
 * as systemctl takes several units. start and stop are one call, service.up and service.down (from the named
 * services): the daemon walks the fleet in dependency order (what a service needs first to start, dependents first to
 * stop), each level in parallel, and says at the end what became of each service (the table of `heromgr up`);
 * restart is down, then up. `status all` is the list: one line a service.
 */
final class AllServices {
    static final String ALL = "all";
    private static final Set<String> OPERATIONS = Set.of("start", "stop", "restart", "status");
    /** The flags `start all` passes on to service.up; `stop all` cascades by nature. */
    private static final Set<String> WALK_PARAMS = Set.of("name", "timeout_ms", "cascade");

    private AllServices() {
    }

    static boolean meant(ServiceCommand.Operation operation, String name) {
        return ALL.equals(name) && offers(operation.name());
    }

    /** Whether the operation of this name takes `all` for a service's name. */
    static boolean offers(String operation) {
        return OPERATIONS.contains(operation);
    }

    /** Whether the operation of this name takes several names too: one walk from them. */
    static boolean walks(String operation) {
        return offers(operation) && !operation.equals("status");
    }

    /** The options given whose params a walk cannot take, as typed (--no-wait, not its param wait). */
    private static List<String> unsupported(CommandSpec command, ServiceCommand.Operation operation) {
        List<String> given = new ArrayList<>();
        for (ServiceCommand.Flag flag : operation.flags()) {
            String option = flag.names()[flag.names().length - 1];
            Object value = command.findOption(option).getValue();
            if (flag.param() != null && !WALK_PARAMS.contains(flag.param()) && value != null && !Boolean.FALSE.equals(value)) given.add(option);
        }
        return given;
    }

    /**
     * Runs operation for the named services, or every one when names is empty; params are the ones the command
     * gathered (the first name and its flags).
     */
    static int run(Terminal terminal, GlobalOptions global, CommandSpec command, ServiceCommand.Operation operation, RpcSession session,
                   ObjectNode params, List<String> names) {
        if (operation.name().equals("status")) {
            ServiceCommand.Operation list = ServiceCommand.operation("list");
            return session.invoke(list.method(), JsonNodeFactory.instance.objectNode().put("usage", true), list.view());
        }
        List<String> unsupported = unsupported(command, operation);
        if (!unsupported.isEmpty()) {
            throw new ParameterException(command.commandLine(), "`" + operation.name() + (names.isEmpty() ? " all` walks the whole fleet" : "` of several services is one walk")
                    + " and takes no " + String.join(", ", unsupported) + " (only --timeout-ms)");
        }
        ObjectNode up = JsonNodeFactory.instance.objectNode();
        ObjectNode down = JsonNodeFactory.instance.objectNode();
        if (!names.isEmpty()) {
            names.forEach(up.putArray("names")::add);
            names.forEach(down.putArray("names")::add);
        }
        if (params.has("timeout_ms")) up.set("timeout_ms", params.get("timeout_ms"));
        return switch (operation.name()) {
            case "start" -> FleetCommand.walk(terminal, global, session, true, up);
            case "stop" -> FleetCommand.walk(terminal, global, session, false, down);
            default -> {
                int stopped = FleetCommand.walk(terminal, global, session, false, down);
                yield stopped != ExitCode.OK ? stopped : FleetCommand.walk(terminal, global, session, true, up);
            }
        };
    }
}

package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * `heromgr start|stop|restart|status all`: every registered service, one call each, in dependency order (a
 * service after what it depends on) to start, the reverse to stop, so no stop is refused for a running
 * dependent and every start finds its dependencies already up. `status all` is the list: one line a service.
 * The exit code is the worst of the calls'.
 */
final class AllServices {
    static final String ALL = "all";
    private static final Set<String> OPERATIONS = Set.of("start", "stop", "restart", "status");

    private AllServices() {
    }

    static boolean meant(ServiceCommand.Operation operation, String name) {
        return ALL.equals(name) && offers(operation.name());
    }

    /** Whether the operation of this name takes `all` for a service's name. */
    static boolean offers(String operation) {
        return OPERATIONS.contains(operation);
    }

    /** Runs operation for every service; paramsFor gives the call's params (its flags) for one service's name. */
    static int run(ServiceCommand.Operation operation, RpcSession session, RpcSession quiet, Function<String, ObjectNode> paramsFor) {
        ServiceCommand.Operation list = ServiceCommand.operation("list");
        if (operation.name().equals("status")) return session.invoke(list.method(), JsonNodeFactory.instance.objectNode().put("usage", true), list.view());
        var services = new ArrayList<JsonNode>();
        int listed = quiet.invoke(list.method(), null, (result, out) -> {
            result.forEach(services::add);
            return ExitCode.OK;
        });
        if (listed != ExitCode.OK) return listed;
        List<String> order = dependencyOrder(services);
        List<String> reverse = order.reversed();
        return switch (operation.name()) {
            case "start" -> each(session, operation, order, paramsFor);
            case "stop" -> each(session, operation, reverse, paramsFor);
            default -> Math.max(each(session, ServiceCommand.operation("stop"), reverse, AllServices::nameOnly),
                    each(session, ServiceCommand.operation("start"), order, AllServices::nameOnly));
        };
    }

    private static int each(RpcSession session, ServiceCommand.Operation operation, List<String> names, Function<String, ObjectNode> paramsFor) {
        int worst = ExitCode.OK;
        for (String name : names) worst = Math.max(worst, session.invoke(operation.method(), paramsFor.apply(name), operation.view()));
        return worst;
    }

    private static ObjectNode nameOnly(String name) {
        return JsonNodeFactory.instance.objectNode().put("name", name);
    }

    /** The names of services (ServiceSummary objects), each after the ones its depends_on names. */
    static List<String> dependencyOrder(List<JsonNode> services) {
        Map<String, List<String>> dependsOn = new LinkedHashMap<>();
        for (JsonNode s : services) {
            var deps = new ArrayList<String>();
            s.path("depends_on").forEach(d -> deps.add(d.asText()));
            dependsOn.put(s.path("name").asText(), deps);
        }
        var order = new LinkedHashSet<String>();
        for (String name : dependsOn.keySet()) visit(name, dependsOn, order, new LinkedHashSet<>());
        return List.copyOf(order);
    }

    /** Depth first; a cycle (the daemon refuses to make one) or a dependency not listed is passed over, not looped on. */
    private static void visit(String name, Map<String, List<String>> dependsOn, Set<String> order, Set<String> path) {
        if (order.contains(name) || !dependsOn.containsKey(name) || !path.add(name)) return;
        for (String dep : dependsOn.get(name)) visit(dep, dependsOn, order, path);
        order.add(name);
    }
}

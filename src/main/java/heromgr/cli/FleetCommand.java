package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * `heromgr up [NAME…]` and `heromgr down [NAME…]`: service.up / service.down, the whole fleet or the named services
 * with what they need, walked by the daemon in dependency order. On a terminal a line shows the walk as it goes (fed by
 * the operation's progress events); at the end a table says what became of each service and who blocked the walk.
 */
final class FleetCommand extends LeafCommand {
    private final boolean up;

    FleetCommand(Terminal terminal, boolean up) {
        super(terminal);
        this.up = up;
    }

    @Override
    CommandSpec spec() {
        CommandSpec spec = up
                ? newSpec("up", "Start every service, or the named ones with their dependencies: in dependency order, each level in "
                        + "parallel, each waited on until healthy. Stops at the first failure, naming it (exit 1).")
                : newSpec("down", "Stop every service, or the named ones with what depends on them: dependents first, each level "
                        + "in parallel. Stops at the first failure, naming it (exit 1).");
        GlobalOptions.declare(spec);
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel("NAME").type(List.class)
                .auxiliaryTypes(String.class)
                .description("Services to walk from (default: every service).").build());
        if (up) spec.addOption(valueOption("--timeout-ms", "N", Long.class, "How long to wait for each service's health, in ms."));
        return spec;
    }

    @Override
    public Integer call() {
        GlobalOptions global = GlobalOptions.read(commandSpec());
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        List<String> names = commandSpec().positionalParameters().getFirst().getValue();
        if (names != null && !names.isEmpty()) names.forEach(params.putArray("names")::add);
        if (up && option("--timeout-ms") != null) params.put("timeout_ms", this.<Long>option("--timeout-ms"));
        return walk(terminal, global, new RpcSession(terminal, global, commandSpec()), up, params);
    }

    /** service.up (up) or service.down with params: on a terminal with the walk's line as it goes, then the table. */
    static int walk(Terminal terminal, GlobalOptions global, RpcSession session, boolean up, ObjectNode params) {
        String method = up ? "service.up" : "service.down";
        if (terminal.interactive() && !global.json()) {
            var view = ProgressView.of(terminal, global.socket(terminal.env()), null, false, new WalkLine(up ? "up" : "down"));
            return session.invoke(method, params, (r, out) -> out.fleet(r), view);
        }
        return session.invoke(method, params, (r, out) -> out.fleet(r));
    }

    /** The walk so far in one line: how many are done, who is on the way, who failed. */
    static final class WalkLine implements ProgressView.ProgressLine {
        private final String direction;
        private final Set<String> busy = new LinkedHashSet<>();
        private final List<String> failed = new ArrayList<>();
        private int done;

        WalkLine(String direction) {
            this.direction = direction;
        }

        @Override
        public String next(JsonNode progress) {
            String service = progress.path("service").asText();
            switch (progress.path("step").asText()) {
                case "starting", "stopping" -> busy.add(service);
                case "failed" -> {
                    busy.remove(service);
                    failed.add(service);
                }
                default -> {
                    busy.remove(service);
                    done++;
                }
            }
            var line = new StringBuilder(direction).append(": ").append(done).append(" done");
            if (!busy.isEmpty()) line.append(" · ").append(up() ? "starting " : "stopping ").append(String.join(", ", busy));
            if (!failed.isEmpty()) line.append(" · failed ").append(String.join(", ", failed));
            return line.toString();
        }

        private boolean up() {
            return direction.equals("up");
        }
    }
}

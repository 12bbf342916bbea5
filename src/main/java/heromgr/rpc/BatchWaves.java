package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Splits a batch into waves whose calls may run concurrently (JSON-RPC 2.0 allows a server to process a batch's
 * calls in any order). A call that touches a service already touched in the current wave (by name, by
 * depends_on, or because one depends on the other) opens a new wave, so everything a caller could rely on
 * the order for still happens in order: stop-then-start of one service, create-then-create of a dependent, a
 * cascading stop then a start of a dependent of a dependent, or of a dependent the batch created.
 * A cascading delete and a fleet walk (service.up, service.down) touch services they do not name, so they run alone.
 */
final class BatchWaves {
    private BatchWaves() {
    }

    /** @param related a service's direct dependencies and dependents, by name */
    static List<List<Integer>> of(ArrayNode batch, Function<String, Set<String>> related) {
        List<List<Integer>> waves = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        Set<String> touched = new HashSet<>();
        // the links the batch's own creates make: the registry knows none of them when the batch is planned
        Map<String, Set<String>> created = new HashMap<>();
        Function<String, Set<String>> linked = n -> {
            Set<String> made = created.get(n);
            if (made == null) return related.apply(n);
            Set<String> all = new HashSet<>(related.apply(n));
            all.addAll(made);
            return all;
        };
        for (int i = 0; i < batch.size(); i++) {
            JsonNode call = batch.get(i);
            boolean alone = runsAlone(call);
            Set<String> names = touches(call, linked);
            if (!current.isEmpty() && (alone || names.stream().anyMatch(touched::contains))) {
                waves.add(current);
                current = new ArrayList<>();
                touched.clear();
            }
            current.add(i);
            touched.addAll(names);
            if (alone) {
                waves.add(current);
                current = new ArrayList<>();
                touched.clear();
            }
            link(call, created);
        }
        if (!current.isEmpty()) waves.add(current);
        return waves;
    }

    /**
     * The services the call names and every service related to them, directly or through others: a cascading stop
     * reaches dependents of dependents, a start dependencies of dependencies.
     */
    private static Set<String> touches(JsonNode call, Function<String, Set<String>> related) {
        Deque<String> todo = new ArrayDeque<>();
        JsonNode params = call.path("params");
        JsonNode name = params.path("name");
        if (name.isTextual()) todo.add(name.asText());
        for (JsonNode dep : params.path("depends_on")) {
            if (dep.isTextual()) todo.add(dep.asText());
        }
        Set<String> names = new HashSet<>();
        while (!todo.isEmpty()) {
            String n = todo.poll();
            if (names.add(n)) todo.addAll(related.apply(n));
        }
        return names;
    }

    /** A create's depends_on, as links both ways between the new service and each of its dependencies. */
    private static void link(JsonNode call, Map<String, Set<String>> created) {
        JsonNode params = call.path("params");
        JsonNode name = params.path("name");
        if (!"service.create".equals(call.path("method").asText()) || !name.isTextual()) return;
        for (JsonNode dep : params.path("depends_on")) {
            if (!dep.isTextual()) continue;
            created.computeIfAbsent(name.asText(), n -> new HashSet<>()).add(dep.asText());
            created.computeIfAbsent(dep.asText(), n -> new HashSet<>()).add(name.asText());
        }
    }

    private static boolean runsAlone(JsonNode call) {
        String method = call.path("method").asText();
        if (method.equals("service.up") || method.equals("service.down")) return true;
        return "service.delete".equals(method) && call.path("params").path("cascade").asBoolean(false);
    }
}

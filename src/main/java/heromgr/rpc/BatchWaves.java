package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Splits a batch into waves whose calls may run concurrently (JSON-RPC 2.0 allows a server to process a batch's
 * calls in any order). A call that touches a service already touched in the current wave (by name, by
 * depends_on, or because one depends on the other) opens a new wave, so everything a caller could rely on
 * the order for still happens in order: stop-then-start of one service, create-then-create of a dependent.
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
        for (int i = 0; i < batch.size(); i++) {
            JsonNode call = batch.get(i);
            boolean alone = runsAlone(call);
            Set<String> names = touches(call, related);
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
        }
        if (!current.isEmpty()) waves.add(current);
        return waves;
    }

    private static Set<String> touches(JsonNode call, Function<String, Set<String>> related) {
        Set<String> names = new HashSet<>();
        JsonNode params = call.path("params");
        JsonNode name = params.path("name");
        if (name.isTextual()) {
            names.add(name.asText());
            names.addAll(related.apply(name.asText()));
        }
        for (JsonNode dep : params.path("depends_on")) {
            if (dep.isTextual()) names.add(dep.asText());
        }
        return names;
    }

    private static boolean runsAlone(JsonNode call) {
        String method = call.path("method").asText();
        if (method.equals("service.up") || method.equals("service.down")) return true;
        return "service.delete".equals(method) && call.path("params").path("cascade").asBoolean(false);
    }
}

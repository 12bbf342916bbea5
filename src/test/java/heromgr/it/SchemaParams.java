package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.rpc.OpenRpcContract;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * jqwik arbitraries for a method's params, made from the OpenRPC document's schemas: types, enums, bounds, required
 * and optional properties, arrays and maps. Strings come from pools shaped like the patterns the document uses (most
 * match, some do not, among them paths that climb out with "..": the daemon's own validator tells the two apart). A few
 * params are drawn from safe pools so the fuzzing cannot run arbitrary programs or wait an hour: argv, work_dir, the
 * health socket, timeout_ms and settle_ms. The paths in those pools point into a decoy folder beside $HERO_HOME
 * ({@code outside}), which the fuzz test then proves unchanged. Creates take their names from a small pool, so the
 * services they register stay few however long the run (memory is measured, and must not grow with made-up names).
 */
final class SchemaParams {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Names of transient services the calls share, so creates, starts, stops and deletes meet each other. */
    static final List<String> SHARED_NAMES = List.of("fz_a", "fz_b", "fz_c", "fz_d");
    /** Class-defined names: a create of one is -32007, other calls meet a real service that cannot start here. */
    static final List<String> CLASS_NAMES = List.of("redis", "hero_echo");
    /** Names and paths the patterns refuse, some trying to climb out of $HERO_HOME. */
    static final List<String> HOSTILE = List.of("../escape", "a/../../b", "/etc/passwd", "fz_a/..", "..", "", "x\0y", "FZ_A");
    static final long WAIT_CAP_MS = 500;

    private final OpenRpcContract contract;
    private final Path outside;

    /** @param outside a folder the daemon must leave alone: the path params point into it */
    SchemaParams(OpenRpcContract contract, Path outside) {
        this.contract = contract;
        this.outside = outside;
    }

    /**
     * Every method of the document; the fleet's, which try every service (~0.4 s each on a loaded machine, where a
     * call takes ~10 ms), a tenth as often as the rest: at the same weight they took most of a run's time.
     */
    Arbitrary<String> methods() {
        List<String> fleet = List.of("service.up", "service.down");
        List<String> others = contract.methodNames().stream().filter(m -> !fleet.contains(m)).toList();
        return Arbitraries.frequencyOf(Tuple.of(fleet.size(), Arbitraries.of(fleet)), Tuple.of(10 * others.size(), Arbitraries.of(others)));
    }

    Arbitrary<JsonNode> of(String method) {
        List<Arbitrary<Map.Entry<String, JsonNode>>> fields = new ArrayList<>();
        for (var param : contract.params(method).entrySet()) {
            var value = forParam(method, param.getKey(), param.getValue().path("schema"))
                    .map(v -> Map.entry(param.getKey(), v));
            // timeout_ms always sent (at most WAIT_CAP_MS): its default (30 s) in each call of a batch whose waves run
            // one after another kept one batch unanswered past the client's minute in a CI run
            boolean always = param.getValue().path("required").asBoolean() || param.getKey().equals("timeout_ms");
            fields.add(always ? value : value.injectNull(0.4));
        }
        return object(fields);
    }

    private static Arbitrary<JsonNode> object(List<Arbitrary<Map.Entry<String, JsonNode>>> fields) {
        if (fields.isEmpty()) return Arbitraries.just(NODES.objectNode());
        return Combinators.combine(fields).as(entries -> {
            ObjectNode o = NODES.objectNode();
            for (var e : entries) if (e != null) o.set(e.getKey(), e.getValue());
            return o;
        });
    }

    private Arbitrary<JsonNode> forParam(String method, String name, JsonNode schema) {
        return switch (name) {
            case "argv" -> Arbitraries.of(List.of("/bin/sleep", "30"), List.of("/nonexistent/program"), List.of("/bin/true"),
                    List.of("relative_program"), List.of(outside.resolve("data.txt").toString()),
                    List.of(outside + "/../" + outside.getFileName() + "/data.txt"), List.of("../../bin/true"))
                    .map(SchemaParams::array);
            case "work_dir" -> Arbitraries.of(outside.toString(), outside + "/sub/../..", "/nonexistent", "/", "/proc/1")
                    .map(NODES::textNode);
            // the whole range would make a start wait up to an hour for a health check that never answers
            case "timeout_ms", "settle_ms" -> Arbitraries.longs().between(name.equals("settle_ms") ? 0 : 1, WAIT_CAP_MS)
                    .map(NODES::numberNode);
            // rpc.http: loopback port 0 only (a fixed port could take one the machine uses), and what is refused unbound
            case "address" -> Arbitraries.of("127.0.0.1:0", "localhost:0", "[::1]:0", "0.0.0.0:0", "192.0.2.1:0", "[::]:0",
                    "example.com:0", "127.0.0.1:65536", "127.0.0.1", "").map(NODES::textNode);
            case "name", "depends_on", "names" -> schema.path("type").asText().equals("array")
                    ? names(method).list().ofMaxSize(3).map(SchemaParams::array)
                    : names(method).map(NODES::textNode);
            default -> of(schema);
        };
    }

    /** A create takes a name from the pools only: a made-up one would register one more service each time. */
    private static Arbitrary<String> names(String method) {
        List<Tuple.Tuple2<Integer, Arbitrary<String>>> pools = new ArrayList<>(List.of(
                Tuple.of(6, Arbitraries.of(SHARED_NAMES)),
                Tuple.of(1, Arbitraries.of(CLASS_NAMES)),
                Tuple.of(1, Arbitraries.of(HOSTILE))));
        if (!method.equals("service.create")) pools.add(Tuple.of(2, identifiers()));
        return Arbitraries.frequencyOf(pools.toArray(Tuple.Tuple2[]::new));
    }

    private static Arbitrary<String> identifiers() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('_')
                .ofMinLength(0).ofMaxLength(12).map(s -> "x" + s);
    }

    Arbitrary<JsonNode> of(JsonNode schema) {
        if (schema.has("$ref")) return of(contract.document().at(schema.get("$ref").asText().substring(1)));
        if (schema.has("enum")) {
            List<JsonNode> values = new ArrayList<>();
            schema.get("enum").forEach(values::add);
            return Arbitraries.of(values);
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            List<Arbitrary<JsonNode>> choices = new ArrayList<>();
            schema.path(schema.has("oneOf") ? "oneOf" : "anyOf").forEach(s -> choices.add(of(s)));
            return Arbitraries.oneOf(choices);
        }
        return switch (schema.path("type").asText()) {
            case "string" -> strings(schema).map(NODES::textNode);
            case "integer" -> Arbitraries.longs()
                    .between(schema.path("minimum").asLong(Long.MIN_VALUE), schema.path("maximum").asLong(Long.MAX_VALUE))
                    .map(NODES::numberNode);
            case "number" -> Arbitraries.doubles().map(NODES::numberNode);
            case "boolean" -> Arbitraries.of(true, false).map(NODES::booleanNode);
            case "array" -> of(schema.path("items")).list()
                    .ofMinSize(schema.path("minItems").asInt(0)).ofMaxSize(Math.max(schema.path("minItems").asInt(0), 3))
                    .map(SchemaParams::array);
            case "object" -> objects(schema);
            default -> Arbitraries.of(NODES.nullNode(), NODES.numberNode(1), NODES.textNode("x"));
        };
    }

    private Arbitrary<JsonNode> objects(JsonNode schema) {
        if (schema.has("properties")) {
            List<Arbitrary<Map.Entry<String, JsonNode>>> fields = new ArrayList<>();
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            schema.get("properties").properties().forEach(p -> {
                var value = of(p.getValue()).map(v -> Map.entry(p.getKey(), v));
                fields.add(required.contains(p.getKey()) ? value : value.injectNull(0.5));
            });
            return object(fields);
        }
        // a map (env): keys shaped like variable names, values from the value schema
        JsonNode values = schema.path("additionalProperties");
        Arbitrary<JsonNode> value = values.isObject() ? of(values) : Arbitraries.just(NODES.textNode("v"));
        return Arbitraries.maps(identifiers().map(String::toUpperCase), value).ofMaxSize(3).map(m -> {
            ObjectNode o = NODES.objectNode();
            m.forEach(o::set);
            return o;
        });
    }

    private Arbitrary<String> strings(JsonNode schema) {
        String pattern = schema.path("pattern").asText("");
        Arbitrary<String> shaped = pattern.startsWith("^/") ? Arbitraries.of(outside.resolve("health.sock").toString(),
                outside + "/../" + outside.getFileName(), "/x/y", "/")
                : pattern.contains("A-Za-z0-9.") ? Arbitraries.of("1.0.0", "v2", "latest", "0.1.0-rc.1+b")
                : identifiers();
        // now and then something the pattern refuses: the answer must then be -32602, never -32603
        return Arbitraries.frequencyOf(
                Tuple.of(18, shaped),
                Tuple.of(1, Arbitraries.of(HOSTILE)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(8)));
    }

    private static JsonNode array(List<?> items) {
        var a = NODES.arrayNode();
        for (Object i : items) a.add(i instanceof JsonNode n ? n : NODES.textNode(String.valueOf(i)));
        return a;
    }
}

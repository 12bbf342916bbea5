package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * jqwik values for a schema of the OpenRPC document, for the hand check's oracle test: most shaped by the schema
 * (nested objects and arrays, the required and optional properties), many at or just past each of its edges (a length
 * or a count one short or over, counted in UTF-16 units and in code points; a number one below or above a bound, as
 * each kind of Jackson number node; a name the propertyNames pattern refuses; an item twice under uniqueItems), and
 * now and then a value of another kind (null, a huge integer, 1.0, an array for a string). Tame ones leave out the
 * strays and the random texts, so that more of the params are valid: the hand check's "surely valid" is then tested
 * on many near-misses of one value each.
 */
final class NearSchemaValues {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Texts near the document's patterns: names, paths, variable names, with NULs, line breaks, spaces, non-ASCII. */
    private static final List<String> TEXTS = List.of("a", "hero_echo", "x_1", "Hero", "a b", "", "/", "/tmp/x", "/a b",
            "/x\u0000y", "\u0000", "a\n", "\n", "a\u0000", "/health", "/health\t", "/héalth", "é", "\uD83D\uDE00",
            "/\uD83D\uDE00", "\uD83D", "a@b", "hero_echo@b", "1.2.3", "always", "never", "on_failure", "ALWAYS",
            "A", "_a", "A1", "1A", "A-B", "PATH", "a".repeat(64), "a".repeat(65), "A".repeat(256), "A".repeat(257),
            "/bin/sleep", "100000.x", "-", "$", "\u2028", "a\r", "5m", "12h", "2026-12-06T08:00Z", "2026-12-06T08:00:00.5+01:00",
            "2026-12-06T08:00", "5x", "a-b", "0.1.0-rc.1+b", "release", "main.log");
    private static final List<JsonNode> STRAYS = List.of(JSON.nullNode(), JSON.booleanNode(true), JSON.numberNode(0),
            JSON.numberNode(-1), JSON.numberNode(1.0), JSON.numberNode(1.5), JSON.numberNode(BigInteger.TWO.pow(70)),
            JSON.numberNode(new BigDecimal("1.0")), JSON.numberNode(Long.MAX_VALUE), JSON.numberNode(Double.MAX_VALUE),
            JSON.textNode(""), JSON.textNode("x"), JSON.textNode("1"), JSON.textNode("true"), JSON.arrayNode(),
            JSON.arrayNode().add("a"), JSON.objectNode(), JSON.objectNode().put("a", "b"));

    private final JsonNode document;
    private final boolean wild;

    /** @param wild with strays and random texts */
    NearSchemaValues(JsonNode document, boolean wild) {
        this.document = document;
        this.wild = wild;
    }

    /** Params for a method: each param from its schema (a required one mostly there, an optional one often absent), now and then a stray name, or no object at all. */
    Arbitrary<JsonNode> params(Map<String, JsonNode> params) {
        List<Arbitrary<Map.Entry<String, JsonNode>>> fields = new ArrayList<>();
        params.forEach((name, param) -> fields.add(of(param.path("schema")).map(v -> Map.entry(name, v))
                .injectNull(param.path("required").asBoolean() ? 0.05 : 0.5)));
        if (!wild) return object(fields);
        fields.add(Arbitraries.of(STRAYS).map(v -> Map.entry("extra", v)).injectNull(0.9));
        return Arbitraries.frequencyOf(Tuple.of(30, object(fields)), Tuple.of(1, Arbitraries.of(STRAYS)));
    }

    Arbitrary<JsonNode> of(JsonNode schema) {
        if (!wild) return shaped(schema);
        return Arbitraries.frequencyOf(Tuple.of(12, shaped(schema)), Tuple.of(1, Arbitraries.of(STRAYS)));
    }

    private Arbitrary<JsonNode> shaped(JsonNode schema) {
        if (schema.has("$ref")) return of(document.at(schema.get("$ref").asText().substring(1)));
        if (schema.has("enum")) {
            List<JsonNode> values = new ArrayList<>();
            schema.get("enum").forEach(values::add);
            return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(values)), Tuple.of(1, texts(schema).map(JSON::textNode)));
        }
        return switch (schema.path("type").asText()) {
            case "string" -> texts(schema).map(JSON::textNode);
            case "integer", "number" -> numbers(schema);
            case "boolean" -> Arbitraries.of(JSON.booleanNode(true), JSON.booleanNode(false));
            case "array" -> arrays(schema);
            case "object" -> objects(schema);
            default -> wild ? Arbitraries.of(STRAYS) : Arbitraries.of(JSON.textNode("x"));
        };
    }

    /**
     * Texts from the pool (those the pattern finds something in, often), random ones (any char, lone surrogates too),
     * and ones at the length bounds.
     */
    private Arbitrary<String> texts(JsonNode schema) {
        List<String> edges = new ArrayList<>();
        for (String bound : List.of("minLength", "maxLength")) {
            if (!schema.has(bound)) continue;
            int n = schema.get(bound).asInt();
            for (int len = Math.max(0, n - 1); len <= n + 1; len++) {
                edges.add("a".repeat(len));
                edges.add("/" + "a".repeat(Math.max(0, len - 1)));
                if (len >= 2) edges.add("/" + "\uD83D\uDE00".repeat(len / 2 - 1) + "a".repeat(len % 2 + 1));
                edges.add("\uD83D\uDE00".repeat(len));
            }
        }
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(5);
        Arbitrary<String> shaped = Arbitraries.strings().withChars("az_09AZ/ .@\n\u0000é").ofMaxLength(8);
        Arbitrary<String> slashed = shaped.map(s -> "/" + s);
        var pools = new ArrayList<Tuple.Tuple2<Integer, Arbitrary<String>>>(List.of(Tuple.of(6, Arbitraries.of(TEXTS)),
                Tuple.of(wild ? 2 : 0, random), Tuple.of(3, shaped), Tuple.of(2, slashed)));
        if (!edges.isEmpty()) pools.add(Tuple.of(3, Arbitraries.of(edges)));
        if (schema.has("pattern")) {
            Pattern p = SchemaPattern.compile(schema.get("pattern").asText());
            List<String> matching = TEXTS.stream().filter(t -> p.matcher(t).find()).toList();
            if (!matching.isEmpty()) pools.add(Tuple.of(12, Arbitraries.of(matching)));
        }
        return Arbitraries.frequencyOf(pools.toArray(Tuple.Tuple2[]::new));
    }

    /** Each bound, one off it and the values in between, as every kind of number node; fractions and huge ones too. */
    private static Arbitrary<JsonNode> numbers(JsonNode schema) {
        List<BigInteger> edges = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate(),
                BigInteger.TWO.pow(63), BigInteger.TWO.pow(80).negate()));
        for (String bound : List.of("minimum", "maximum")) {
            if (!schema.has(bound)) continue;
            BigInteger b = schema.get(bound).bigIntegerValue();
            edges.addAll(List.of(b.subtract(BigInteger.ONE), b, b.add(BigInteger.ONE)));
        }
        long min = schema.path("minimum").asLong(-1000), max = schema.path("maximum").asLong(1000);
        Arbitrary<BigInteger> inRange = Arbitraries.longs().between(min, max).map(BigInteger::valueOf);
        return Combinators.combine(Arbitraries.oneOf(Arbitraries.of(edges), inRange), Arbitraries.integers().between(0, 6))
                .as(NearSchemaValues::asNode);
    }

    private static JsonNode asNode(BigInteger n, int kind) {
        return switch (kind) {
            case 0 -> n.bitLength() < 32 ? JSON.numberNode(n.intValue()) : JSON.numberNode(n);
            case 1 -> n.bitLength() < 64 ? JSON.numberNode(n.longValue()) : JSON.numberNode(n);
            case 2 -> JSON.numberNode(n);
            case 3 -> JSON.numberNode(new BigDecimal(n));
            case 4 -> JSON.numberNode(new BigDecimal(n).setScale(1));
            case 5 -> JSON.numberNode(n.doubleValue());
            default -> JSON.numberNode(new BigDecimal(n).add(new BigDecimal("0.5")));
        };
    }

    /** Short arrays of item values (the first one from prefixItems, mostly), and arrays of exactly and one past the bounds. */
    private Arbitrary<JsonNode> arrays(JsonNode schema) {
        Arbitrary<JsonNode> item = of(schema.path("items"));
        Arbitrary<JsonNode> first = schema.has("prefixItems") ? Arbitraries.oneOf(of(schema.get("prefixItems").get(0)), item) : item;
        Arbitrary<JsonNode> small = Combinators.combine(first, item.list().ofMaxSize(4), Arbitraries.of(true, false))
                .as((head, tail, withHead) -> {
                    ArrayNode a = JSON.arrayNode();
                    if (withHead) a.add(head);
                    tail.forEach(a::add);
                    return a;
                });
        List<Integer> sizes = new ArrayList<>();
        for (String bound : List.of("minItems", "maxItems")) {
            if (schema.has(bound)) sizes.addAll(List.of(schema.get(bound).asInt() - 1, schema.get(bound).asInt(), schema.get(bound).asInt() + 1));
        }
        if (sizes.isEmpty()) return small;
        // the rest short: 4,097 texts of 65,537 chars each took the validator seconds a sample
        Arbitrary<JsonNode> shortItem = item.filter(v -> !v.isTextual() || v.textValue().length() < 100);
        Arbitrary<JsonNode> sized = Combinators.combine(first, shortItem, Arbitraries.of(sizes)).as((head, rest, size) -> {
            ArrayNode a = JSON.arrayNode();
            for (int i = 0; i < size; i++) a.add(i == 0 ? head : rest);
            return a;
        });
        return Arbitraries.frequencyOf(Tuple.of(6, small), Tuple.of(1, sized));
    }

    /** The properties of the schema, each maybe absent; or a map of names near propertyNames' pattern. */
    private Arbitrary<JsonNode> objects(JsonNode schema) {
        List<Arbitrary<Map.Entry<String, JsonNode>>> fields = new ArrayList<>();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        schema.path("properties").properties().forEach(p -> fields.add(of(p.getValue()).map(v -> Map.entry(p.getKey(), v))
                .injectNull(required.contains(p.getKey()) ? 0.05 : 0.4)));
        JsonNode others = schema.path("additionalProperties");
        Arbitrary<JsonNode> value = others.isObject() ? of(others) : Arbitraries.of(STRAYS);
        Arbitrary<String> names = texts(schema.path("propertyNames"));
        for (int i = 0; i < 3; i++) {
            fields.add(Combinators.combine(names, value).as(Map::entry).injectNull(others.isObject() ? 0.4 : 0.95));
        }
        return object(fields);
    }

    private static Arbitrary<JsonNode> object(List<Arbitrary<Map.Entry<String, JsonNode>>> fields) {
        return Combinators.combine(fields).as(entries -> {
            ObjectNode o = JSON.objectNode();
            for (var e : entries) if (e != null) o.set(e.getKey(), e.getValue());
            return o;
        });
    }
}

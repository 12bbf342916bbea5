package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A method's params checked by hand when every param schema of the document is plain: a type, with at most a
 * pattern, bounds on a number or a length, an enum. It only ever says "surely valid": whatever it is not sure of
 * (a wrong type, a number it does not compare, a miss) goes to the JSON Schema validator, which decides and words
 * the error. The general validator walk cost a tenth of a status call; this is a few map look-ups.
 */
final class PlainParamsCheck {
    /** Keywords that do not constrain a value. */
    private static final Set<String> NOTES = Set.of("description", "default", "title", "examples", "deprecated", "readOnly");
    private static final Set<String> TYPES = Set.of("string", "boolean", "integer", "number");

    private final Map<String, Plain> byName;
    private final List<String> required;

    private PlainParamsCheck(Map<String, Plain> byName, List<String> required) {
        this.byName = byName;
        this.required = required;
    }

    /** The check for these params (name → content descriptor, $refs resolved), if every one is plain. */
    static Optional<PlainParamsCheck> of(Map<String, JsonNode> params) {
        Map<String, Plain> byName = new HashMap<>();
        List<String> required = params.entrySet().stream()
                .filter(e -> e.getValue().path("required").asBoolean(false)).map(Map.Entry::getKey).toList();
        for (var e : params.entrySet()) {
            Optional<Plain> plain = Plain.of(e.getValue().path("schema"));
            if (plain.isEmpty()) return Optional.empty();
            byName.put(e.getKey(), plain.get());
        }
        return Optional.of(new PlainParamsCheck(Map.copyOf(byName), required));
    }

    /** True when the params surely fit the schema (an object, no unknown names, the required ones present, each fits). */
    boolean surelyValid(JsonNode params) {
        if (!params.isObject()) return false;
        for (String name : required) {
            if (!params.has(name)) return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            var field = it.next();
            Plain plain = byName.get(field.getKey());
            if (plain == null || !plain.fits(field.getValue())) return false;
        }
        return true;
    }

    /** One param's schema: its type and the constraints this check knows. */
    private record Plain(String type, Pattern pattern, BigDecimal minimum, BigDecimal maximum, Integer minLength,
                         Integer maxLength, JsonNode values) {
        static Optional<Plain> of(JsonNode schema) {
            if (!schema.isObject() || !schema.path("type").isTextual() || !TYPES.contains(schema.get("type").textValue())) {
                return Optional.empty();
            }
            for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
                String keyword = names.next();
                if (!NOTES.contains(keyword) && !known(keyword, schema.get(keyword))) return Optional.empty();
            }
            JsonNode pattern = schema.get("pattern");
            return Optional.of(new Plain(schema.get("type").textValue(),
                    pattern == null ? null : SchemaPattern.compile(pattern.textValue()),
                    decimal(schema.get("minimum")), decimal(schema.get("maximum")),
                    count(schema.get("minLength")), count(schema.get("maxLength")), schema.get("enum")));
        }

        private static boolean known(String keyword, JsonNode value) {
            return switch (keyword) {
                case "type" -> true;
                case "pattern" -> value.isTextual();
                case "minimum", "maximum" -> value.isNumber();
                case "minLength", "maxLength" -> value.isIntegralNumber() && value.canConvertToInt();
                case "enum" -> value.isArray();
                default -> false;
            };
        }

        private static BigDecimal decimal(JsonNode n) {
            return n == null ? null : n.decimalValue();
        }

        private static Integer count(JsonNode n) {
            return n == null ? null : n.intValue();
        }

        boolean fits(JsonNode v) {
            boolean typed = switch (type) {
                case "string" -> v.isTextual() && fitsText(v.textValue());
                case "boolean" -> v.isBoolean();
                case "integer" -> v.isIntegralNumber() && fitsBounds(v);
                default -> v.isNumber() && fitsBounds(v);
            };
            return typed && (values == null || contains(values, v));
        }

        private boolean fitsText(String s) {
            if (minLength != null || maxLength != null) {
                int n = s.codePointCount(0, s.length());
                if (minLength != null && n < minLength || maxLength != null && n > maxLength) return false;
            }
            // JSON Schema's pattern is not anchored: the validator looks for a match anywhere, as find() does
            return pattern == null || pattern.matcher(s).find();
        }

        private boolean fitsBounds(JsonNode v) {
            if (minimum == null && maximum == null) return true;
            BigDecimal d = v.decimalValue();
            return (minimum == null || d.compareTo(minimum) >= 0) && (maximum == null || d.compareTo(maximum) <= 0);
        }

        private static boolean contains(JsonNode values, JsonNode v) {
            for (JsonNode allowed : values) {
                if (allowed.equals(v)) return true;
            }
            return false;
        }
    }
}

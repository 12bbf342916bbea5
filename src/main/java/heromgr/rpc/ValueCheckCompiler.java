package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a schema of the OpenRPC document into a {@link ValueCheck}, when every keyword in it is one this knows, with
 * a value of the form the standard gives it: per type, string (pattern, minLength, maxLength, enum), integer and
 * number (minimum, maximum, enum), boolean (enum), array (items, prefixItems, minItems, maxItems, uniqueItems),
 * object (properties, required, additionalProperties, propertyNames); a {@code $ref} into the components; notes
 * (description, default...) anywhere. Anything else (a keyword not listed, such as format, oneOf or a type list; a
 * boolean schema) makes the schema not plain: the validator decides every call of its method.
 */
final class ValueCheckCompiler {
    /** Keywords that do not constrain a value. */
    private static final Set<String> NOTES = Set.of("description", "default", "title", "examples", "deprecated", "readOnly");
    private static final Map<String, Set<String>> KEYWORDS = Map.of(
            "string", Set.of("type", "pattern", "minLength", "maxLength", "enum"),
            "integer", Set.of("type", "minimum", "maximum", "enum"),
            "number", Set.of("type", "minimum", "maximum", "enum"),
            "boolean", Set.of("type", "enum"),
            "array", Set.of("type", "items", "prefixItems", "minItems", "maxItems", "uniqueItems"),
            "object", Set.of("type", "properties", "required", "additionalProperties", "propertyNames"));
    /** What propertyNames may say: the names are strings, so the type may be left out. */
    private static final Set<String> NAME_KEYWORDS = Set.of("type", "pattern", "minLength", "maxLength");
    /** $refs followed in a row before a schema counts as not plain (a cycle, or a chain no document of ours has). */
    private static final int MAX_REFS = 8;

    private final JsonNode document;

    /** @param document the OpenRPC document, whose components a {@code $ref} names */
    ValueCheckCompiler(JsonNode document) {
        this.document = document;
    }

    Optional<ValueCheck> compile(JsonNode schema) {
        return Optional.ofNullable(check(schema, 0));
    }

    /** The check of a schema; null when it is not plain. */
    private ValueCheck check(JsonNode schema, int refs) {
        if (!schema.isObject()) return null;
        if (schema.has("$ref")) return referenced(schema, refs);
        JsonNode type = schema.get("type");
        Set<String> known = type != null && type.isTextual() ? KEYWORDS.get(type.textValue()) : null;
        if (known == null || !onlyKnown(schema, known)) return null;
        ValueCheck typed = switch (type.textValue()) {
            case "string" -> text(schema);
            case "integer", "number" -> number(schema, type.textValue().equals("integer"));
            case "boolean" -> new BooleanCheck();
            case "array" -> array(schema, refs);
            default -> object(schema, refs);
        };
        JsonNode values = schema.get("enum");
        if (typed == null || values == null) return typed;
        return values.isArray() ? new EnumCheck(typed, list(values)) : null;
    }

    /** A schema that is a $ref into the components and nothing else that constrains. */
    private ValueCheck referenced(JsonNode schema, int refs) {
        JsonNode ref = schema.get("$ref");
        if (refs >= MAX_REFS || !ref.isTextual() || !ref.textValue().startsWith("#/components/")
                || !onlyKnown(schema, Set.of("$ref"))) {
            return null;
        }
        JsonNode target = document.at(ref.textValue().substring(1));
        return target.isMissingNode() ? null : check(target, refs + 1);
    }

    private static boolean onlyKnown(JsonNode schema, Set<String> known) {
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            if (!known.contains(keyword) && !NOTES.contains(keyword)) return false;
        }
        return true;
    }

    private static TextCheck text(JsonNode schema) {
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && !pattern.isTextual()) return null;
        int min = count(schema.get("minLength"), 0);
        int max = count(schema.get("maxLength"), Integer.MAX_VALUE);
        if (min < 0 || max < 0) return null;
        try {
            return new TextCheck(pattern == null ? null : SchemaPattern.compile(pattern.textValue()), min, max);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    private static NumberCheck number(JsonNode schema, boolean integral) {
        JsonNode min = schema.get("minimum");
        JsonNode max = schema.get("maximum");
        if (!bound(min) || !bound(max)) return null;
        return new NumberCheck(integral, decimal(min), decimal(max));
    }

    private ArrayCheck array(JsonNode schema, int refs) {
        JsonNode prefix = schema.get("prefixItems");
        JsonNode items = schema.get("items");
        JsonNode unique = schema.get("uniqueItems");
        int min = count(schema.get("minItems"), 0);
        int max = count(schema.get("maxItems"), Integer.MAX_VALUE);
        if (min < 0 || max < 0 || prefix != null && !prefix.isArray() || unique != null && !unique.isBoolean()) return null;
        List<ValueCheck> prefixChecks = new ArrayList<>();
        for (JsonNode p : prefix == null ? List.<JsonNode>of() : prefix) {
            ValueCheck c = check(p, refs);
            if (c == null) return null;
            prefixChecks.add(c);
        }
        ValueCheck itemCheck = items == null ? null : check(items, refs);
        if (items != null && itemCheck == null) return null;
        return new ArrayCheck(List.copyOf(prefixChecks), itemCheck, min, max, unique != null && unique.booleanValue());
    }

    private ObjectCheck object(JsonNode schema, int refs) {
        JsonNode properties = schema.path("properties");
        JsonNode required = schema.path("required");
        JsonNode additional = schema.path("additionalProperties");
        if (schema.has("properties") && !properties.isObject() || schema.has("required") && !required.isArray()) return null;
        Map<String, ValueCheck> byName = new HashMap<>();
        for (var e : properties.properties()) {
            ValueCheck c = check(e.getValue(), refs);
            if (c == null) return null;
            byName.put(e.getKey(), c);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode n : required) {
            if (!n.isTextual()) return null;
            names.add(n.textValue());
        }
        ValueCheck others = additional.isObject() ? check(additional, refs) : null;
        if (additional.isObject() ? others == null : !additional.isMissingNode() && !additional.isBoolean()) return null;
        TextCheck propertyNames = null;
        if (schema.has("propertyNames")) {
            propertyNames = names(schema.get("propertyNames"));
            if (propertyNames == null) return null;
        }
        return new ObjectCheck(Map.copyOf(byName), List.copyOf(names), additional.isBoolean() && !additional.booleanValue(),
                others, propertyNames);
    }

    /** propertyNames: a string schema, its type optional. */
    private static TextCheck names(JsonNode schema) {
        if (!schema.isObject() || !onlyKnown(schema, NAME_KEYWORDS)) return null;
        JsonNode type = schema.get("type");
        return type == null || "string".equals(type.textValue()) ? text(schema) : null;
    }

    /** A count keyword's value: absent when missing, -1 when it is not a non-negative int. */
    private static int count(JsonNode n, int absent) {
        if (n == null) return absent;
        return n.isIntegralNumber() && n.canConvertToInt() && n.intValue() >= 0 ? n.intValue() : -1;
    }

    /** Absent, or a number with a finite value. */
    private static boolean bound(JsonNode n) {
        return n == null || n.isNumber() && (n.isIntegralNumber() || n.isBigDecimal() || Double.isFinite(n.doubleValue()));
    }

    private static BigDecimal decimal(JsonNode n) {
        return n == null ? null : n.decimalValue();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return List.copyOf(out);
    }
}

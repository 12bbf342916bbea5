package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A method's params checked by our own code, when every param schema is plain ({@link ValueCheckCompiler}: the
 * keywords the document uses). It only ever says "surely valid": whatever it is not sure of (a wrong type, a number
 * it does not compare, a miss) goes to the JSON Schema validator, which decides and words the error. The general
 * validator walk cost a tenth of a status call and, for a create, its compile on a cold daemon; this is a few map
 * look-ups, and a daemon whose calls all fit never loads the validator.
 */
final class PlainParamsCheck {
    /** The params object: the params as its properties, the required ones required, nothing else allowed. */
    private final ObjectCheck params;

    private PlainParamsCheck(ObjectCheck params) {
        this.params = params;
    }

    /**
     * The check for these params (name → content descriptor, $refs resolved), if every one is plain.
     *
     * @param document the OpenRPC document, whose components the params' schemas may $ref
     */
    static Optional<PlainParamsCheck> of(Map<String, JsonNode> params, JsonNode document) {
        var compiler = new ValueCheckCompiler(document);
        Map<String, ValueCheck> byName = new HashMap<>();
        for (var e : params.entrySet()) {
            Optional<ValueCheck> check = compiler.compile(e.getValue().path("schema"));
            if (check.isEmpty()) return Optional.empty();
            byName.put(e.getKey(), check.get());
        }
        List<String> required = params.entrySet().stream()
                .filter(e -> e.getValue().path("required").asBoolean(false)).map(Map.Entry::getKey).toList();
        return Optional.of(new PlainParamsCheck(new ObjectCheck(Map.copyOf(byName), required, true, null, null)));
    }

    /** True when the params surely fit the schema (an object, no unknown names, the required ones present, each fits). */
    boolean surelyValid(JsonNode params) {
        return this.params.fits(params);
    }
}

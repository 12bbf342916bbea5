package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An object: the required names present, each named property fitting its schema, every other one fitting
 * additionalProperties (refused when {@code closed}; anything goes when neither), every name fitting propertyNames.
 * A method's params are one of these, closed.
 */
record ObjectCheck(Map<String, ValueCheck> properties, List<String> required, boolean closed, ValueCheck additional,
                   TextCheck propertyNames) implements ValueCheck {
    @Override
    public boolean fits(JsonNode value) {
        if (!value.isObject()) return false;
        for (String name : required) {
            if (!value.has(name)) return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            var field = it.next();
            if (propertyNames != null && !propertyNames.fitsText(field.getKey())) return false;
            ValueCheck check = properties.get(field.getKey());
            if (check == null && closed) return false;
            if (check == null) check = additional;
            if (check != null && !check.fits(field.getValue())) return false;
        }
        return true;
    }
}

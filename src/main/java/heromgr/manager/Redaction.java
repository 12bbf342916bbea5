package heromgr.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Values of keys that look secret are replaced before anything is shown or recorded. */
final class Redaction {
    static final String REDACTED = "***";
    /**
     * A password however abbreviated (DB_PASS, PASSPHRASE), an access key, an authorization (BASIC_AUTH, X_AUTH_TOKEN,
     * AUTHORIZATION, not an AUTHOR), besides the plain words; PASS_THROUGH and the like stay shown.
     */
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(secret|token|passw|passphrase|(^|_)pass$|private|credential|api_?key|access_?key|(^|_)auth($|_|oriz)|_keys?$).*");

    private Redaction() {
    }

    static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }

    static Map<String, String> env(Map<String, String> env) {
        var out = new TreeMap<String, String>();
        env.forEach((k, v) -> out.put(k, isSecret(k) ? REDACTED : v));
        return out;
    }

    /** A copy of the params with secret-looking fields redacted, at any depth. */
    static JsonNode params(JsonNode params) {
        if (params == null) return null;
        JsonNode copy = params.deepCopy();
        redactInPlace(copy);
        return copy;
    }

    private static void redactInPlace(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            for (var field : obj.properties()) {
                if (isSecret(field.getKey()) && field.getValue().isValueNode()) obj.put(field.getKey(), REDACTED);
                else redactInPlace(field.getValue());
            }
        } else if (node != null && node.isArray()) {
            for (JsonNode n : node) redactInPlace(n);
        }
    }
}

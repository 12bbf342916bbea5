package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Pattern;

/**
 * A string with at most a pattern and bounds on its length (a bound absent: 0 and {@link Integer#MAX_VALUE}).
 * The standard counts a length in code points: the upper bound is checked on UTF-16 units (never fewer than the code
 * points, and free to read), the lower one on code points (never more than the units), so either way of counting
 * the validator might use agrees with a "surely valid".
 */
record TextCheck(Pattern pattern, int minLength, int maxLength) implements ValueCheck {
    @Override
    public boolean fits(JsonNode value) {
        return value.isTextual() && fitsText(value.textValue());
    }

    /** The text (a string value, or an object's key under propertyNames) surely fits. */
    boolean fitsText(String s) {
        if (s.length() > maxLength) return false;
        if (minLength > 0 && (s.length() < minLength || s.codePointCount(0, s.length()) < minLength)) return false;
        // JSON Schema's pattern is not anchored: the validator looks for a match anywhere, as find() does
        return pattern == null || pattern.matcher(s).find();
    }
}

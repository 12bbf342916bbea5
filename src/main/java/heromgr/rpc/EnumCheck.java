package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A value of its type that equals one of the listed ones as Jackson compares nodes: stricter than the standard for
 * numbers (Jackson's 1 and 1L differ), which leaves those to the validator.
 */
record EnumCheck(ValueCheck typed, List<JsonNode> values) implements ValueCheck {
    @Override
    public boolean fits(JsonNode value) {
        return typed.fits(value) && values.contains(value);
    }
}

package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** true or false. */
record BooleanCheck() implements ValueCheck {
    @Override
    public boolean fits(JsonNode value) {
        return value.isBoolean();
    }
}

package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One schema of the OpenRPC document compiled for the hand check of params ({@link PlainParamsCheck}): {@link #fits}
 * answers "surely valid" (true) or "not sure" (false), never "invalid". Whatever it is not sure of goes to the JSON
 * Schema validator, which decides and words the error; so a check may be stricter than its schema, never looser.
 * {@link ValueCheckCompiler} makes them, and only from the keywords it knows.
 */
sealed interface ValueCheck permits TextCheck, NumberCheck, BooleanCheck, EnumCheck, ArrayCheck, ObjectCheck {
    boolean fits(JsonNode value);
}

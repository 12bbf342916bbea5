package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import heromgr.api.ErrorCode;
import heromgr.fs.JsonCodec;
import heromgr.rpc.OpenRpcContract;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a JSON-RPC answer against the OpenRPC document: a result against its method's result schema, an error's code
 * against the codes the document lists (never -32603), and an error's data against the shape the document's error
 * descriptions give it (data.log, data.output, data.dependents; the Verification of a deploy). Data on any other
 * error is a defect: the document does not say it is there.
 */
final class AnswerSchemas {
    static final Set<Integer> DOCUMENTED = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
    private static final String LINES = "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}";
    /** The data each error's description in the document promises; the codes absent here carry none. */
    private static final Map<Integer, String> DATA = Map.of(
            ErrorCode.BUILD_FAILED.code(), "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"output\",\"log\"],"
                    + "\"properties\":{\"output\":" + LINES + ",\"log\":{\"type\":\"string\"}}}",
            ErrorCode.START_FAILED.code(), "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"log\"],"
                    + "\"properties\":{\"log\":" + LINES + "}}",
            ErrorCode.TIMEOUT.code(), "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"log\"],"
                    + "\"properties\":{\"log\":" + LINES + "}}",
            ErrorCode.DEPENDENCY_NOT_RUNNING.code(), "{\"type\":\"object\",\"additionalProperties\":false,"
                    + "\"properties\":{\"log\":" + LINES + "}}",
            ErrorCode.DEPENDENTS_RUNNING.code(), "{\"type\":\"object\",\"additionalProperties\":false,"
                    + "\"required\":[\"dependents\"],\"properties\":{\"dependents\":" + LINES + "}}",
            ErrorCode.VERIFICATION_FAILED.code(), "{\"$ref\":\"#/components/schemas/Verification\"}");

    private final Map<String, JsonSchema> results = new LinkedHashMap<>();
    private final Map<Integer, JsonSchema> data = new LinkedHashMap<>();

    AnswerSchemas(OpenRpcContract contract) {
        for (JsonNode method : contract.document().path("methods")) {
            results.put(method.path("name").asText(), contract.compile(method.at("/result/schema")));
        }
        DATA.forEach((code, schema) -> {
            try {
                data.put(code, contract.compile(JsonCodec.MAPPER.readTree(schema)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** One answer to a call of this method with this id (a number), sent as {@code sent}. */
    void check(String method, JsonNode answer, long id, String sent) {
        assertThat(answer.path("jsonrpc").asText()).as(sent).isEqualTo("2.0");
        assertThat(answer.path("id").isNumber() && answer.path("id").asLong() == id).as("the sent id %d: %s", id, answer).isTrue();
        assertThat(answer.has("result")).as("exactly one of result and error: " + answer).isNotEqualTo(answer.has("error"));
        if (answer.has("error")) {
            checkError(answer, sent);
            return;
        }
        Set<ValidationMessage> problems = results.get(method).validate(answer.get("result"));
        assertThat(problems).as("the result of %s fits its schema in the document: %s -> %s", method, sent, answer).isEmpty();
    }

    /** A domain error the document lists, with a message, and data only of the shape the document gives it. */
    void checkError(JsonNode answer, String sent) {
        int code = answer.at("/error/code").asInt();
        assertThat(code).as(sent + " -> " + answer).isNotEqualTo(ErrorCode.INTERNAL_ERROR.code()).isIn(DOCUMENTED);
        assertThat(answer.at("/error/message").isTextual()).as(answer.toString()).isTrue();
        JsonNode given = answer.path("error").get("data");
        if (given == null) return;
        JsonSchema shape = data.get(code);
        assertThat(shape).as("the document gives error %d no data: %s -> %s", code, sent, answer).isNotNull();
        assertThat(shape.validate(given)).as("error data of %d as the document says: %s -> %s", code, sent, answer).isEmpty();
    }
}

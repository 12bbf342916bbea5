package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import heromgr.api.ApiException;
import heromgr.api.ErrorCode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The JSON-RPC envelope and params validation, on a small document of its own. */
class JsonRpcProcessorTest {
    static final String DOC = """
            {"openrpc":"1.3.2","info":{"title":"t","version":"1"},"methods":[
              {"name":"add","x-heromgr-access":"read","params":[{"name":"a","required":true,"schema":{"type":"integer"}},
                                      {"name":"b","schema":{"type":"integer","minimum":0}}],"result":{"name":"r","schema":{}}},
              {"name":"boom","x-heromgr-access":"read","params":[],"result":{"name":"r","schema":{}}},
              {"name":"missing","x-heromgr-access":"operate","params":[{"$ref":"#/components/contentDescriptors/Name"}],"result":{"name":"r","schema":{}}},
              {"name":"seen","x-heromgr-access":"read","params":[{"name":"a","required":true,"schema":{"type":"integer"}},
                                       {"name":"b","schema":{"type":"integer","default":7}},
                                       {"$ref":"#/components/contentDescriptors/Limit"}],"result":{"name":"r","schema":{}}}],
             "components":{"contentDescriptors":{"Name":{"name":"name","required":true,"schema":{"type":"string"}},
                                                 "Limit":{"name":"limit","schema":{"type":"integer","default":50}}}}}
            """;

    final AtomicInteger calls = new AtomicInteger();
    final JsonRpcProcessor rpc = processor(Map.of(
            "add", (p, c) -> {
                calls.incrementAndGet();
                return p.get("a").asInt() + p.path("b").asInt(0);
            },
            "boom", (p, c) -> {
                throw new IllegalStateException("kaput");
            },
            "missing", (p, c) -> {
                throw new ApiException(ErrorCode.SERVICE_NOT_FOUND, "no such service: " + p.get("name").asText());
            },
            "seen", (p, c) -> Map.of("params", p, "sent", c.sentParams())));

    static OpenRpcContract contract() {
        try {
            return OpenRpcContract.parse(JsonCodec.MAPPER, DOC.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static JsonRpcProcessor processor(Map<String, RpcMethod> methods) {
        return new JsonRpcProcessor(JsonCodec.MAPPER, new Dispatcher(contract(), methods));
    }

    JsonNode answer(String body) {
        return rpc.process(body.getBytes(StandardCharsets.UTF_8), Caller.LOCAL)
                .map(b -> {
                    try {
                        return JsonCodec.MAPPER.readTree(b);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }).orElse(null);
    }

    @Test
    void aCallGetsItsResultWithItsId() {
        JsonNode a = answer("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"add\",\"params\":{\"a\":2,\"b\":3}}");
        assertThat(a.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(a.get("id").asText()).isEqualTo("abc");
        assertThat(a.get("result").asInt()).isEqualTo(5);
        assertThat(a.has("error")).isFalse();
    }

    @Test
    void aNotificationRunsButIsNotAnswered() {
        assertThat(answer("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1}}")).isNull();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(answer("{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}")).isNull();
    }

    @Test
    void aBatchAnswersEachCallInOrderAndSkipsNotifications() {
        JsonNode a = answer("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":{\"a\":1}},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":1}},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"}, 5]");
        assertThat(a).hasSize(3);
        assertThat(a.get(0).get("result").asInt()).isEqualTo(1);
        assertThat(a.get(1).at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(a.get(2).at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(a.get(2).get("id").isNull()).isTrue();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void textAfterTheJsonValueIsAParseErrorAndNothingRuns() {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":{\"a\":1}}";
        for (String trailing : List.of(" x", "{}", call, "]", " \u0000", "\"")) {
            JsonNode a = answer(call + trailing);
            assertThat(a.at("/error/code").asInt()).as(trailing).isEqualTo(-32700);
            assertThat(a.at("/error/message").asText()).as(trailing).contains("text after the JSON value at byte " + call.length());
        }
        assertThat(calls.get()).isZero();
        assertThat(answer(call + " \n\t").get("result").asInt()).isEqualTo(1);
    }

    @Test
    void protocolErrors() {
        assertThat(answer("{nope").at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(answer("{nope").get("id").isNull()).isTrue();
        assertThat(answer("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"add\"}").at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(answer("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"add\"}").at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":7}").at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(answer("[]").at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(answer("[".repeat(65) + "]".repeat(65)).at("/error/message").asText()).contains("nesting");
    }

    @Test
    void paramsValidationNamesTheField() {
        JsonNode missing = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":{\"b\":1}}");
        assertThat(missing.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(missing.at("/error/message").asText()).contains("invalid params for add").contains("a");

        JsonNode negative = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":{\"a\":1,\"b\":-1}}");
        assertThat(negative.at("/error/message").asText()).contains("b");

        JsonNode viaRef = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"missing\",\"params\":{\"name\":5}}");
        assertThat(viaRef.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(viaRef.at("/error/message").asText()).contains("name");
        assertThat(calls.get()).isZero();
    }

    @Test
    void domainErrorsKeepTheirCodeAndInternalErrorsDoNotLeakAStackTrace() {
        JsonNode notFound = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"missing\",\"params\":{\"name\":\"x\"}}");
        assertThat(notFound.at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(notFound.at("/error/message").asText()).isEqualTo("no such service: x");
        JsonNode boom = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"boom\"}");
        assertThat(boom.at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(boom.at("/error/message").asText()).contains("kaput").doesNotContain("\tat ");
    }

    @Test
    void aMethodsErrorIsItsCallsInternalErrorButTheJvmsOwnFailuresAreNotAnswered() {
        var gone = new NoClassDefFoundError("Could not initialize class heromgr.Gone");
        var failing = new AtomicReference<Error>(gone);
        var errors = processor(Map.of("add", (p, c) -> 1, "boom", (p, c) -> {
            throw failing.get();
        }, "missing", (p, c) -> 2, "seen", (p, c) -> 3));
        byte[] boom = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"boom\"}".getBytes(StandardCharsets.UTF_8);
        String answered = new String(errors.process(boom, Caller.LOCAL).orElseThrow(), StandardCharsets.UTF_8);
        assertThat(answered).contains("\"id\":9").contains("-32603").contains("Could not initialize class heromgr.Gone");

        failing.set(new OutOfMemoryError("Java heap space"));
        assertThatThrownBy(() -> errors.process(boom, Caller.LOCAL)).isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void aParamLeftOutGetsTheDocumentsDefaultWhileTheCallerKeepsTheParamsAsSent() {
        JsonNode leftOut = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"seen\",\"params\":{\"a\":1}}");
        assertThat(leftOut.at("/result/params").toString()).isEqualTo("{\"a\":1,\"b\":7,\"limit\":50}");
        assertThat(leftOut.at("/result/sent").toString()).isEqualTo("{\"a\":1}");
        JsonNode given = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"seen\",\"params\":{\"a\":1,\"b\":2,\"limit\":3}}");
        assertThat(given.at("/result/params").toString()).isEqualTo("{\"a\":1,\"b\":2,\"limit\":3}");
        assertThat(contract().paramDefaults("add")).isEmpty();
    }

    @Test
    void theDispatcherRefusesADocumentThatDiffersFromItsMethods() {
        assertThatThrownBy(() -> new Dispatcher(contract(), Map.of("add", (p, c) -> 1, "extra", (p, c) -> 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[extra]")
                .hasMessageContaining("boom").hasMessageContaining("seen");
        assertThat(List.copyOf(contract().methodNames())).containsExactlyInAnyOrder("add", "boom", "missing", "seen");
    }

    @Test
    void aViewerReadsButIsRefusedWhatChangesBeforeItsParamsAreLookedAt() {
        Caller viewer = new Caller("v", Access.READ);
        JsonNode read = parse(rpc.process(bytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\",\"params\":{\"a\":2}}"), viewer));
        assertThat(read.at("/result").asInt()).isEqualTo(2);
        for (String params : List.of("{\"name\":\"x\"}", "{\"bad\":1}")) {
            JsonNode refused = parse(rpc.process(bytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"missing\",\"params\":"
                    + params + "}"), viewer));
            assertThat(refused.at("/error/code").asInt()).as(params).isEqualTo(-32012);
            assertThat(refused.at("/error/message").asText()).isEqualTo(
                    "forbidden: missing changes something, and user 'v' may only read (viewer access)");
        }
        assertThat(answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"missing\",\"params\":{\"name\":\"x\"}}")
                .at("/error/code").asInt()).as("an operator gets through").isEqualTo(-32001);
    }

    @Test
    void aDocumentMethodThatDoesNotSayItsAccessIsRefusedAtLoad() {
        String doc = DOC.replace("\"x-heromgr-access\":\"read\",\"params\":[],", "\"params\":[],");
        assertThat(doc).isNotEqualTo(DOC);
        assertThatThrownBy(() -> OpenRpcContract.parse(JsonCodec.MAPPER, bytes(doc)))
                .isInstanceOf(IllegalStateException.class).hasMessage("method boom has no x-heromgr-access");
        String wrong = DOC.replace("\"x-heromgr-access\":\"operate\"", "\"x-heromgr-access\":\"write\"");
        assertThatThrownBy(() -> OpenRpcContract.parse(JsonCodec.MAPPER, bytes(wrong)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("method missing: x-heromgr-access must be");
    }

    @Test
    void everyCallOfABatchIsMeteredWithItsMethodAndOutcome() {
        record Metered(String method, ErrorCode failure, long nanos) {
        }
        var metered = new CopyOnWriteArrayList<Metered>();
        var meteredRpc = new JsonRpcProcessor(JsonCodec.MAPPER, new Dispatcher(contract(), Map.of("add", (p, c) -> 1,
                "boom", (p, c) -> {
                    throw new IllegalStateException("kaput");
                }, "missing", (p, c) -> 3, "seen", (p, c) -> 4)), name -> Set.of(),
                (method, failure, nanos) -> metered.add(new Metered(method, failure, nanos)));
        meteredRpc.process(bytes("""
                [{"jsonrpc":"2.0","id":1,"method":"add","params":{"a":1}},
                 {"jsonrpc":"2.0","id":2,"method":"boom"},
                 {"jsonrpc":"2.0","method":"add","params":{"a":1}},
                 {"jsonrpc":"2.0","id":3,"method":"nope"},
                 {"jsonrpc":"2.0","id":4,"method":7}]"""), Caller.LOCAL);
        assertThat(metered).extracting(Metered::method, Metered::failure).containsExactlyInAnyOrder(
                tuple("add", null), tuple("boom", ErrorCode.INTERNAL_ERROR),
                tuple("add", null), tuple("nope", ErrorCode.METHOD_NOT_FOUND),
                tuple(null, ErrorCode.INVALID_REQUEST));
        assertThat(metered).allSatisfy(m -> assertThat(m.nanos()).isPositive());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode parse(Optional<byte[]> answer) {
        try {
            return JsonCodec.MAPPER.readTree(answer.orElseThrow());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

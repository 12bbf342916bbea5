package heromgr.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.api.ErrorCode;
import heromgr.fs.JsonCodec;
import heromgr.rpc.OpenRpcContract;
import heromgr.testkit.DaemonExtension;
import heromgr.testkit.TestDaemon;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 3 of docs/reliability.md, fuzzed against one real daemon: params generated from the OpenRPC schemas of
 * every method are carried out or refused with a domain error, never -32603; mangled JSON, text after the value,
 * HTTP garbage, partial and oversized requests are refused the same way; the daemon answers throughout.
 * (jqwik runs properties itself, so the daemon is started and cleaned up by hand, through the same test kit.)
 */
class SchemaFuzzTest {
    static final DaemonExtension daemons = DaemonExtension.withDaemon();
    static final Set<Integer> DOCUMENTED = Arrays.stream(ErrorCode.values()).map(c -> c.code()).collect(Collectors.toSet());
    static final AtomicLong ids = new AtomicLong();
    static TestDaemon d;
    static SchemaParams params;
    static OpenRpcContract contract;

    @BeforeContainer
    static void up() throws IOException {
        daemons.beforeAll(null);
        d = daemons.daemon();
        contract = OpenRpcContract.load(JsonCodec.MAPPER);
        params = new SchemaParams(contract);
    }

    @AfterContainer
    static void down() throws Exception {
        daemons.afterAll(null);
    }

    record Call(String method, JsonNode params) {
        String body(long id) {
            ObjectNode call = JsonCodec.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            call.set("params", params);
            return call.toString();
        }
    }

    @Provide
    Arbitrary<Call> calls() {
        return Arbitraries.of(contract.methodNames()).flatMap(m -> params.of(m).map(p -> new Call(m, p)));
    }

    /** Valid JSON-RPC 2.0 for this id, and not an internal error. */
    static void assertAnswers(JsonNode answer, long id, String sent) {
        assertThat(answer.path("jsonrpc").asText()).as(sent).isEqualTo("2.0");
        assertThat(answer.path("id").asLong()).as(sent).isEqualTo(id);
        assertThat(answer.has("result")).as("exactly one of result and error: " + answer).isNotEqualTo(answer.has("error"));
        if (answer.has("error")) assertDomainError(answer, sent);
    }

    static void assertDomainError(JsonNode answer, String sent) {
        int code = answer.at("/error/code").asInt();
        assertThat(code).as(sent + " -> " + answer).isNotEqualTo(ErrorCode.INTERNAL_ERROR.code()).isIn(DOCUMENTED);
        assertThat(answer.at("/error/message").isTextual()).as(answer.toString()).isTrue();
    }

    @Property(tries = 2500)
    void paramsTheSchemaAllowsAreCarriedOutOrRefusedWithADomainError(@ForAll("calls") Call call) {
        long id = ids.incrementAndGet();
        String body = call.body(id);
        assertAnswers(d.postRpc(body), id, body);
    }

    @Example
    void aFirstRestartDelayAboveTheDefaultCeilingIsCarriedOut() {
        // found by the property above: it was -32603 (the policy refused a ceiling below the first delay)
        String body = new Call("service.create", JsonCodec.MAPPER.valueToTree(Map.of("name", "fz_tuned",
                "argv", List.of("/bin/sleep", "30"), "start", false,
                "restart_tuning", Map.of("initial_delay_ms", 3600000, "stable_ms", 2, "start_limit", 1)))).body(0);
        JsonNode answer = d.postRpc(body);
        assertThat(answer.at("/result/created").asBoolean()).as(answer.toString()).isTrue();
    }

    @Provide
    Arbitrary<String> mangled() {
        return calls().flatMap(call -> {
            String body = call.body(1);
            return Arbitraries.oneOf(
                    Arbitraries.integers().between(0, body.length() - 1).map(cut -> body.substring(0, cut)),
                    Arbitraries.integers().between(0, body.length()).flatMap(at -> Arbitraries.chars()
                            .map(c -> body.substring(0, at) + c + body.substring(at))),
                    Arbitraries.strings().ofMinLength(1).ofMaxLength(5).map(tail -> body + tail),
                    Arbitraries.strings().ofMaxLength(40));
        });
    }

    @Property(tries = 1000)
    void mangledBodiesAreRefusedNeverAnInternalError(@ForAll("mangled") String body) {
        JsonNode answer = d.postRpc(body);
        if (answer == null) return;  // a notification: nothing to answer
        for (JsonNode one : answer.isArray() ? answer : JsonCodec.MAPPER.createArrayNode().add(answer)) {
            if (one.has("error")) assertDomainError(one, body);
            if (!body.strip().endsWith("}")) {
                assertThat(one.has("result")).as("only a whole JSON value is carried out: " + body + " -> " + one).isFalse();
            }
        }
    }

    @Property(tries = 300)
    void httpGarbageAndPartialRequestsLeaveTheDaemonAnswering(@ForAll byte[] garbage) throws IOException {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(d.socket()))) {
            raw.write(ByteBuffer.wrap(garbage));
            raw.shutdownOutput();
            var sink = ByteBuffer.allocate(8192);
            while (raw.read(sink.clear()) >= 0) {
                // whatever the daemon answers (400 or nothing); it must close
            }
        } catch (IOException reset) {
            // a reset is an answer too
        }
        assertThat(d.client().answers()).isTrue();
    }

    @Example
    void aDeclaredBodyOverTheLimitIsRefusedWith413BeforeItIsSent() throws IOException {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(d.socket()))) {
            raw.write(StandardCharsets.US_ASCII.encode("POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2000000\r\n\r\n{"));
            var answer = ByteBuffer.allocate(12);
            while (answer.hasRemaining() && raw.read(answer) >= 0) {
                // the status line
            }
            assertThat(new String(answer.array(), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
        }
        assertThat(d.client().answers()).isTrue();
    }
}

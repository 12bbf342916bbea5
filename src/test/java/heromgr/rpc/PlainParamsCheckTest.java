package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand check of plain params against the JSON Schema validator, on the daemon's own document: it may only ever
 * say "valid" where the validator finds nothing wrong, and it must say so for the hot reads' ordinary calls.
 */
class PlainParamsCheckTest {
    static final OpenRpcContract CONTRACT = OpenRpcContract.load(JsonCodec.MAPPER);
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Values of every kind, each near an edge of some schema of the document. */
    static List<JsonNode> samples() {
        return List.of(JSON.textNode("hero_echo"), JSON.textNode("hero_echo@b"), JSON.textNode(""),
                JSON.textNode("Hero"), JSON.textNode("a b"), JSON.textNode("x".repeat(64)), JSON.textNode("x".repeat(65)),
                JSON.textNode("1.2.3"), JSON.textNode("main"), JSON.textNode("release"), JSON.textNode("127.0.0.1:0"),
                JSON.textNode("line\nbreak"), JSON.textNode("hero_echo\n"), JSON.textNode("1.2.3\n"), JSON.numberNode(0), JSON.numberNode(-1), JSON.numberNode(1),
                JSON.numberNode(1.5), JSON.numberNode(1.0), JSON.numberNode(50), JSON.numberNode(100000),
                JSON.numberNode(Long.MAX_VALUE), JSON.booleanNode(true), JSON.booleanNode(false), JSON.nullNode(),
                JSON.arrayNode().add("hero_echo"), JSON.objectNode());
    }

    @Test
    void neverCallsValidWhatTheSchemaRefuses() {
        int checked = 0;
        for (String method : CONTRACT.methodNames()) {
            var plain = CONTRACT.plainCheck(method);
            if (plain.isEmpty()) continue;
            Map<String, JsonNode> params = CONTRACT.params(method);
            for (String varied : params.keySet()) {
                for (JsonNode value : samples()) {
                    for (boolean others : new boolean[] {false, true}) {
                        ObjectNode p = JSON.objectNode();
                        if (others) params.keySet().forEach(n -> p.set(n, JSON.textNode("hero_echo")));
                        p.set(varied, value);
                        checked++;
                        if (plain.get().surelyValid(p)) {
                            assertThat(CONTRACT.schemaProblems(method, p)).as(method + " " + p).isEmpty();
                        }
                    }
                }
            }
            ObjectNode unknown = JSON.objectNode().put("no_such_param", 1);
            assertThat(plain.get().surelyValid(unknown)).as(method).isFalse();
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void theHotReadsTakeTheHandCheck() {
        ObjectNode named = JSON.objectNode().put("name", "hero_echo");
        for (String method : List.of("service.status", "service.inspect", "service.health")) {
            assertThat(CONTRACT.plainCheck(method)).as(method).hasValueSatisfying(c -> assertThat(c.surelyValid(named)).isTrue());
        }
        assertThat(CONTRACT.plainCheck("service.list")).hasValueSatisfying(c -> {
            assertThat(c.surelyValid(JSON.objectNode())).isTrue();
            assertThat(c.surelyValid(JSON.objectNode().put("usage", true))).isTrue();
            assertThat(c.surelyValid(JSON.objectNode().put("usage", "yes"))).isFalse();
        });
    }

    @Test
    void whatItIsNotSureOfIsLeftToTheValidator() {
        var status = CONTRACT.plainCheck("service.status").orElseThrow();
        assertThat(status.surelyValid(JSON.objectNode())).isFalse();
        assertThat(status.surelyValid(JSON.objectNode().put("name", "Hero"))).isFalse();
        assertThat(status.surelyValid(JSON.objectNode().put("name", 7))).isFalse();
        assertThat(status.surelyValid(JSON.objectNode().put("name", "hero_echo").put("extra", 1))).isFalse();
    }
}

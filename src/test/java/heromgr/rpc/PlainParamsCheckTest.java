package heromgr.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import heromgr.fs.JsonCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static heromgr.rpc.ValueCheckCompilerTest.json;
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
    void everyMethodOfTheDocumentIsHandChecked() {
        assertThat(CONTRACT.methodNames()).allSatisfy(method -> assertThat(CONTRACT.plainCheck(method)).as(method).isPresent());
    }

    /** The harness's create (S1), and one with every param: the batch's creates need no validator. */
    @Test
    void ordinaryCreatesTakeTheHandCheck() {
        var create = CONTRACT.plainCheck("service.create").orElseThrow();
        assertThat(create.surelyValid(json("""
                {"name":"s0","argv":["/bin/sleep","100000.x"],"restart":"always","restart_tuning":{"stable_ms":0,"start_limit":0}}
                """))).isTrue();
        assertThat(create.surelyValid(everyCreateParam())).isTrue();
        ObjectNode longArgv = everyCreateParam();
        var argv = longArgv.putArray("argv").add("/bin/sleep");
        for (int i = 1; i < 4096; i++) argv.add("a".repeat(65536));
        assertThat(create.surelyValid(longArgv)).isTrue();
        argv.add("a");
        assertThat(create.surelyValid(longArgv)).as("4,097 arguments").isFalse();
    }

    @Test
    void aCreateItIsNotSureOfIsLeftToTheValidator() {
        var create = CONTRACT.plainCheck("service.create").orElseThrow();
        for (String change : List.of("/argv/0=\"\"", "/argv=[]", "/env/1A=\"v\"", "/env/A=\"a\\u0000b\"", "/env/A=1",
                "/depends_on/1=\"hero_db\"", "/depends_on/1=7", "/health/unix_socket=\"relative\"", "/health/port=1",
                "/restart_tuning/stable_ms=-1", "/restart_tuning/stable_ms=1.5", "/restart_tuning/other=1",
                "/log_rotation/keep=0", "/log_rotation/max_bytes=1099511627777", "/restart=\"sometimes\"", "/work_dir=\"tmp\"",
                "/settle_ms=60001", "/timeout_ms=null")) {
            ObjectNode p = everyCreateParam();
            String[] pathAndValue = change.split("=", 2);
            String path = pathAndValue[0];
            int cut = path.lastIndexOf('/');
            JsonNode parent = p.at(path.substring(0, cut));
            String key = path.substring(cut + 1);
            JsonNode value = json(pathAndValue[1]);
            if (parent.isArray()) ((ArrayNode) parent).set(Integer.parseInt(key), value);
            else ((ObjectNode) parent).set(key, value);
            assertThat(create.surelyValid(p)).as(change + ": " + p).isFalse();
            assertThat(CONTRACT.schemaProblems("service.create", p)).as(change + ": " + p).isNotEmpty();
        }
        ObjectNode noSocket = everyCreateParam();
        ((ObjectNode) noSocket.get("health")).remove("unix_socket");
        assertThat(create.surelyValid(noSocket)).isFalse();
        // not sure is not invalid: the validator takes a 1.0 for an integer, the hand check leaves it to the validator
        ObjectNode fraction = everyCreateParam();
        ((ObjectNode) fraction.get("restart_tuning")).put("stable_ms", 1.0);
        assertThat(create.surelyValid(fraction)).isFalse();
        assertThat(CONTRACT.schemaProblems("service.create", fraction)).isEmpty();
    }

    static ObjectNode everyCreateParam() {
        return (ObjectNode) json("""
                {"name":"web_1","argv":["/bin/sleep","100000.x"],"env":{"PATH":"/bin","_X1":"é \\n"},"work_dir":"/tmp",
                 "restart":"on_failure","restart_tuning":{"initial_delay_ms":0,"stable_ms":86400000,"start_limit":1000000},
                 "log_rotation":{"max_bytes":1099511627776,"keep":1},"depends_on":["hero_db","hero_redis"],
                 "health":{"unix_socket":"/run/web.sock","path":"/health"},"start":false,"settle_ms":60000,"timeout_ms":1}
                """);
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
